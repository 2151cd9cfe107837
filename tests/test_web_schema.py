"""schemathesis against the API's own OpenAPI document, on a real store of the example corpus:
generated requests to every operation, and every answer checked for a server error and against
the status codes, content types and schemas the document promises."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from newstrace.web import create_app
from test_examples import _cli


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = str(tmp_path_factory.mktemp("schema") / "examples.db")
    imported = _cli("actors", "import", "examples/actors.txt", "--db", path)
    assert imported.returncode == 0, imported.stderr
    done = _cli("run", "examples", "--db", path, "-q")
    assert done.returncode == 0, done.stderr
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", create_app(path))


# One hypothesis run per operation (schemathesis's own pytest plugin does not load with the
# pytest this project uses, so its strategies are driven here directly).
@pytest.mark.slow
def test_the_api_keeps_its_openapi_promises(api_schema: Any) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 14
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=30,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        )
        def check(case: Any) -> None:
            # A cursor is an opaque token: one the list never gave out is schema-valid text and
            # rightly a 400 (documented), so "valid input is accepted" cannot hold for it.
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        check()
