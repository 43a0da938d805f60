"""Exceptions raised at the edges (bad input), turned into StageError records by the pipeline."""


class AmityError(Exception):
    """Base class for amity's own errors."""


class BadInput(AmityError):
    """An input could not be read as an article. The message names the input."""

    def __init__(self, source: str, message: str):
        super().__init__(f"{source}: {message}")
        self.source = source
        self.message = message
