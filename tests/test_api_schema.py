"""Property-based API testing from the served OpenAPI schema (schemathesis): generated requests to
every read endpoint never get a server error. The long run (thousands of cases, ingest too) is in
bench/RESULTS.md; this is its CI guard."""

from __future__ import annotations

import shutil

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from newsweave.server import create_app


@pytest.fixture(scope="module")
def schema(seed_sqlite, tmp_path_factory):
    db = tmp_path_factory.mktemp("schema") / "seeds.db"
    shutil.copy(seed_sqlite, db)
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(db))


def test_no_server_errors(schema):
    tested = []
    for result in schema.get_all_operations():
        op = result.ok()
        if op.method.upper() != "GET":
            continue  # ingest runs the whole pipeline per case: covered by the long run

        @given(op.as_strategy())
        @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case):
            case.call_and_validate(checks=[not_a_server_error])

        check()
        tested.append(op.path)
    assert {"/api/articles", "/api/stories/{story_id}/dossier", "/api/search", "/api/claims"} <= set(tested)
