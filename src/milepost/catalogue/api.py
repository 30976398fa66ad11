"""REST endpoints for the catalogue (mounted at /api/v1/): courses, qualifications, tracks.

Endpoints only parse input and call the same selectors and services as the web pages.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, ModelSchema, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from milepost.catalogue import selectors, services
from milepost.catalogue.costing import seat_cost
from milepost.catalogue.models import (
    MAX_PLACES_PER_RUN,
    Course,
    LearningOutcome,
    Modality,
    ProviderKind,
    Qualification,
    Track,
    TrackStep,
)
from milepost.frameworks.selectors import visible_competencies

router = Router(tags=["catalogue"])


class OutcomeOut(ModelSchema):
    competency_id: int
    competency_code: str
    competency_name: str
    framework_code: str

    class Meta:
        model = LearningOutcome
        fields = ["raises_to_level", "description"]

    @staticmethod
    def resolve_competency_code(obj: LearningOutcome) -> str:
        return obj.competency.code

    @staticmethod
    def resolve_competency_name(obj: LearningOutcome) -> str:
        return obj.competency.name

    @staticmethod
    def resolve_framework_code(obj: LearningOutcome) -> str:
        return obj.competency.framework.code


class CourseOut(ModelSchema):
    currency: str = Field(description="The currency of every cost (CATALOGUE_CURRENCY).")
    seat_cost: Decimal = Field(
        description="One person's place: their cost plus their share of a run "
        "(cost_per_person + cost_per_run / places_per_run), the catalogue's one costing rule."
    )

    class Meta:
        model = Course
        fields = [
            "id",
            "code",
            "title",
            "summary",
            "modality",
            "duration_hours",
            "cost_per_person",
            "cost_per_run",
            "places_per_run",
            "provider_kind",
            "provider_name",
            "audience",
            "is_active",
        ]

    @staticmethod
    def resolve_currency(obj: Course) -> str:
        return str(settings.CATALOGUE_CURRENCY)

    @staticmethod
    def resolve_seat_cost(obj: Course) -> Decimal:
        return seat_cost(obj)


class CourseDetailOut(CourseOut):
    prerequisites: list[str] = Field(description="Codes of the courses to complete first.")
    outcomes: list[OutcomeOut]

    @staticmethod
    def resolve_prerequisites(obj: Course) -> list[str]:
        return [course.code for course in obj.prerequisites.all()]

    @staticmethod
    def resolve_outcomes(obj: Course) -> list[LearningOutcome]:
        return list(obj.outcomes.all())


class QualificationOut(ModelSchema):
    outcomes: list[OutcomeOut]

    class Meta:
        model = Qualification
        fields = [
            "id",
            "code",
            "title",
            "summary",
            "awarding_body",
            "level_framework",
            "level",
            "credits",
            "guided_learning_hours",
            "funding_eligible",
            "funding_note",
            "validity_months",
            "renewal",
            "cost_per_person",
            "is_active",
        ]

    @staticmethod
    def resolve_outcomes(obj: Qualification) -> list[LearningOutcome]:
        return list(obj.outcomes.all())


class TrackOut(ModelSchema):
    job_profile_id: int | None = None
    step_count: int = 0

    class Meta:
        model = Track
        fields = ["id", "code", "title", "description", "enforce_order", "is_active"]


class StepOut(Schema):
    position: int
    kind: str
    offer_id: int
    code: str
    title: str
    note: str

    @staticmethod
    def resolve_kind(obj: TrackStep) -> str:
        return "course" if obj.course_id else "qualification"

    @staticmethod
    def resolve_offer_id(obj: TrackStep) -> int:
        return int(obj.course_id or obj.qualification_id or 0)

    @staticmethod
    def resolve_code(obj: TrackStep) -> str:
        return obj.offer.code if obj.offer else ""

    @staticmethod
    def resolve_title(obj: TrackStep) -> str:
        return obj.offer.title if obj.offer else ""


class TrackDetailOut(TrackOut):
    competency_ids: list[int]
    steps: list[StepOut]

    @staticmethod
    def resolve_competency_ids(obj: Track) -> list[int]:
        return [competency.pk for competency in obj.competencies.all()]

    @staticmethod
    def resolve_steps(obj: Track) -> list[TrackStep]:
        return list(obj.steps.all())

    @staticmethod
    def resolve_step_count(obj: Track) -> int:
        return len(obj.steps.all())


class OutcomeIn(Schema):
    competency_id: int
    raises_to_level: int
    description: str = ""


class CourseIn(Schema):
    code: str
    title: str
    modality: Modality
    summary: str = ""
    duration_hours: Decimal = Field(Decimal("0"), ge=0, max_digits=7, decimal_places=2)
    cost_per_person: Decimal = Field(Decimal("0"), ge=0, max_digits=10, decimal_places=2)
    cost_per_run: Decimal = Field(Decimal("0"), ge=0, max_digits=10, decimal_places=2)
    places_per_run: int | None = Field(
        None, ge=1, le=MAX_PLACES_PER_RUN, description="People one run takes; null: no limit."
    )
    provider_kind: ProviderKind = ProviderKind.INTERNAL
    provider_name: str = ""
    audience: str = ""
    is_active: bool = True
    prerequisites: list[str] = Field([], description="Codes of courses to complete first.")
    outcomes: list[OutcomeIn] = []


@router.get("/courses", response=list[CourseOut])
@paginate(PageNumberPagination, page_size=settings.PAGE_SIZE)
def list_courses(
    request: HttpRequest,
    q: str = "",
    modality: str = "",
    provider_kind: str = "",
    competency: int | None = None,
    active: bool | None = None,
) -> QuerySet[Course]:
    """Search codes, titles and summaries; filter by modality, provider, competency, status."""
    return selectors.search_courses(
        request.user,
        query=q,
        modality=modality,
        provider_kind=provider_kind,
        competency_id=competency,
        active=active,
    )


@router.get("/courses/{course_id}", response=CourseDetailOut)
def get_course_api(request: HttpRequest, course_id: int) -> Course:
    return selectors.get_course(request.user, course_id)


@router.post("/courses", response={201: CourseDetailOut})
def create_course_api(request: HttpRequest, payload: CourseIn) -> Status[Course]:
    """Coordinators and admins only; 422 names every problem (code, costs, outcomes...)."""
    services.require_editor(request.user)
    courses = selectors.visible_courses(request.user).in_bulk(
        payload.prerequisites, field_name="code"
    )
    unknown = sorted(set(payload.prerequisites) - set(courses))
    ids = [outcome.competency_id for outcome in payload.outcomes]
    competencies = (
        visible_competencies(request.user).select_related("framework__scale").in_bulk(ids)
    )
    missing = sorted(set(ids) - set(competencies))
    if unknown or missing:
        problems: dict[str, list[str]] = {}
        if unknown:
            problems["prerequisites"] = [f"No course with code '{code}'." for code in unknown]
        if missing:
            problems["outcomes"] = [f"No competency with id {pk}." for pk in missing]
        raise ValidationError(problems)
    course = services.create_course(
        acting_user=request.user,
        code=payload.code,
        title=payload.title,
        summary=payload.summary,
        modality=payload.modality,
        duration_hours=payload.duration_hours,
        cost_per_person=payload.cost_per_person,
        cost_per_run=payload.cost_per_run,
        places_per_run=payload.places_per_run,
        provider_kind=payload.provider_kind,
        provider_name=payload.provider_name,
        audience=payload.audience,
        is_active=payload.is_active,
        prerequisites=[courses[code] for code in payload.prerequisites],
        outcomes=[
            services.OutcomeSpec(
                competency=competencies[outcome.competency_id],
                raises_to_level=outcome.raises_to_level,
                description=outcome.description,
            )
            for outcome in payload.outcomes
        ],
    )
    return Status(201, selectors.get_course(request.user, course.pk))


@router.get("/qualifications", response=list[QualificationOut])
@paginate(PageNumberPagination, page_size=settings.PAGE_SIZE)
def list_qualifications(
    request: HttpRequest,
    q: str = "",
    level_framework: str = "",
    competency: int | None = None,
    active: bool | None = None,
) -> QuerySet[Qualification]:
    return selectors.search_qualifications(
        request.user,
        query=q,
        level_framework=level_framework,
        competency_id=competency,
        active=active,
    ).prefetch_related("outcomes__competency__framework")


@router.get("/tracks", response=list[TrackOut])
@paginate(PageNumberPagination, page_size=settings.PAGE_SIZE)
def list_tracks(request: HttpRequest, q: str = "") -> QuerySet[Track]:
    return selectors.search_tracks(request.user, query=q)


@router.get("/tracks/{track_id}", response=TrackDetailOut)
def get_track_api(request: HttpRequest, track_id: int) -> Track:
    return selectors.get_track(request.user, track_id)
