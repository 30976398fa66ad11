"""The gap analysis API: the same figures and the same scope as the pages."""

from __future__ import annotations

import pytest
from django.test import Client

from milepost.accounts.services import issue_api_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_as():
    def client_for(user):
        token = issue_api_token(acting_user=user, name="tests")[1]
        client = Client(headers={"Authorization": f"Bearer {token}"})
        return lambda path, **query: client.get(f"/api/v1{path}", query)

    return client_for


def test_unit_gaps(gap_world, api_as):
    org = gap_world.org
    body = api_as(org.coordinator)(f"/org-units/{org.claims.pk}/gaps", unassessed="count").json()
    assert body["summary"]["pct_met"] == 25.0
    assert body["summary"]["weighted_gap"] == 7.0
    assert body["own_members"]["headcount"] == 1
    assert [(u["name"], u["summary"]["headcount"]) for u in body["sub_units"]] == [
        ("Motor claims", 1)
    ]


def test_empty_figures_are_null_not_nan(org, api_as):
    body = api_as(org.coordinator)(f"/org-units/{org.claims.pk}/gaps").json()
    assert body["summary"]["pct_met"] is None and body["summary"]["gap_index"] is None


def test_unit_heatmap_has_every_column_and_filters_by_name(gap_world, api_as):
    org = gap_world.org
    get = api_as(org.coordinator)
    body = get(f"/org-units/{org.group.pk}/heatmap", unassessed="count").json()
    assert [c["name"] for c in body["competencies"]] == [
        "Claims handling",
        "Negotiation",
        "Risk pricing",
    ]
    claims = next(row for row in body["rows"] if row["name"] == "Claims")
    negotiation = next(c for c in claims["cells"] if c["competency_id"] == gap_world.negotiation.pk)
    assert (negotiation["required"], negotiation["below"], negotiation["unassessed"]) == (2, 2, 1)
    filtered = get(f"/org-units/{org.group.pk}/heatmap", competency="negot").json()
    assert [c["name"] for c in filtered["competencies"]] == ["Negotiation"]


def test_key_person_risks(gap_world, api_as):
    org = gap_world.org
    body = api_as(org.claims_manager)(f"/org-units/{org.claims.pk}/key-person-risks").json()
    assert [(r["competency"], r["holders"], r["sole_holder"]) for r in body] == [
        ("Negotiation", 0, ""),
        ("Claims handling", 1, "Mo Handler"),
    ]
    assert body[1]["sole_holder_id"] == org.motor_handler.pk


def test_person_gaps(gap_world, api_as):
    org = gap_world.org
    body = api_as(org.employee_user)(f"/employees/{org.motor_handler.pk}/gaps").json()
    assert body["in_analysis"] is True
    assert [(r["competency"], r["agreed_level"], r["gap"]) for r in body["requirements"]] == [
        ("Negotiation", 1, 1),
        ("Claims handling", 3, 0),
    ]


def test_bench(gap_world, api_as):
    org = gap_world.org
    body = api_as(org.claims_manager)(f"/job-profiles/{gap_world.handler.pk}/bench").json()
    assert [p["name"] for p in body["ready"]] == ["Mo Handler"]
    assert [(p["name"], p["short"]) for p in body["nearly_ready"]] == [("Clara Claims", 1)]


def test_scope_outside_answers_404_and_wrong_role_403(gap_world, api_as):
    org = gap_world.org
    manager = api_as(org.claims_manager)
    assert manager(f"/org-units/{org.underwriting.pk}/heatmap").status_code == 404
    assert manager(f"/employees/{org.underwriter.pk}/gaps").status_code == 404
    employee = api_as(org.employee_user)
    assert employee(f"/org-units/{org.motor_team.pk}/gaps").status_code == 404
    assert employee(f"/job-profiles/{gap_world.handler.pk}/bench").status_code == 403
