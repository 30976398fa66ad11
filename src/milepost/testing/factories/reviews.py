"""Factories for reviews: cycles, participants, objectives, development plan items."""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from milepost.reviews.models import DevelopmentPlanItem, Objective, ReviewCycle, ReviewParticipant
from milepost.testing.factories.frameworks import CompetencyFactory, JobProfileFactory
from milepost.testing.factories.people import EmployeeFactory


class ReviewCycleFactory(DjangoModelFactory):
    class Meta:
        model = ReviewCycle

    name = factory.Sequence(lambda n: f"Review cycle {n}")
    opens_on = datetime.date(2026, 3, 2)
    self_assessment_due = datetime.date(2026, 3, 16)
    manager_assessment_due = datetime.date(2026, 3, 30)
    closes_on = datetime.date(2026, 4, 24)


class ReviewParticipantFactory(DjangoModelFactory):
    class Meta:
        model = ReviewParticipant

    cycle = factory.SubFactory(ReviewCycleFactory)
    employee = factory.SubFactory(EmployeeFactory)
    job_profile = factory.SubFactory(JobProfileFactory)


class ObjectiveFactory(DjangoModelFactory):
    class Meta:
        model = Objective

    employee = factory.SubFactory(EmployeeFactory)
    title = factory.Sequence(lambda n: f"Objective {n}")
    weight = 25


class DevelopmentPlanItemFactory(DjangoModelFactory):
    class Meta:
        model = DevelopmentPlanItem

    employee = factory.SubFactory(EmployeeFactory)
    competency = factory.SubFactory(CompetencyFactory)
    target_level = 3
    action = "Shadow a senior colleague on five calls"
