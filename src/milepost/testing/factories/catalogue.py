"""Factories for the catalogue: courses, qualifications, learning outcomes, tracks."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import factory
from factory.django import DjangoModelFactory

from milepost.catalogue.models import Course, LearningOutcome, Qualification, Track, TrackStep
from milepost.frameworks.models import Competency
from milepost.testing.factories.frameworks import CompetencyFactory


class CourseFactory(DjangoModelFactory):
    class Meta:
        model = Course

    code = factory.Sequence(lambda n: f"CRS{n:04d}")
    title = factory.LazyAttribute(lambda course: f"Course {course.code}")
    modality = "classroom"
    duration_hours = Decimal("7")
    cost_per_person = Decimal("250")


class QualificationFactory(DjangoModelFactory):
    class Meta:
        model = Qualification

    code = factory.Sequence(lambda n: f"QLF{n:04d}")
    title = factory.LazyAttribute(lambda qualification: f"Qualification {qualification.code}")
    awarding_body = "Chartered Insurance Institute"
    level_framework = "RQF"
    level = 3


class LearningOutcomeFactory(DjangoModelFactory):
    class Meta:
        model = LearningOutcome

    course = factory.SubFactory(CourseFactory)
    competency = factory.SubFactory(CompetencyFactory)
    raises_to_level = 3


def outcome(offer: Course | Qualification, competency: Competency, level: int) -> LearningOutcome:
    """A learning outcome on a course or a qualification: `offer` raises `competency` to `level`."""
    owner: dict[str, Any] = (
        {"course": offer, "qualification": None}
        if isinstance(offer, Course)
        else {"course": None, "qualification": offer}
    )
    outcome: LearningOutcome = LearningOutcomeFactory.create(
        **owner, competency=competency, raises_to_level=level
    )
    return outcome


class TrackFactory(DjangoModelFactory):
    class Meta:
        model = Track

    code = factory.Sequence(lambda n: f"TRK{n:04d}")
    title = factory.LazyAttribute(lambda track: f"Track {track.code}")


class TrackStepFactory(DjangoModelFactory):
    class Meta:
        model = TrackStep

    track = factory.SubFactory(TrackFactory)
    position = factory.Sequence(lambda n: n + 1)
    course = factory.SubFactory(CourseFactory)
