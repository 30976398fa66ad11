from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from milepost.accounts.services import issue_api_token
from milepost.catalogue.models import Course, Track
from milepost.testing.factories import (
    CompetencyFactory,
    CourseFactory,
    QualificationFactory,
    outcome,
)

pytestmark = pytest.mark.django_db


def _client(user: Any) -> tuple[Client, dict[str, str]]:
    return Client(), {"Authorization": f"Bearer {issue_api_token(acting_user=user, name='t')[1]}"}


def test_courses_are_searched_and_paginated(org: Any) -> None:
    competency = CompetencyFactory.create()
    outcome(CourseFactory.create(code="XLS-1", title="Excel basics"), competency, 2)
    CourseFactory.create(code="NEG-1", title="Negotiation")
    client, headers = _client(org.employer_contact)
    body = client.get("/api/v1/courses", {"q": "excel"}, headers=headers).json()
    assert body["count"] == 1 and body["items"][0]["code"] == "XLS-1"
    assert body["items"][0]["currency"] == "GBP"
    course_id = body["items"][0]["id"]
    detail = client.get(f"/api/v1/courses/{course_id}", headers=headers).json()
    assert detail["outcomes"][0]["competency_id"] == competency.pk


def test_coordinator_creates_a_course_and_bad_input_is_422(org: Any) -> None:
    competency = CompetencyFactory.create()
    CourseFactory.create(code="BASICS")
    client, headers = _client(org.coordinator)
    payload = {
        "code": "NEW-1",
        "title": "New",
        "modality": "coaching",
        "cost_per_person": "120.50",
        "prerequisites": ["BASICS"],
        "outcomes": [{"competency_id": competency.pk, "raises_to_level": 3}],
    }
    response = client.post(
        "/api/v1/courses", json.dumps(payload), "application/json", headers=headers
    )
    assert response.status_code == 201, response.content
    assert response.json()["prerequisites"] == ["BASICS"]
    payload.update(code="NEW-2", prerequisites=["NOPE"])
    response = client.post(
        "/api/v1/courses", json.dumps(payload), "application/json", headers=headers
    )
    assert response.status_code == 422
    assert response.json()["fields"] == {"prerequisites": ["No course with code 'NOPE'."]}
    assert Course.objects.count() == 2


def test_qualifications_and_tracks(org: Any) -> None:
    qualification = QualificationFactory.create(code="CII-CERT", title="Certificate in Insurance")
    track = Track.objects.create(code="T", title="Route", enforce_order=True)
    track.steps.create(position=1, qualification=qualification)
    client, headers = _client(org.employee_user)
    listed = client.get("/api/v1/qualifications", headers=headers).json()
    assert listed["items"][0]["level_framework"] == "RQF"
    tracks = client.get("/api/v1/tracks", headers=headers).json()
    assert tracks["items"][0]["step_count"] == 1
    detail = client.get(f"/api/v1/tracks/{track.pk}", headers=headers).json()
    assert detail["steps"] == [
        {
            "position": 1,
            "kind": "qualification",
            "offer_id": qualification.pk,
            "code": "CII-CERT",
            "title": "Certificate in Insurance",
            "note": "",
        }
    ]


def test_places_per_run_go_in_and_out_of_the_api(org: Any) -> None:
    client, headers = _client(org.coordinator)
    payload = {"code": "CLS-1", "title": "Classroom", "modality": "classroom"}
    created = client.post(
        "/api/v1/courses",
        json.dumps({**payload, "places_per_run": 12}),
        "application/json",
        headers=headers,
    )
    assert created.status_code == 201, created.content
    assert created.json()["places_per_run"] == 12
    listed = client.get("/api/v1/courses", headers=headers).json()
    assert listed["items"][0]["places_per_run"] == 12
    unlimited = client.post(
        "/api/v1/courses",
        json.dumps({**payload, "code": "ONL-1"}),
        "application/json",
        headers=headers,
    )
    assert unlimited.json()["places_per_run"] is None
    refused = client.post(
        "/api/v1/courses",
        json.dumps({**payload, "code": "BAD-1", "places_per_run": 0}),
        "application/json",
        headers=headers,
    )
    assert refused.status_code == 422
    assert "places_per_run" in refused.json()["fields"]
    assert not Course.objects.filter(code="BAD-1").exists()


def test_a_course_carries_its_seat_cost(org: Any) -> None:
    course = CourseFactory.create(cost_per_person=0, cost_per_run=2100, places_per_run=16)
    client, headers = _client(org.employee_user)
    listed = client.get("/api/v1/courses", headers=headers).json()["items"][0]
    detail = client.get(f"/api/v1/courses/{course.pk}", headers=headers).json()
    assert listed["seat_cost"] == detail["seat_cost"] == "131.25"
