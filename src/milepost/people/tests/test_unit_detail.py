from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from milepost.testing.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def url(unit) -> str:
    return reverse("people:unit-detail", args=[unit.pk])


def test_anonymous_is_sent_to_login(client, org):
    response = client.get(url(org.claims))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_shows_sub_units_employees_and_a_link_to_the_filtered_list(org, login):
    response = login(org.coordinator).get(url(org.claims))
    assert response.status_code == 200
    assert [unit.code for unit in response.context["sub_units"]] == ["CLM-MOT"]
    assert list(response.context["page_obj"]) == [org.claims_manager_employee]
    assert f"{reverse('people:employee-list')}?unit={org.claims.pk}".encode() in response.content


@override_settings(PAGE_SIZE=2)
def test_employees_are_paginated(org, login):
    EmployeeFactory.create_batch(3, unit=org.underwriting)
    client = login(org.coordinator)
    first = client.get(url(org.underwriting))
    assert len(first.context["page_obj"]) == 2
    assert first.context["page_obj"].paginator.count == 5
    last = client.get(url(org.underwriting), {"page": 3})
    assert len(last.context["page_obj"]) == 1


def test_line_manager_opens_own_unit_and_below(org, login):
    client = login(org.claims_manager)
    assert client.get(url(org.claims)).status_code == 200
    assert client.get(url(org.motor_team)).status_code == 200


def test_line_manager_gets_404_for_another_unit_and_the_unit_above(org, login):
    client = login(org.underwriting_manager)
    assert client.get(url(org.claims)).status_code == 404
    assert client.get(url(org.group)).status_code == 404


def test_employee_and_employer_contact_get_404(org, login):
    for user in (org.employee_user, org.employer_contact):
        assert login(user).get(url(org.motor_team)).status_code == 404


def test_empty_unit_says_so(org, login):
    response = login(org.coordinator).get(url(org.group))
    assert b"Nobody is placed directly in Group" in response.content


def test_breadcrumb_shows_visible_units_above_only(org, login):
    coordinator_page = login(org.coordinator).get(url(org.motor_team))
    assert [unit.code for unit in coordinator_page.context["ancestors"]] == ["GRP", "CLM"]
    manager_page = login(org.claims_manager).get(url(org.motor_team))
    assert [unit.code for unit in manager_page.context["ancestors"]] == ["CLM"]
    assert b"Group" not in manager_page.content


# session, user, unit, ancestors, sub-units, count, page
def test_unit_page_runs_a_fixed_number_of_queries(org, login, django_assert_num_queries):
    client = login(org.coordinator)
    EmployeeFactory.create_batch(3, unit=org.claims, manager=org.claims_manager_employee)
    with django_assert_num_queries(9):
        client.get(url(org.claims))
    EmployeeFactory.create_batch(40, unit=org.claims, manager=org.claims_manager_employee)
    with django_assert_num_queries(9):
        response = client.get(url(org.claims))
    assert len(response.context["page_obj"]) == 44
