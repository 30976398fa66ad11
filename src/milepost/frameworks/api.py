"""REST endpoints for frameworks, competencies and job profiles (mounted at /api/v1/).

Endpoints only parse input and call the same selectors and services as the web pages.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, ModelSchema, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from milepost.frameworks import selectors, services
from milepost.frameworks.models import (
    Competency,
    CompetencyLevel,
    Framework,
    Importance,
    JobProfile,
    JobProfileRequirement,
    ProficiencyScale,
)

router = Router(tags=["frameworks"])


# Schemas


class ScaleOut(ModelSchema):
    class Meta:
        model = ProficiencyScale
        fields = ["id", "name", "min_level", "max_level"]


class FrameworkOut(ModelSchema):
    scale: ScaleOut
    competency_count: int = 0
    group_count: int = 0

    class Meta:
        model = Framework
        fields = ["id", "code", "name", "description", "source", "version"]


class CompetencyOut(ModelSchema):
    framework_id: int
    parent_id: int | None = None
    alt_labels: list[str]

    class Meta:
        model = Competency
        fields = ["id", "code", "name", "kind", "depth"]

    @staticmethod
    def resolve_alt_labels(obj: Competency) -> list[str]:
        return obj.alt_label_list


class LevelOut(ModelSchema):
    indicators: list[str]

    class Meta:
        model = CompetencyLevel
        fields = ["level", "title", "description"]

    @staticmethod
    def resolve_indicators(obj: CompetencyLevel) -> list[str]:
        return obj.indicator_list


class CompetencyDetailOut(CompetencyOut):
    description: str
    scale: ScaleOut
    levels: list[LevelOut]

    @staticmethod
    def resolve_scale(obj: Competency) -> ProficiencyScale:
        return obj.framework.scale

    @staticmethod
    def resolve_levels(obj: Competency) -> list[CompetencyLevel]:
        return list(obj.levels.all())


class RequirementOut(ModelSchema):
    competency_id: int
    competency_name: str
    framework_id: int

    class Meta:
        model = JobProfileRequirement
        fields = ["required_level", "importance", "essential"]

    @staticmethod
    def resolve_competency_name(obj: JobProfileRequirement) -> str:
        return obj.competency.name

    @staticmethod
    def resolve_framework_id(obj: JobProfileRequirement) -> int:
        return obj.competency.framework_id


class JobProfileOut(ModelSchema):
    alt_titles: list[str]
    requirement_count: int = 0

    class Meta:
        model = JobProfile
        fields = ["id", "code", "title", "description", "source", "is_active"]

    @staticmethod
    def resolve_alt_titles(obj: JobProfile) -> list[str]:
        return [line for line in obj.alt_titles.splitlines() if line.strip()]


class JobProfileDetailOut(JobProfileOut):
    requirements: list[RequirementOut]

    @staticmethod
    def resolve_requirements(obj: JobProfile) -> list[JobProfileRequirement]:
        return list(obj.requirements.all())

    @staticmethod
    def resolve_requirement_count(obj: JobProfile) -> int:
        return len(obj.requirements.all())


class RequirementLevelIn(Schema):
    required_level: int
    importance: int = Field(Importance.MODERATE, ge=1, le=5)
    essential: bool = True


class RequirementIn(RequirementLevelIn):
    competency_id: int


class JobProfileIn(Schema):
    code: str
    title: str
    description: str = ""
    alt_titles: list[str] = []
    is_active: bool = True
    requirements: list[RequirementIn] = []


class JobProfilePatch(Schema):
    code: str | None = None
    title: str | None = None
    description: str | None = None
    alt_titles: list[str] | None = None
    is_active: bool | None = None
    requirements: list[RequirementIn] | None = Field(
        None, description="When given, replaces every requirement of the profile."
    )


# Helpers that turn API input into service arguments


def _competency(request: HttpRequest, pk: int) -> Competency:
    return get_object_or_404(
        selectors.visible_competencies(request.user).select_related("framework__scale"), pk=pk
    )


def _specs(
    request: HttpRequest, requirements: Sequence[RequirementIn]
) -> list[services.RequirementSpec]:
    ids = [requirement.competency_id for requirement in requirements]
    found = (
        selectors.visible_competencies(request.user).select_related("framework__scale").in_bulk(ids)
    )
    missing = sorted(set(ids) - set(found))
    if missing:
        raise ValidationError(
            {
                "competency_id": f"No competency with id {', '.join(map(str, missing))}. "
                "Find ids with GET /api/v1/competencies?q=..."
            }
        )
    return [
        services.RequirementSpec(
            competency=found[requirement.competency_id],
            required_level=requirement.required_level,
            importance=requirement.importance,
            essential=requirement.essential,
        )
        for requirement in requirements
    ]


def _profile_detail(request: HttpRequest, pk: int) -> JobProfile:
    return selectors.get_job_profile(request.user, pk)


# Frameworks and competencies


@router.get("/frameworks", response=list[FrameworkOut])
def list_frameworks(request: HttpRequest) -> QuerySet[Framework]:
    return selectors.visible_frameworks(request.user)


@router.get("/frameworks/{framework_id}", response=FrameworkOut)
def get_framework_api(request: HttpRequest, framework_id: int) -> Framework:
    return selectors.get_framework(request.user, framework_id)


@router.get("/competencies", response=list[CompetencyOut])
@paginate(PageNumberPagination, page_size=settings.PAGE_SIZE)
def list_competencies(
    request: HttpRequest, q: str = "", framework: int | None = None, kind: str = ""
) -> QuerySet[Competency]:
    """Search by name, alternative label or description; name matches come first."""
    return selectors.search_competencies(request.user, query=q, framework_id=framework, kind=kind)


@router.get("/competencies/{competency_id}", response=CompetencyDetailOut)
def get_competency_api(request: HttpRequest, competency_id: int) -> Competency:
    return selectors.get_competency(request.user, competency_id)


# Job profiles


@router.get("/job-profiles", response=list[JobProfileOut])
@paginate(PageNumberPagination, page_size=settings.PAGE_SIZE)
def list_job_profiles(
    request: HttpRequest, q: str = "", source: str = "", active: bool | None = None
) -> QuerySet[JobProfile]:
    """Search by title, code or alternative title."""
    return selectors.search_job_profiles(request.user, query=q, source=source, active=active)


@router.get("/job-profiles/{profile_id}", response=JobProfileDetailOut)
def get_job_profile_api(request: HttpRequest, profile_id: int) -> JobProfile:
    return _profile_detail(request, profile_id)


@router.post("/job-profiles", response={201: JobProfileDetailOut})
def create_job_profile_api(request: HttpRequest, payload: JobProfileIn) -> Status[JobProfile]:
    """Coordinators and admins only."""
    services.require_editor(request.user)
    job_profile = services.create_job_profile(
        acting_user=request.user,
        code=payload.code,
        title=payload.title,
        description=payload.description,
        alt_titles="\n".join(payload.alt_titles),
        is_active=payload.is_active,
        requirements=_specs(request, payload.requirements),
    )
    return Status(201, _profile_detail(request, job_profile.pk))


@router.patch("/job-profiles/{profile_id}", response=JobProfileDetailOut)
def update_job_profile_api(
    request: HttpRequest, profile_id: int, payload: JobProfilePatch
) -> JobProfile:
    """Change the given fields; `requirements`, when given, replaces the whole set."""
    services.require_editor(request.user)
    job_profile = _profile_detail(request, profile_id)
    services.update_job_profile(
        acting_user=request.user,
        job_profile=job_profile,
        code=payload.code,
        title=payload.title,
        description=payload.description,
        alt_titles=None if payload.alt_titles is None else "\n".join(payload.alt_titles),
        is_active=payload.is_active,
        requirements=None
        if payload.requirements is None
        else _specs(request, payload.requirements),
    )
    return _profile_detail(request, profile_id)


@router.post("/job-profiles/{profile_id}/requirements", response={201: RequirementOut})
def add_requirement_api(
    request: HttpRequest, profile_id: int, payload: RequirementIn
) -> Status[JobProfileRequirement]:
    """Add a requirement; 422 if the profile already requires the competency."""
    services.require_editor(request.user)
    requirement = services.add_requirement(
        acting_user=request.user,
        job_profile=_profile_detail(request, profile_id),
        competency=_competency(request, payload.competency_id),
        required_level=payload.required_level,
        importance=payload.importance,
        essential=payload.essential,
    )
    return Status(201, requirement)


@router.put("/job-profiles/{profile_id}/requirements/{competency_id}", response=RequirementOut)
def set_requirement_api(
    request: HttpRequest, profile_id: int, competency_id: int, payload: RequirementLevelIn
) -> JobProfileRequirement:
    """Add or change the requirement of one competency."""
    services.require_editor(request.user)
    return services.set_requirement(
        acting_user=request.user,
        job_profile=_profile_detail(request, profile_id),
        competency=_competency(request, competency_id),
        required_level=payload.required_level,
        importance=payload.importance,
        essential=payload.essential,
    )


@router.delete("/job-profiles/{profile_id}/requirements/{competency_id}", response={204: None})
def remove_requirement_api(
    request: HttpRequest, profile_id: int, competency_id: int
) -> Status[None]:
    services.require_editor(request.user)
    services.remove_requirement(
        acting_user=request.user,
        job_profile=_profile_detail(request, profile_id),
        competency=_competency(request, competency_id),
    )
    return Status(204, None)
