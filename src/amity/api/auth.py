"""`require_token`: every write route depends on it.

Writes need `Authorization: Bearer <token>` equal to the configured token
(`AMITY_API_TOKEN`); with no token configured, writes are disabled (403).
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

bearer = HTTPBearer(auto_error=False, description="The token set in AMITY_API_TOKEN.")


def require_token(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> None:
    """Allow the request only with the configured Bearer token (compared in constant time)."""
    expected = request.app.state.settings.api_token
    if not expected:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, "writes are disabled: the server has no AMITY_API_TOKEN"
        )
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "this route needs an 'Authorization: Bearer <token>' header",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if not hmac.compare_digest(credentials.credentials.encode(), expected.encode()):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "wrong token", headers={"WWW-Authenticate": "Bearer"}
        )
