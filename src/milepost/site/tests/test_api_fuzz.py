"""The API fuzzed from its own OpenAPI document (issue 11, item 14), as two roles.

Schemathesis generates requests from the document (valid and invalid bodies, paths and query
strings) and sends them through Django's WSGI handler. Whatever it sends, the API must never
answer 5xx, and every answer must be one the document lists, with the content type and body
schema it gives (the error shape included: `api_errors.document_errors`). The number of examples
per operation is bounded and derandomised so the run is repeatable and takes about a minute.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from milepost.accounts.services import issue_api_token
from milepost.site.api import api

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 3
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = WSGIHandler()


@pytest.fixture
def same_connection() -> Iterator[None]:
    """Keep the test's database connection (and its transaction) across the WSGI requests."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def bearers(org: Any, claims_profile: Any, same_connection: None) -> dict[str, str]:
    """Read-write tokens of an L&D coordinator (sees and changes most) and an employee."""
    return {
        role: issue_api_token(acting_user=user, name="fuzz", scope="read_write")[1]
        for role, user in (("coordinator", org.coordinator), ("employee", org.employee_user))
    }


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.parametrize("role", ["coordinator", "employee"])
def test_no_server_error_and_answers_match_the_document(case: Any, role: str, bearers) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {bearers[role]}"},
        checks=CHECKS,
        excluded_checks=[],
    )
