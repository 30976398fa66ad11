"""Every app's API reports errors in one shape: {"message", "fields", "code"} (docs/api.md)."""

from __future__ import annotations

import pytest
from django.test import Client

from milepost.testing.factories import JobProfileFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"


def send(client: Client, method: str, path: str, payload: object = None):
    return getattr(client, method)(API + path, payload, content_type="application/json")


def assert_shape(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"message", "fields", "code"}
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    return body


def test_frameworks_names_the_field_a_service_refused(org, login):
    JobProfileFactory(code="DUP")
    body = assert_shape(
        send(login(org.coordinator), "post", "/job-profiles", {"code": "DUP", "title": "Two"}),
        422,
        "invalid",
    )
    assert list(body["fields"]) == ["code"]
    assert body["message"].startswith("code: Code 'DUP' is already used")


def test_people_names_the_level_off_the_scale(org, claims_profile, login):
    payload = {"competency_id": claims_profile.negotiation.pk, "kind": "manager", "level": 7}
    path = f"/employees/{org.motor_handler.pk}/assessments"
    body = assert_shape(send(login(org.coordinator), "post", path, payload), 422, "invalid")
    assert body["fields"] == {"level": ["level 7 is not on scale 'Core 1-5' (1-5)"]}


def test_reviews_names_unknown_units(org, login):
    payload = {
        "name": "Spring",
        "opens_on": "2026-03-01",
        "self_assessment_due": "2026-03-10",
        "manager_assessment_due": "2026-03-20",
        "closes_on": "2026-03-31",
        "unit_ids": [999_999],
    }
    body = assert_shape(
        send(login(org.coordinator), "post", "/review-cycles", payload), 422, "invalid"
    )
    assert list(body["fields"]) == ["unit_ids"]


def test_catalogue_names_the_unknown_prerequisite(org, login):
    payload = {"code": "C1", "title": "Course", "modality": "classroom", "prerequisites": ["NOPE"]}
    body = assert_shape(send(login(org.coordinator), "post", "/courses", payload), 422, "invalid")
    assert body["fields"] == {"prerequisites": ["No course with code 'NOPE'."]}


def test_needs_reports_the_service_field_under_the_endpoint_name(org, login):
    payload = {
        "title": "Angry callers",
        "description": "Our claims handlers struggle with angry callers on the phone every day.",
    }
    body = assert_shape(send(login(org.coordinator), "post", "/needs", payload), 422, "invalid")
    assert body["fields"] == {"unit_id": ["Choose the unit that has the need."]}


def test_insights_names_the_budget(org, login):
    path = f"/org-units/{org.claims.pk}/recommendations?budget=-5"
    body = assert_shape(login(org.coordinator).get(API + path), 422, "invalid")
    assert list(body["fields"]) == ["budget"]


def test_input_that_does_not_fit_the_schema_names_the_field(org, login):
    payload = {"title": ["not", "text"], "description": "x", "unit_id": "first"}
    body = assert_shape(send(login(org.coordinator), "post", "/needs", payload), 422, "invalid")
    assert {"title", "unit_id"} <= set(body["fields"])


def test_refusals_carry_a_code_and_no_fields(org, login):
    assert_shape(Client().get(API + "/needs"), 401, "unauthorized")
    need = {"title": "Angry callers", "description": "Handlers struggle with angry callers."}
    assert_shape(send(login(org.executive), "post", "/needs", need), 403, "forbidden")
    body = assert_shape(login(org.coordinator).get(API + "/needs/999999"), 404, "not_found")
    assert body["fields"] == {}
