import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from milepost.accounts.access import can_administer_people, require
from milepost.accounts.http import api_caller
from milepost.accounts.models import User
from milepost.accounts.selectors import visible_units
from milepost.frameworks.models import Competency, JobProfile
from milepost.people import selectors as people_selectors
from milepost.people.api import AssessmentOut, CompetencyRef, JobProfileRef
from milepost.people.models import Assessment
from milepost.reviews import selectors, services
from milepost.reviews.models import DevelopmentPlanItem, Objective, ReviewCycle, ReviewParticipant

router = Router(tags=["reviews"])

# --- review cycles -------------------------------------------------------------------------


class StageCountOut(Schema):
    stage: str
    label: str
    count: int


class CycleOut(Schema):
    id: int
    name: str
    description: str
    status: str
    opens_on: datetime.date
    self_assessment_due: datetime.date
    manager_assessment_due: datetime.date
    closes_on: datetime.date


class CycleDetailOut(CycleOut):
    participants: int
    stages: list[StageCountOut]
    self_overdue: int
    manager_overdue: int


class CycleIn(Schema):
    name: str
    description: str = ""
    opens_on: datetime.date
    self_assessment_due: datetime.date
    manager_assessment_due: datetime.date
    closes_on: datetime.date
    unit_ids: list[int] = Field(default_factory=list, description="Each with the units below")
    job_profile_ids: list[int] = Field(default_factory=list)


class EmployeeRef(Schema):
    id: int
    employee_id: str
    first_name: str
    last_name: str


class ParticipantOut(Schema):
    id: int
    employee: EmployeeRef
    job_profile: JobProfileRef
    stage: str
    self_submitted_at: datetime.datetime | None
    manager_submitted_at: datetime.datetime | None
    agreed_at: datetime.datetime | None


class RatingIn(Schema):
    competency_id: int
    level: int
    comment: str = ""


class RatingsIn(Schema):
    kind: str = Field(description="self, manager or agreed")
    ratings: list[RatingIn] = Field(description="One per competency of the job profile")


def _cycle_detail(user: User, cycle: ReviewCycle) -> dict[str, Any]:
    progress = selectors.cycle_progress(user, cycle, timezone.localdate())
    return {
        **CycleOut.from_orm(cycle).model_dump(),
        "participants": progress.total,
        "stages": [vars(stage) for stage in progress.stages],
        "self_overdue": progress.self_overdue,
        "manager_overdue": progress.manager_overdue,
    }


@router.get("/review-cycles", response=list[CycleOut], summary="Review cycles you can see")
@paginate(PageNumberPagination, page_size=settings.PAGE_SIZE)
def list_cycles(request: HttpRequest) -> Any:
    return selectors.visible_cycles(api_caller(request))


@router.post(
    "/review-cycles",
    response={201: CycleDetailOut},
    summary="Open a review cycle (coordinators); enrols everyone it covers",
)
def create_cycle(request: HttpRequest, payload: CycleIn) -> Any:
    user = api_caller(request)
    # Before resolving ids, so other roles get 403 rather than "unknown unit".
    require(can_administer_people(user), "Only L&D coordinators open review cycles.")
    units = list(visible_units(user).filter(pk__in=payload.unit_ids))
    profiles = list(JobProfile.objects.filter(pk__in=payload.job_profile_ids))
    unknown_units = sorted(set(payload.unit_ids) - {u.pk for u in units})
    unknown_profiles = sorted(set(payload.job_profile_ids) - {p.pk for p in profiles})
    problems = {}
    if unknown_units:
        problems["unit_ids"] = f"no unit you can see with id {unknown_units}"
    if unknown_profiles:
        problems["job_profile_ids"] = f"no job profile with id {unknown_profiles}"
    if problems:
        raise ValidationError(problems)
    cycle = services.open_review_cycle(
        acting_user=user,
        name=payload.name,
        description=payload.description,
        opens_on=payload.opens_on,
        self_assessment_due=payload.self_assessment_due,
        manager_assessment_due=payload.manager_assessment_due,
        closes_on=payload.closes_on,
        units=units,
        job_profiles=profiles,
    )
    return Status(201, _cycle_detail(user, cycle))


@router.get(
    "/review-cycles/{cycle_id}",
    response=CycleDetailOut,
    summary="One review cycle with its progress (over the people you can see)",
)
def get_cycle_api(request: HttpRequest, cycle_id: int) -> Any:
    user = api_caller(request)
    return _cycle_detail(user, selectors.get_cycle(user, cycle_id))


@router.get(
    "/review-cycles/{cycle_id}/participants",
    response=list[ParticipantOut],
    summary="The people in a cycle you can see, with their stage",
)
@paginate(PageNumberPagination, page_size=settings.PAGE_SIZE)
def list_participants(request: HttpRequest, cycle_id: int, stage: str = "") -> Any:
    user = api_caller(request)
    return selectors.cycle_participants(user, selectors.get_cycle(user, cycle_id), stage=stage)


@router.post(
    "/reviews/{participant_id}/ratings",
    response={201: list[AssessmentOut]},
    summary="Submit a whole self, manager or agreed rating of one review",
)
def submit_ratings(request: HttpRequest, participant_id: int, payload: RatingsIn) -> Any:
    user = api_caller(request)
    participant: ReviewParticipant = selectors.get_participant(user, participant_id)
    rows = services.submit_review_ratings(
        acting_user=user,
        participant=participant,
        kind=payload.kind,
        ratings=[services.Rating(r.competency_id, r.level, r.comment) for r in payload.ratings],
    )
    ids = [row.pk for row in rows]
    return Status(
        201,
        list(
            Assessment.objects.filter(pk__in=ids).select_related(
                "competency__framework", "assessed_by"
            )
        ),
    )


# --- objectives and development plans --------------------------------------------------------


class ObjectiveOut(Schema):
    id: int
    cycle_id: int | None
    title: str
    description: str
    weight: int
    progress: int
    due_on: datetime.date | None
    status: str


class ObjectiveIn(Schema):
    title: str
    weight: int = Field(description="Per cent; an employee's objectives in a cycle total <= 100")
    cycle_id: int | None = None
    description: str = ""
    due_on: datetime.date | None = None


class DevelopmentItemOut(Schema):
    id: int
    cycle_id: int | None
    competency: CompetencyRef
    target_level: int
    action: str
    due_on: datetime.date | None
    status: str


class DevelopmentItemIn(Schema):
    competency_id: int
    target_level: int
    action: str
    cycle_id: int | None = None
    due_on: datetime.date | None = None


def _optional_cycle(user: User, cycle_id: int | None) -> ReviewCycle | None:
    return selectors.get_cycle(user, cycle_id) if cycle_id is not None else None


@router.get(
    "/employees/{employee_id}/objectives",
    response=list[ObjectiveOut],
    summary="An employee's objectives",
)
def list_objectives(request: HttpRequest, employee_id: int) -> Any:
    employee = people_selectors.get_employee(api_caller(request), employee_id)
    return selectors.employee_objectives(employee)


@router.post(
    "/employees/{employee_id}/objectives",
    response={201: ObjectiveOut},
    summary="Set an objective (the employee's manager or a coordinator)",
)
def create_objective(request: HttpRequest, employee_id: int, payload: ObjectiveIn) -> Any:
    user = api_caller(request)
    employee = people_selectors.get_employee(user, employee_id)
    objective: Objective = services.add_objective(
        acting_user=user,
        employee=employee,
        cycle=_optional_cycle(user, payload.cycle_id),
        title=payload.title,
        weight=payload.weight,
        description=payload.description,
        due_on=payload.due_on,
    )
    return Status(201, objective)


@router.get(
    "/employees/{employee_id}/development-plan",
    response=list[DevelopmentItemOut],
    summary="An employee's development plan",
)
def list_development_items(request: HttpRequest, employee_id: int) -> Any:
    employee = people_selectors.get_employee(api_caller(request), employee_id)
    return selectors.employee_development_items(employee).select_related("competency__framework")


@router.post(
    "/employees/{employee_id}/development-plan",
    response={201: DevelopmentItemOut},
    summary="Plan development of a competency of the job profile to a target level",
)
def create_development_item(
    request: HttpRequest, employee_id: int, payload: DevelopmentItemIn
) -> Any:
    user = api_caller(request)
    employee = people_selectors.get_employee(user, employee_id)
    try:
        competency = Competency.objects.select_related("framework__scale").get(
            pk=payload.competency_id
        )
    except Competency.DoesNotExist as exc:
        raise ValidationError(
            {"competency_id": f"competency {payload.competency_id} does not exist"}
        ) from exc
    item: DevelopmentPlanItem = services.add_development_item(
        acting_user=user,
        employee=employee,
        cycle=_optional_cycle(user, payload.cycle_id),
        competency=competency,
        target_level=payload.target_level,
        action=payload.action,
        due_on=payload.due_on,
    )
    return Status(201, item)
