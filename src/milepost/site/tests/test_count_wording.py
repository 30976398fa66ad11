"""Counts read as a person writes them: "1 person", "2,004 in all", "1 month"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from milepost.people.models import Employee
from milepost.testing.factories import QualificationFactory

pytestmark = pytest.mark.django_db


def test_paged_lists_count_with_a_thousands_separator(org, login):
    Employee.objects.bulk_create(
        Employee(employee_id=f"E{n:05d}", first_name="Pat", last_name=str(n), unit=org.claims)
        for n in range(2000)
    )
    page = login(org.coordinator).get(reverse("people:employee-list")).content.decode()
    assert "(2,004 in all)" in page


def test_a_one_month_qualification_reads_one_month(org, login):
    qualification = QualificationFactory.create(validity_months=1)
    client = login(org.coordinator)
    detail = client.get(reverse("catalogue:qualification-detail", args=[qualification.pk]))
    listing = client.get(reverse("catalogue:qualification-list"))
    for page in (detail, listing):
        assert "1 month" in page.content.decode()
        assert "1 months" not in page.content.decode()


def test_opening_a_cycle_for_one_person_says_one_person(org, claims_profile, login):
    response = login(org.coordinator).post(
        reverse("reviews:review-cycle-create"),
        {
            "name": "Claims mid-year",
            "opens_on": "2026-06-01",
            "self_assessment_due": "2026-06-15",
            "manager_assessment_due": "2026-06-29",
            "closes_on": "2026-07-10",
            "units": [org.claims.pk],
        },
        follow=True,
    )
    assert "Claims mid-year is open for 1 person." in response.content.decode()


def test_confirming_one_competency_says_one_competency(org, login):
    from milepost.testing.factories import CompetencyFactory, NeedCompetencyFactory, NeedFactory

    need = NeedFactory.create(unit=org.motor_team, requester=org.employee_user)
    mapped = NeedCompetencyFactory.create(need=need, competency=CompetencyFactory.create())
    response = login(org.employee_user).post(
        reverse("needs:need-confirm", args=[need.pk]),
        {"competency": [mapped.competency_id]},
        follow=True,
    )
    assert "Thank you: 1 competency confirmed." in response.content.decode()
