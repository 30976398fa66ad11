from __future__ import annotations

import pytest

from milepost.testing.factories import AssessmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/employees"


def detail(employee) -> str:
    return f"{LIST}/{employee.pk}"


def ids(response) -> set[str]:
    return {employee["employee_id"] for employee in response.json()["items"]}


def test_anonymous_gets_401(client, org):
    assert client.get(LIST).status_code == 401
    assert client.get(detail(org.motor_handler)).status_code == 401


def test_coordinator_lists_everyone(org, login):
    assert login(org.coordinator).get(LIST).json()["count"] == 4


def test_line_manager_lists_own_units_only(org, login):
    assert ids(login(org.claims_manager).get(LIST)) == {
        org.claims_manager_employee.employee_id,
        org.motor_handler.employee_id,
    }


def test_employee_lists_only_themselves(org, login):
    assert ids(login(org.employee_user).get(LIST)) == {org.motor_handler.employee_id}


def test_employer_contact_lists_nobody(org, login):
    assert login(org.employer_contact).get(LIST).json() == {"items": [], "count": 0}


def test_q_and_unit_filters(org, login):
    client = login(org.coordinator)
    assert ids(client.get(LIST, {"q": "ursula"})) == {org.underwriter.employee_id}
    assert ids(client.get(LIST, {"unit": org.claims.pk})) == {
        org.claims_manager_employee.employee_id,
        org.motor_handler.employee_id,
    }


def test_unit_filter_outside_scope_is_404(org, login):
    response = login(org.claims_manager).get(LIST, {"unit": org.underwriting.pk})
    assert response.status_code == 404


def test_active_filter(org, login):
    EmployeeFactory(unit=org.underwriting, is_active=False, employee_id="GONE1")
    assert ids(login(org.coordinator).get(LIST, {"active": "false"})) == {"GONE1"}


def test_list_is_paginated(org, login):
    client = login(org.coordinator)
    first = client.get(LIST, {"page_size": 3}).json()
    assert first["count"] == 4
    assert len(first["items"]) == 3
    assert len(client.get(LIST, {"page_size": 3, "page": 2}).json()["items"]) == 1


def test_detail_has_unit_manager_profile_and_competencies(org, claims_profile, login):
    AssessmentFactory(
        employee=org.motor_handler, competency=claims_profile.negotiation, kind="agreed", level=2
    )
    body = login(org.claims_manager).get(detail(org.motor_handler)).json()
    assert body["unit"]["code"] == "CLM-MOT"
    assert body["manager_id"] == org.claims_manager_employee.pk
    assert body["job_profile"]["code"] == "claims-handler"
    negotiation = body["competencies"][0]
    assert negotiation["competency"]["name"] == "Negotiation"
    assert negotiation["required_level"] == 3
    assert negotiation["agreed_level"]["level"] == 2
    assert negotiation["self_level"] is None


def test_line_manager_of_underwriting_gets_404_for_a_claims_employee(org, login):
    assert login(org.underwriting_manager).get(detail(org.motor_handler)).status_code == 404


def test_employee_gets_404_for_a_colleague(org, login):
    client = login(org.employee_user)
    assert client.get(detail(org.claims_manager_employee)).status_code == 404
    assert client.get(detail(org.motor_handler)).status_code == 200


def test_employer_contact_gets_404_for_an_employee(org, login):
    assert login(org.employer_contact).get(detail(org.motor_handler)).status_code == 404


def test_list_runs_a_fixed_number_of_queries(org, login, django_assert_num_queries):
    client = login(org.coordinator)
    EmployeeFactory.create_batch(5, unit=org.motor_team)
    with django_assert_num_queries(4):  # session, user, count, page
        client.get(LIST)
    EmployeeFactory.create_batch(55, unit=org.motor_team)
    with django_assert_num_queries(4):
        response = client.get(LIST)
    assert len(response.json()["items"]) == 50
