from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

LIST = "/api/v1/org-units"


def detail(unit) -> str:
    return f"{LIST}/{unit.pk}"


def test_anonymous_gets_401(client, org):
    assert client.get(LIST).status_code == 401
    assert client.get(detail(org.claims)).status_code == 401


def test_coordinator_lists_every_unit_with_counts(org, login):
    body = login(org.coordinator).get(LIST).json()
    assert body["count"] == 4
    by_code = {unit["code"]: unit for unit in body["items"]}
    assert by_code["UW"]["employee_count"] == 2
    assert by_code["CLM-MOT"]["parent_id"] == org.claims.pk
    assert by_code["CLM-MOT"]["path"] == org.motor_team.path


def test_line_manager_lists_own_unit_and_below(org, login):
    body = login(org.claims_manager).get(LIST).json()
    assert {unit["code"] for unit in body["items"]} == {"CLM", "CLM-MOT"}


@pytest.mark.parametrize("user_attr", ["employee_user", "employer_contact"])
def test_employee_and_employer_contact_list_no_units(org, login, user_attr):
    assert login(getattr(org, user_attr)).get(LIST).json() == {"items": [], "count": 0}


def test_detail_has_the_units_below(org, login):
    body = login(org.executive).get(detail(org.claims)).json()
    assert body["code"] == "CLM"
    assert [child["code"] for child in body["children"]] == ["CLM-MOT"]


def test_line_manager_gets_404_for_a_unit_outside_their_scope(org, login):
    client = login(org.underwriting_manager)
    assert client.get(detail(org.claims)).status_code == 404
    assert client.get(detail(org.underwriting)).status_code == 200


def test_employer_contact_gets_404_for_a_unit(org, login):
    assert login(org.employer_contact).get(detail(org.group)).status_code == 404


def test_bearer_token_gets_the_same_scope_as_the_web(org, client):
    from milepost.accounts.services import issue_api_token

    _, raw = issue_api_token(acting_user=org.claims_manager, name="script")
    response = client.get(LIST, headers={"Authorization": f"Bearer {raw}"})
    assert {unit["code"] for unit in response.json()["items"]} == {"CLM", "CLM-MOT"}
