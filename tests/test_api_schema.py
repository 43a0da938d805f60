"""The API against its own OpenAPI document: schemathesis generates requests from it (valid
and invalid) and runs every check on each response — no 5xx, only documented status codes
and content types, bodies as their schemas say, invalid input refused, valid input
accepted, a missing token refused with 401.

In process (ASGI: no socket, nothing leaves the test) over one small filled SQLite registry
shared by the session, with a write token so the write routes run too (POST /api/articles
runs the real pipeline). Examples per operation are bounded (EXAMPLES) so the module stays
well under a minute on 2 cores.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from pydantic import TypeAdapter
from schemathesis.specs.openapi.checks import positive_data_acceptance

import web_data
from amity.api import Settings, create_app
from amity.api.errors import ErrorResponse
from amity.registry import open_registry

TOKEN = "schema-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
EXAMPLES = 15


@pytest.fixture(scope="session")
def schema_registry(tmp_path_factory):
    registry = open_registry(f"sqlite:///{tmp_path_factory.mktemp('schema') / 'amity.db'}")
    web_data.fill(registry)
    yield registry
    registry.close()


class SessionApp:
    """An ASGI app that hands every request to `target`, the app `schema_app` builds: the
    schema is read at collection (each operation a test of its own), the registry is filled
    by a session fixture. (schemathesis's own fixture loader,
    `schemathesis.pytest.from_fixture`, fails on pytest 9: no `Function._nodeid`.)"""

    target = None

    async def __call__(self, scope, receive, send):
        await self.target(scope, receive, send)


def _openapi_document() -> dict:
    """The document alone: it does not depend on what the registry holds."""
    with open_registry("sqlite:///:memory:") as registry:
        return create_app(Settings(registry=registry, warm_map=False)).openapi()


schema = schemathesis.openapi.from_dict(_openapi_document())
schema.app = SessionApp()  # as from_asgi sets it: requests, and schemathesis's probes, go there


@pytest.fixture(scope="session")
def schema_app(schema_registry, gazetteer):  # the gazetteer: POST /api/articles's pipeline
    app = create_app(Settings(registry=schema_registry, api_token=TOKEN, warm_map=False))
    schema.app.target = app
    return app


def _inverted_years(case) -> bool:
    query = case.query or {}
    try:
        return int(query["year_from"]) > int(query["year_to"])
    except (KeyError, TypeError, ValueError):
        return False


def _refused_article(response) -> bool:
    """POST /api/articles refused the article's content as `amity ingest` would (binary
    text, nothing left of an HTML page, a publication date after tomorrow): 422, type
    "refused"."""
    if response.status_code != 422 or response.request.method != "POST":
        return False
    errors = response.json()["errors"]
    return bool(errors) and all(error["type"] == "refused" for error in errors)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same requests on every run: CI does not fail by chance
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_openapi_document(case, schema_app):
    response = case.call(headers=AUTH)
    # Every check runs on every response but one, left out for two kinds of schema-valid
    # requests that the API refuses with 422 on purpose, each refusal checked here instead:
    # - year_from > year_to: each parameter is valid alone; OpenAPI cannot relate two query
    #   parameters (their descriptions say it);
    # - an article whose content ingest refuses: a ratio of control characters, an empty
    #   page once its HTML is read, a date after tomorrow are not JSON Schema constraints.
    excluded = []
    if _inverted_years(case):
        assert response.status_code == 422, response.text  # this, or another invalid value
        excluded.append(positive_data_acceptance)
    elif _refused_article(response):
        excluded.append(positive_data_acceptance)
    if response.status_code >= 400:  # the one error shape (also in response_schema_conformance)
        assert response.status_code < 500, response.text
        body = TypeAdapter(ErrorResponse).validate_python(response.json(), strict=True)
        assert body.detail and body.errors and set(response.json()) == {"detail", "errors"}
    case.validate_response(response, excluded_checks=excluded)


def test_every_operation_is_generated():
    """The document names the routes the tests above cover (a route left out of it would go
    untested)."""
    operations = {
        f"{method.upper()} {path}"
        for path, methods in _openapi_document()["paths"].items()
        for method in methods
    }
    assert len(operations) >= 16
    assert {"GET /api/relations", "POST /api/articles", "GET /api/export"} <= operations


def test_every_4xx_of_every_operation_is_declared_in_the_one_shape():
    ref = {"$ref": "#/components/schemas/ErrorResponse"}
    for path, methods in _openapi_document()["paths"].items():
        for method, operation in methods.items():
            errors = {c: r for c, r in operation["responses"].items() if c.startswith("4")}
            assert {"400", "422"} <= set(errors), (method, path)
            for code, response in errors.items():
                assert response["content"] == {"application/json": {"schema": ref}}, (path, code)
