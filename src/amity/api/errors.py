"""One error shape for every 4xx answer of the API, and the OpenAPI responses that declare it.

    {"detail": "no place 999999",
     "errors": [{"loc": ["path", "place_id"], "msg": "no place 999999", "type": "not_found"}]}

`detail` is one human-readable line; `errors` lists each problem with where it is (`loc`:
"query", "path", "body" or "header" and the field, or [] for the request as a whole), its
message and a machine-readable `type`. A validation error (422) lists every field that
failed; other errors list one item. `install_error_handlers(app)` makes every
HTTPException, validation error and database refusal answer so, and makes `app.openapi()`
declare 400, 404 (routes with a path parameter), 401/403 (routes that need the token), 413
(routes with a request body), 422 and any 4xx a route declares itself with this schema.

Example:
    >>> error_body(404, "no place 7")["errors"][0]["type"]
    'not_found'
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DataError, StatementError
from starlette.exceptions import HTTPException as StarletteHTTPException

ERROR_TYPES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "too_many_requests",
}


class ErrorItem(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ErrorResponse(BaseModel):
    """The body of every 4xx answer."""

    detail: str
    errors: list[ErrorItem]


def error_body(
    status: int, detail: str, errors: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The error shape: `errors` defaults to one item saying `detail` about the request."""
    kind = ERROR_TYPES.get(status, "error")
    return {"detail": detail, "errors": errors or [{"loc": [], "msg": detail, "type": kind}]}


def error_response(
    status: int,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(error_body(status, detail, errors), status_code=status, headers=headers)


def _items(errors: Any, status: int) -> list[dict[str, Any]]:
    """{loc, msg, type} items from a list that pydantic or a route gave."""
    items = []
    for error in errors:
        if not isinstance(error, dict):
            error = {"msg": str(error)}
        items.append(
            {
                "loc": [part for part in error.get("loc", ()) if isinstance(part, str | int)],
                "msg": str(error.get("msg", "")),
                "type": str(error.get("type", ERROR_TYPES.get(status, "error"))),
            }
        )
    return items


def _summary(items: list[dict[str, Any]]) -> str:
    first = items[0]
    where = ".".join(str(part) for part in first["loc"])
    line = f"{where}: {first['msg']}" if where else first["msg"]
    return line + (f" (and {len(items) - 1} more)" if len(items) > 1 else "")


async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    detail = exc.detail
    if isinstance(detail, list) and detail:
        items = _items(detail, exc.status_code)
        return error_response(exc.status_code, _summary(items), items, exc.headers)
    return error_response(exc.status_code, str(detail), headers=exc.headers)


async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    items = _items(exc.errors(), 422) or [{"loc": [], "msg": "invalid request", "type": "invalid"}]
    return error_response(422, _summary(items), items)


async def database_refused(request: Request, exc: Exception) -> JSONResponse:
    # a value the database cannot take (out of range, bad encoding): the client's fault
    return error_response(400, "the database refused a value in the request")


def install_error_handlers(app: FastAPI) -> None:
    """Answer every error in the one shape, and declare it in `app.openapi()`. Call before
    other handlers wrap these (amity.web's HTML pages for browsers wrap `http_error`)."""
    app.add_exception_handler(StarletteHTTPException, http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(DataError, database_refused)
    app.add_exception_handler(StatementError, database_refused)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                summary=app.summary,
                description=app.description,
                routes=app.routes,
            )
            app.openapi_schema = declare_errors(schema)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


_DESCRIPTIONS = {
    "400": "A value the database cannot take",
    "401": "No token, or the wrong one",
    "403": "Writes are disabled (no AMITY_API_TOKEN on the server)",
    "404": "No such id",
    "413": "Request body too large",
    "422": "A parameter or the body is invalid",
}


def declare_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the error responses each operation can give, all with the ErrorResponse schema."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["ErrorItem"] = ErrorItem.model_json_schema()
    components["ErrorResponse"] = ErrorResponse.model_json_schema(
        ref_template="#/components/schemas/{model}"
    )
    components["ErrorResponse"].pop("$defs", None)
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}
    for methods in schema.get("paths", {}).values():
        for operation in methods.values():
            codes = ["400", "422"]
            if any(p.get("in") == "path" for p in operation.get("parameters", [])):
                codes.append("404")
            if operation.get("security"):
                codes += ["401", "403"]
            if "requestBody" in operation:
                codes.append("413")
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                responses[code] = {"description": _DESCRIPTIONS[code], "content": reference}
            for code, response in responses.items():  # those a route declares itself
                if code.startswith("4"):
                    response["content"] = reference
    used = json.dumps(schema.get("paths", {}))
    for name in ("HTTPValidationError", "ValidationError"):  # FastAPI's 422, now replaced
        if f'/{name}"' not in used:
            components.pop(name, None)
    return schema
