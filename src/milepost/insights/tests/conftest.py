"""A small organisation with job profiles and agreed levels whose gaps are worked out by hand.

Profiles (importance, essential):
  Handler:     Claims handling   3 (4, essential),  Negotiation 2 (2, optional: weight 1)
  Underwriter: Claims handling   2 (3, essential),  Risk pricing 4 (5, essential)
People (the `org` fixture's) and their agreed levels:
  Clara (Claims, Handler):             Claims handling 2          -> gaps 1 x 4 + 2 x 1 = 6
  Mo (Motor claims, Handler):          Claims handling 3, Negotiation 1 -> gap 1 x 1 = 1
  Ursula (Underwriting, Underwriter):  Claims handling 2, Risk pricing 4 -> no gap
  Uma (Underwriting): no job profile
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from milepost.catalogue.models import Course, LearningOutcome, Modality
from milepost.frameworks.models import Competency, JobProfile
from milepost.insights.gaps import forget_cached_gaps
from milepost.people.models import Assessment, Employee
from milepost.testing.factories import (
    CompetencyFactory,
    FrameworkFactory,
    JobProfileFactory,
    RequirementFactory,
)


@dataclass
class GapWorld:
    org: Any
    handling: Competency
    negotiation: Competency
    pricing: Competency
    handler: JobProfile
    underwriter_profile: JobProfile


@pytest.fixture(autouse=True)
def fresh_gap_cache() -> Any:
    """Each test starts with no cached engine (the test database is rolled back between tests,
    which the staleness check cannot always tell from a real history)."""
    forget_cached_gaps()
    yield
    forget_cached_gaps()


def agree(employee: Employee, competency: Competency, level: int, on: str = "2026-01-10") -> Any:
    return Assessment.objects.create(
        employee=employee,
        competency=competency,
        kind=Assessment.Kind.AGREED,
        level=level,
        assessed_on=datetime.date.fromisoformat(on),
    )


def course(
    code: str, outcomes: dict[Competency, int], *, per_person: str, per_run: str = "0"
) -> Course:
    """An active classroom course `code` raising each competency to its level."""
    made = Course.objects.create(
        code=code,
        title=f"Course {code}",
        modality=Modality.CLASSROOM,
        cost_per_person=Decimal(per_person),
        cost_per_run=Decimal(per_run),
    )
    for competency, level in outcomes.items():
        LearningOutcome.objects.create(course=made, competency=competency, raises_to_level=level)
    return made


@pytest.fixture
def gap_world(org: Any) -> GapWorld:
    framework = FrameworkFactory.create(code="claims", name="Claims")
    handling = CompetencyFactory.create(framework=framework, name="Claims handling")
    negotiation = CompetencyFactory.create(framework=framework, name="Negotiation")
    pricing = CompetencyFactory.create(framework=framework, name="Risk pricing")
    handler = JobProfileFactory.create(code="HANDLER", title="Handler")
    underwriter = JobProfileFactory.create(code="UNDERWRITER", title="Underwriter")
    for profile, competency, level, importance, essential in (
        (handler, handling, 3, 4, True),
        (handler, negotiation, 2, 2, False),
        (underwriter, handling, 2, 3, True),
        (underwriter, pricing, 4, 5, True),
    ):
        RequirementFactory.create(
            job_profile=profile,
            competency=competency,
            required_level=level,
            importance=importance,
            essential=essential,
        )
    for person, profile in (
        (org.claims_manager_employee, handler),
        (org.motor_handler, handler),
        (org.underwriter, underwriter),
    ):
        person.job_profile = profile
        person.save()
    agree(org.claims_manager_employee, handling, 2)
    agree(org.motor_handler, handling, 3)
    agree(org.motor_handler, negotiation, 1)
    agree(org.underwriter, handling, 2)
    agree(org.underwriter, pricing, 4)
    return GapWorld(org, handling, negotiation, pricing, handler, underwriter)
