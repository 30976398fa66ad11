"""Who sees which employees (accounts.access.employee_filter through the people selector)."""

from __future__ import annotations

import pytest

from milepost.people.selectors import visible_employees

pytestmark = pytest.mark.django_db


def test_employee_sees_only_themselves(org):
    assert list(visible_employees(org.employee_user)) == [org.motor_handler]


def test_employer_contact_sees_no_employees(org):
    assert not visible_employees(org.employer_contact).exists()


def test_manager_sees_reports_in_units_below_but_not_other_units(org):
    names = set(visible_employees(org.claims_manager).values_list("employee_id", flat=True))
    assert org.motor_handler.employee_id in names
    assert org.underwriter.employee_id not in names
