from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from milepost.accounts.access import (
    AnyUser,
    employee_filter,
    own_employee_id,
)
from milepost.accounts.models import OrgUnit, Role
from milepost.frameworks.models import Competency, JobProfileRequirement
from milepost.people.models import Assessment, Employee
from milepost.reviews.models import DevelopmentPlanItem, Objective, ReviewCycle, ReviewParticipant

# --- review cycles ---------------------------------------------------------------------------


def visible_participants(user: AnyUser) -> QuerySet[ReviewParticipant]:
    """Review participations of the employees the user may see."""
    participants = ReviewParticipant.objects.all()
    scope = employee_filter(user, "employee")
    return participants if scope is None else participants.filter(scope)


def visible_cycles(user: AnyUser) -> QuerySet[ReviewCycle]:
    """Every cycle for organisation-wide roles; for others, the cycles someone they see is in."""
    cycles = ReviewCycle.objects.all()
    if employee_filter(user) is None:
        return cycles
    return cycles.filter(pk__in=visible_participants(user).values("cycle_id"))


def get_cycle(user: AnyUser, cycle_id: int) -> ReviewCycle:
    return get_object_or_404(visible_cycles(user), pk=cycle_id)


def get_participant(user: AnyUser, participant_id: int) -> ReviewParticipant:
    return get_object_or_404(
        visible_participants(user).select_related(
            "cycle",
            "job_profile",
            "employee__unit",
            "employee__manager__user",
            "employee__user",
        ),
        pk=participant_id,
    )


STAGE_FILTERS: dict[str, Q] = {
    ReviewParticipant.Stage.SELF: Q(agreed_at__isnull=True, self_submitted_at__isnull=True),
    ReviewParticipant.Stage.MANAGER: Q(
        agreed_at__isnull=True, self_submitted_at__isnull=False, manager_submitted_at__isnull=True
    ),
    ReviewParticipant.Stage.AGREEMENT: Q(
        agreed_at__isnull=True, self_submitted_at__isnull=False, manager_submitted_at__isnull=False
    ),
    ReviewParticipant.Stage.AGREED: Q(agreed_at__isnull=False),
}


@dataclass(frozen=True)
class StageCount:
    stage: str
    label: str
    count: int


@dataclass(frozen=True)
class CycleProgress:
    """How far a cycle has come, over the participants the user may see."""

    total: int
    stages: list[StageCount]
    self_overdue: int  # no self-assessment after its due date
    manager_overdue: int  # no manager's assessment after its due date

    @property
    def agreed(self) -> int:
        return next(s.count for s in self.stages if s.stage == ReviewParticipant.Stage.AGREED)

    @property
    def pct_agreed(self) -> float:
        return 100.0 * self.agreed / self.total if self.total else 0.0


def cycle_progress(user: AnyUser, cycle: ReviewCycle, today: datetime.date) -> CycleProgress:
    """Counts by stage and overdue steps, in one query."""
    participants = visible_participants(user).filter(cycle=cycle)
    counts = participants.aggregate(
        total=Count("pk"),
        **{f"stage_{stage}": Count("pk", filter=where) for stage, where in STAGE_FILTERS.items()},
        self_overdue=Count(
            "pk",
            filter=Q(self_submitted_at__isnull=True, agreed_at__isnull=True)
            & Q(cycle__self_assessment_due__lt=today),
        ),
        manager_overdue=Count(
            "pk",
            filter=Q(manager_submitted_at__isnull=True, agreed_at__isnull=True)
            & Q(cycle__manager_assessment_due__lt=today),
        ),
    )
    return CycleProgress(
        total=counts["total"],
        stages=[
            StageCount(stage.value, str(stage.label), counts[f"stage_{stage.value}"])
            for stage in ReviewParticipant.Stage
        ],
        self_overdue=counts["self_overdue"],
        manager_overdue=counts["manager_overdue"],
    )


def cycle_participants(
    user: AnyUser,
    cycle: ReviewCycle,
    *,
    stage: str = "",
    query: str = "",
    unit: OrgUnit | None = None,
) -> QuerySet[ReviewParticipant]:
    participants = (
        visible_participants(user)
        .filter(cycle=cycle)
        .select_related("employee__unit", "employee__manager", "job_profile")
    )
    if stage in STAGE_FILTERS:
        participants = participants.filter(STAGE_FILTERS[stage])
    for term in query.split():
        participants = participants.filter(
            Q(employee__first_name__icontains=term)
            | Q(employee__last_name__icontains=term)
            | Q(employee__employee_id__icontains=term)
        )
    if unit is not None:
        participants = participants.filter(employee__unit__path__startswith=unit.path)
    return participants.order_by("employee__last_name", "employee__first_name", "pk")


def own_reviews(user: AnyUser) -> QuerySet[ReviewParticipant]:
    """The user's own participations, newest cycle first."""
    own_id = own_employee_id(user)
    if own_id is None:
        return ReviewParticipant.objects.none()
    return (
        ReviewParticipant.objects.filter(employee_id=own_id)
        .select_related("cycle", "job_profile")
        .order_by("-cycle__opens_on", "cycle__name")
    )


def reviews_waiting_for_manager(user: AnyUser) -> QuerySet[ReviewParticipant]:
    """Open-cycle reviews of the user's people that wait for a manager's rating or agreement.

    Only line managers have such a list: coordinators follow whole cycles on their pages.
    """
    if not (user.is_authenticated and user.role == Role.LINE_MANAGER):
        return ReviewParticipant.objects.none()
    waiting = (
        STAGE_FILTERS[ReviewParticipant.Stage.MANAGER]
        | STAGE_FILTERS[ReviewParticipant.Stage.AGREEMENT]
    )
    return (
        visible_participants(user)
        .filter(waiting, cycle__status=ReviewCycle.Status.OPEN)
        .exclude(employee__user=user)
        .select_related("cycle", "employee__unit", "job_profile")
        .order_by("cycle__manager_assessment_due", "employee__last_name", "pk")
    )


@dataclass
class ReviewLine:
    """One competency of a review: the requirement and this cycle's ratings of each kind."""

    requirement: JobProfileRequirement
    ratings: dict[str, Assessment] = field(default_factory=dict)

    @property
    def competency(self) -> Competency:
        return self.requirement.competency

    @property
    def self_rating(self) -> Assessment | None:
        return self.ratings.get(Assessment.Kind.SELF)

    @property
    def manager_rating(self) -> Assessment | None:
        return self.ratings.get(Assessment.Kind.MANAGER)

    @property
    def agreed_rating(self) -> Assessment | None:
        return self.ratings.get(Assessment.Kind.AGREED)

    @property
    def scale(self) -> Any:
        return self.competency.framework.scale


def review_lines(participant: ReviewParticipant) -> list[ReviewLine]:
    """The participant's profile requirements (with their scales' named levels) and the latest
    rating of each kind given in this cycle. Three queries."""
    lines = {
        requirement.competency_id: ReviewLine(requirement)
        for requirement in JobProfileRequirement.objects.filter(
            job_profile_id=participant.job_profile_id
        )
        .select_related("competency__framework__scale")
        .prefetch_related("competency__framework__scale__levels")
        .order_by("-essential", "-importance", "competency__name")
    }
    rows = Assessment.objects.filter(
        employee_id=participant.employee_id,
        cycle_id=participant.cycle_id,
        competency_id__in=list(lines),
    ).order_by("-created_at", "-pk")
    for row in rows:
        lines[row.competency_id].ratings.setdefault(row.kind, row)
    return list(lines.values())


def employee_objectives(employee: Employee) -> QuerySet[Objective]:
    return (
        Objective.objects.filter(employee=employee)
        .select_related("cycle")
        .order_by("-cycle__opens_on", "status", "-weight", "title")
    )


def employee_development_items(employee: Employee) -> QuerySet[DevelopmentPlanItem]:
    return (
        DevelopmentPlanItem.objects.filter(employee=employee)
        .select_related("competency", "cycle")
        .order_by("status", "due_on", "pk")
    )


def get_objective(user: AnyUser, objective_id: int) -> Objective:
    objectives = Objective.objects.select_related("employee")
    scope = employee_filter(user, "employee")
    return get_object_or_404(
        objectives if scope is None else objectives.filter(scope), pk=objective_id
    )


def get_development_item(user: AnyUser, item_id: int) -> DevelopmentPlanItem:
    items = DevelopmentPlanItem.objects.select_related("employee", "competency")
    scope = employee_filter(user, "employee")
    return get_object_or_404(items if scope is None else items.filter(scope), pk=item_id)


def profile_competencies(employee: Employee) -> list[Competency]:
    """The competencies of the employee's job profile, most important first."""
    if employee.job_profile_id is None:
        return []
    return [
        requirement.competency
        for requirement in JobProfileRequirement.objects.filter(
            job_profile_id=employee.job_profile_id
        )
        .select_related("competency__framework__scale")
        .order_by("-essential", "-importance", "competency__name")
    ]


def employee_reviews(employee: Employee) -> QuerySet[ReviewParticipant]:
    return (
        ReviewParticipant.objects.filter(employee=employee)
        .select_related("cycle", "job_profile")
        .order_by("-cycle__opens_on", "cycle__name")
    )


@dataclass(frozen=True)
class OverdueSteps:
    """An open cycle's review steps past their due date, over the participants a user sees."""

    cycle: ReviewCycle
    self_overdue: int
    manager_overdue: int
    waiting: int  # participants not yet agreed
    total: int

    @property
    def overdue(self) -> int:
        return self.self_overdue + self.manager_overdue


def open_cycles_progress(user: AnyUser, today: datetime.date) -> list[OverdueSteps]:
    """Each open cycle the user sees, with its overdue steps and how many are not yet agreed:
    one query for all cycles."""
    rows = (
        visible_participants(user)
        .filter(cycle__status=ReviewCycle.Status.OPEN)
        .values("cycle_id")
        .annotate(
            total=Count("pk"),
            waiting=Count("pk", filter=Q(agreed_at__isnull=True)),
            self_overdue=Count(
                "pk",
                filter=Q(self_submitted_at__isnull=True, agreed_at__isnull=True)
                & Q(cycle__self_assessment_due__lt=today),
            ),
            manager_overdue=Count(
                "pk",
                filter=Q(manager_submitted_at__isnull=True, agreed_at__isnull=True)
                & Q(cycle__manager_assessment_due__lt=today),
            ),
        )
        .order_by("cycle_id")
    )
    counts = {row["cycle_id"]: row for row in rows}
    cycles = ReviewCycle.objects.filter(pk__in=counts).order_by("closes_on", "name")
    return [
        OverdueSteps(
            cycle=cycle,
            self_overdue=counts[cycle.pk]["self_overdue"],
            manager_overdue=counts[cycle.pk]["manager_overdue"],
            waiting=counts[cycle.pk]["waiting"],
            total=counts[cycle.pk]["total"],
        )
        for cycle in cycles
    ]
