from __future__ import annotations

import datetime

import pytest

from milepost.people.models import Assessment
from milepost.testing.factories import AssessmentFactory

pytestmark = pytest.mark.django_db


def url(employee) -> str:
    return f"/api/v1/employees/{employee.pk}/assessments"


def post(client, employee, competency, **fields):
    payload = {"competency_id": competency.pk, "kind": "manager", "level": 3, **fields}
    return client.post(url(employee), payload, content_type="application/json")


def test_anonymous_gets_401(client, org, claims_profile):
    assert client.get(url(org.motor_handler)).status_code == 401
    assert post(client, org.motor_handler, claims_profile.negotiation).status_code == 401


def test_history_lists_every_row(org, claims_profile, login):
    for level, day in ((2, 1), (4, 15)):
        AssessmentFactory(
            employee=org.motor_handler,
            competency=claims_profile.negotiation,
            kind="self",
            level=level,
            assessed_on=datetime.date(2026, 1, day),
        )
    body = login(org.employee_user).get(url(org.motor_handler)).json()
    assert body["count"] == 2
    assert [(row["level"], row["assessed_on"]) for row in body["items"]] == [
        (4, "2026-01-15"),
        (2, "2026-01-01"),
    ]


def test_history_can_be_narrowed_to_one_competency(org, claims_profile, login):
    AssessmentFactory(employee=org.motor_handler, competency=claims_profile.negotiation)
    AssessmentFactory(employee=org.motor_handler, competency=claims_profile.fraud_awareness)
    body = (
        login(org.coordinator)
        .get(url(org.motor_handler), {"competency": claims_profile.fraud_awareness.pk})
        .json()
    )
    assert [row["competency"]["name"] for row in body["items"]] == ["Fraud awareness"]


def test_line_manager_creates_a_manager_assessment(org, claims_profile, login):
    response = post(
        login(org.claims_manager),
        org.motor_handler,
        claims_profile.negotiation,
        level=4,
        assessed_on="2026-02-02",
        note="Handled the Smith claim well",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["kind"] == "manager"
    assert body["level"] == 4
    assert body["assessed_by"] == "claims.manager"
    assert Assessment.objects.get().note == "Handled the Smith claim well"


def test_date_defaults_to_today(org, claims_profile, login):
    response = post(login(org.coordinator), org.motor_handler, claims_profile.negotiation)
    assert response.json()["assessed_on"] == datetime.date.today().isoformat()


def test_two_posts_keep_both_rows(org, claims_profile, login):
    client = login(org.claims_manager)
    post(client, org.motor_handler, claims_profile.negotiation, level=2)
    post(client, org.motor_handler, claims_profile.negotiation, level=3)
    assert client.get(url(org.motor_handler)).json()["count"] == 2


def test_level_off_the_scale_is_422_naming_level_and_scale(org, claims_profile, login):
    response = post(login(org.coordinator), org.motor_handler, claims_profile.negotiation, level=7)
    assert response.status_code == 422
    assert response.json()["fields"] == {"level": ["level 7 is not on scale 'Core 1-5' (1-5)"]}


def test_unknown_competency_is_422(org, login):
    response = login(org.coordinator).post(
        url(org.motor_handler),
        {"competency_id": 999999, "kind": "self", "level": 3},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["fields"] == {"competency_id": ["competency 999999 does not exist"]}


def test_employee_cannot_create_a_manager_assessment(org, claims_profile, login):
    response = post(login(org.employee_user), org.motor_handler, claims_profile.negotiation)
    assert response.status_code == 403
    assert not Assessment.objects.exists()


def test_employee_creates_a_self_assessment(org, claims_profile, login):
    response = post(
        login(org.employee_user), org.motor_handler, claims_profile.negotiation, kind="self"
    )
    assert response.status_code == 201


def test_employee_gets_404_for_a_colleague(org, claims_profile, login):
    client = login(org.employee_user)
    assert client.get(url(org.underwriter)).status_code == 404
    response = post(client, org.underwriter, claims_profile.negotiation, kind="self")
    assert response.status_code == 404


def test_line_manager_of_underwriting_gets_404_in_claims(org, claims_profile, login):
    client = login(org.underwriting_manager)
    assert client.get(url(org.motor_handler)).status_code == 404
    assert post(client, org.motor_handler, claims_profile.negotiation).status_code == 404
    assert not Assessment.objects.exists()


def test_executive_reads_but_cannot_create(org, claims_profile, login):
    client = login(org.executive)
    assert client.get(url(org.motor_handler)).status_code == 200
    assert post(client, org.motor_handler, claims_profile.negotiation).status_code == 403


def test_employer_contact_gets_404(org, claims_profile, login):
    client = login(org.employer_contact)
    assert client.get(url(org.motor_handler)).status_code == 404
    assert post(client, org.motor_handler, claims_profile.negotiation).status_code == 404


def test_history_runs_a_fixed_number_of_queries(
    org, claims_profile, login, django_assert_num_queries
):
    client = login(org.coordinator)
    AssessmentFactory(employee=org.motor_handler)
    with django_assert_num_queries(5):  # session, user, employee, count, a page of assessments
        client.get(url(org.motor_handler))
    AssessmentFactory.create_batch(30, employee=org.motor_handler)
    with django_assert_num_queries(5):
        assert client.get(url(org.motor_handler)).json()["count"] == 31
