"""Request dependencies: a registry session per request."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request
from sqlalchemy.orm import Session


def get_session(request: Request) -> Iterator[Session]:
    """A session on the app's registry, closed after the response."""
    with request.app.state.registry.session() as session:
        yield session
