"""Factories for people: employees and their assessments."""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from milepost.people.models import Assessment, Employee
from milepost.testing.factories.accounts import OrgUnitFactory
from milepost.testing.factories.frameworks import CompetencyFactory


class EmployeeFactory(DjangoModelFactory):
    class Meta:
        model = Employee

    employee_id = factory.Sequence(lambda n: f"E{n:06d}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda e: f"{e.employee_id.lower()}@example.test")
    unit = factory.SubFactory(OrgUnitFactory)
    job_title = "Claims handler"
    start_date = datetime.date(2020, 1, 6)


class AssessmentFactory(DjangoModelFactory):
    class Meta:
        model = Assessment

    employee = factory.SubFactory(EmployeeFactory)
    competency = factory.SubFactory(CompetencyFactory)
    kind = Assessment.Kind.AGREED
    level = 3
    assessed_on = datetime.date(2026, 3, 1)
