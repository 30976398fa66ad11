"""The review-cycle API: open a cycle, submit rating sheets, read progress."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from milepost.accounts.services import issue_api_token
from milepost.people.models import Assessment
from milepost.reviews.models import ReviewCycle

pytestmark = pytest.mark.django_db

API = "/api/v1"


def client_for(user) -> tuple[Client, dict[str, str]]:
    return Client(), {"Authorization": f"Bearer {issue_api_token(acting_user=user, name='t')[1]}"}


def post(user, path, payload):
    client, headers = client_for(user)
    return client.post(API + path, json.dumps(payload), "application/json", headers=headers)


def get(user, path):
    client, headers = client_for(user)
    return client.get(API + path, headers=headers)


CYCLE = {
    "name": "Claims 2026",
    "opens_on": "2026-03-02",
    "self_assessment_due": "2026-03-16",
    "manager_assessment_due": "2026-03-30",
    "closes_on": "2026-04-24",
}


def test_coordinator_opens_a_cycle_and_people_rate_through_the_api(org, claims_profile):
    created = post(org.coordinator, "/review-cycles", {**CYCLE, "unit_ids": [org.claims.pk]})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["participants"] == 1
    cycle = ReviewCycle.objects.get(pk=body["id"])
    review = cycle.participants.get()
    sheet = [
        {"competency_id": claims_profile.negotiation.pk, "level": 3, "comment": "Solid"},
        {"competency_id": claims_profile.fraud_awareness.pk, "level": 2},
    ]
    own = post(
        org.employee_user, f"/reviews/{review.pk}/ratings", {"kind": "self", "ratings": sheet}
    )
    assert own.status_code == 201
    assert {row["source"] for row in own.json()} == {"review"}
    progress = get(org.coordinator, f"/review-cycles/{cycle.pk}").json()
    counts = {stage["stage"]: stage["count"] for stage in progress["stages"]}
    assert counts["manager"] == 1
    listed = get(org.claims_manager, f"/review-cycles/{cycle.pk}/participants?stage=manager")
    assert [item["id"] for item in listed.json()["items"]] == [review.pk]


def test_a_bad_sheet_answers_422_naming_the_competency_and_writes_nothing(org, claims_profile):
    created = post(org.coordinator, "/review-cycles", {**CYCLE, "unit_ids": [org.claims.pk]})
    review = ReviewCycle.objects.get(pk=created.json()["id"]).participants.get()
    sheet = [
        {"competency_id": claims_profile.negotiation.pk, "level": 6},
        {"competency_id": claims_profile.fraud_awareness.pk, "level": 2},
    ]
    response = post(
        org.employee_user, f"/reviews/{review.pk}/ratings", {"kind": "self", "ratings": sheet}
    )
    assert response.status_code == 422
    error = response.json()
    assert error["code"] == "invalid"
    assert "Negotiation: level 6 is not on scale 'Core 1-5' (1-5)" in error["message"]
    assert not Assessment.objects.exists()


def test_a_cycle_over_nobody_answers_422(org):
    response = post(org.coordinator, "/review-cycles", {**CYCLE, "unit_ids": [org.underwriting.pk]})
    assert response.status_code == 422
    assert not ReviewCycle.objects.exists()
