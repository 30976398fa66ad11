"""Catalogue test data: courses and qualifications with outcomes on a small framework."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from milepost.catalogue.models import Course, LearningOutcome, Qualification
from milepost.frameworks.models import Competency


def make_course(code: str, *, title: str = "", **fields: Any) -> Course:
    values: dict[str, Any] = {
        "title": title or f"Course {code}",
        "modality": "classroom",
        "duration_hours": Decimal("7"),
        "cost_per_person": Decimal("250"),
    }
    values.update(fields)
    return Course.objects.create(code=code, **values)


def make_qualification(code: str, **fields: Any) -> Qualification:
    values: dict[str, Any] = {
        "title": f"Qualification {code}",
        "awarding_body": "Chartered Insurance Institute",
        "level_framework": "RQF",
        "level": 3,
    }
    values.update(fields)
    return Qualification.objects.create(code=code, **values)


def outcome(offer: Course | Qualification, competency: Competency, level: int) -> LearningOutcome:
    owner: dict[str, Any] = (
        {"course": offer} if isinstance(offer, Course) else {"qualification": offer}
    )
    return LearningOutcome.objects.create(**owner, competency=competency, raises_to_level=level)
