"""Factories for frameworks: scales, frameworks, competencies, job profiles."""

from __future__ import annotations

from typing import Any

import factory
from factory.django import DjangoModelFactory

from milepost.frameworks.models import (
    Competency,
    CompetencyLevel,
    Framework,
    JobProfile,
    JobProfileRequirement,
    ProficiencyScale,
)


class ScaleFactory(DjangoModelFactory):
    class Meta:
        model = ProficiencyScale
        django_get_or_create = ("name",)

    name = "Core 1-5"
    min_level = 1
    max_level = 5


class FrameworkFactory(DjangoModelFactory):
    class Meta:
        model = Framework

    code = factory.Sequence(lambda n: f"framework-{n}")
    name = factory.Sequence(lambda n: f"Framework {n}")
    scale = factory.SubFactory(ScaleFactory)


class CompetencyFactory(DjangoModelFactory):
    class Meta:
        model = Competency
        skip_postgeneration_save = True

    framework = factory.SubFactory(FrameworkFactory)
    code = factory.Sequence(lambda n: f"C{n:05d}")
    name = factory.Sequence(lambda n: f"Competency {n}")
    description = "Does the thing well and explains it to others."
    parent = None

    @factory.post_generation
    def set_path(obj: Competency, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        parent = obj.parent
        obj.path = f"{parent.path if parent else '/'}{obj.pk}/"
        obj.depth = parent.depth + 1 if parent else 0
        Competency.objects.filter(pk=obj.pk).update(path=obj.path, depth=obj.depth)


class CompetencyLevelFactory(DjangoModelFactory):
    class Meta:
        model = CompetencyLevel

    competency = factory.SubFactory(CompetencyFactory)
    level = 3
    title = "Proficient"
    indicators = "Handles routine cases alone\nCoaches newer colleagues"


class JobProfileFactory(DjangoModelFactory):
    class Meta:
        model = JobProfile

    code = factory.Sequence(lambda n: f"JP{n:04d}")
    title = factory.Sequence(lambda n: f"Job profile {n}")


class RequirementFactory(DjangoModelFactory):
    class Meta:
        model = JobProfileRequirement

    job_profile = factory.SubFactory(JobProfileFactory)
    competency = factory.SubFactory(CompetencyFactory)
    required_level = 3
    importance = 3
    essential = True
