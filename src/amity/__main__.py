"""`python -m amity` runs the `amity` command."""

from amity.cli import app

if __name__ == "__main__":  # pragma: no cover
    app(prog_name="amity")
