"""Empty lists tell each role what it sees, not what another role sees."""

from __future__ import annotations

import pytest
from django.urls import reverse

from milepost.accounts.models import Role
from milepost.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_employee_is_told_what_an_employee_sees(org, login):
    content = login(org.employee_user).get(reverse("people:unit-list")).content.decode()
    assert "As an employee you see your own record" in content
    assert reverse("people:employee-detail", args=[org.motor_handler.pk]) in content
    assert "Line managers see" not in content and "line managers see" not in content


def test_an_employee_without_a_record_is_told_to_ask_for_the_link(org, login):
    loose = UserFactory.create(username="new.starter", role=Role.EMPLOYEE)
    content = login(loose).get(reverse("people:employee-list")).content.decode()
    assert "You see your own record here once your login is linked to it" in content
    assert "line managers see" not in content


def test_an_employer_contact_is_told_they_see_no_internal_units_or_people(org, login):
    client = login(org.employer_contact)
    units = client.get(reverse("people:unit-list")).content.decode()
    people = client.get(reverse("people:employee-list")).content.decode()
    assert "not the organisation's internal units" in units
    assert "you see no people of the organisation" in people
    assert "Line managers" not in units + people
