"""Reads for people, narrowed to what the user may see."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
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
from milepost.accounts.selectors import visible_units
from milepost.frameworks.models import Competency, JobProfile, JobProfileRequirement
from milepost.people.models import (
    Assessment,
    DevelopmentPlanItem,
    Employee,
    Objective,
    ReviewCycle,
    ReviewParticipant,
)


def visible_employees(user: AnyUser) -> QuerySet[Employee]:
    employees = Employee.objects.all()
    scope = employee_filter(user)
    return employees if scope is None else employees.filter(scope)


# --- organisation units ------------------------------------------------------------------


@dataclass
class UnitNode:
    """One unit in the rendered tree, with its direct and subtree head counts."""

    unit: OrgUnit
    children: list[UnitNode] = field(default_factory=list)

    @property
    def employee_count(self) -> int:
        return int(getattr(self.unit, "employee_count", 0))

    @property
    def total_count(self) -> int:
        return self.employee_count + sum(child.total_count for child in self.children)

    @property
    def parent_code(self) -> str:
        parent = self.unit.parent
        return parent.code if parent is not None else ""


def units_with_counts(user: AnyUser) -> QuerySet[OrgUnit]:
    """Visible units, each annotated with `employee_count` (its own active employees)."""
    return visible_units(user).annotate(
        employee_count=Count("employees", filter=Q(employees__is_active=True))
    )


def unit_tree(user: AnyUser) -> list[UnitNode]:
    """The visible part of the organisation chart as nested nodes, from one query.

    A line manager's tree starts at their own unit: roots are the visible units whose
    parent is not visible.
    """
    units = units_with_counts(user).select_related("parent").order_by("path")
    nodes = {unit.pk: UnitNode(unit) for unit in units}
    roots: list[UnitNode] = []
    for node in nodes.values():
        parent = nodes.get(node.unit.parent_id) if node.unit.parent_id else None
        (parent.children if parent is not None else roots).append(node)
    for node in nodes.values():
        node.children.sort(key=lambda child: child.unit.name.lower())
    roots.sort(key=lambda root: root.unit.name.lower())
    return roots


def flatten_tree(roots: list[UnitNode]) -> Iterator[UnitNode]:
    """Nodes in the order the tree is drawn: each unit, then the units below it."""
    for node in roots:
        yield node
        yield from flatten_tree(node.children)


def get_unit(user: AnyUser, unit_id: int) -> OrgUnit:
    """One visible unit (with `employee_count`) or 404, so hidden units do not leak."""
    return get_object_or_404(units_with_counts(user).select_related("parent"), pk=unit_id)


def unit_ancestors(user: AnyUser, unit: OrgUnit) -> QuerySet[OrgUnit]:
    """The visible units above `unit`, top first (for breadcrumbs; hidden ones are left out)."""
    return visible_units(user).filter(pk__in=unit.ancestor_ids).order_by("path")


def sub_units(user: AnyUser, unit: OrgUnit) -> QuerySet[OrgUnit]:
    return units_with_counts(user).filter(parent=unit).order_by("name")


def unit_members(user: AnyUser, unit: OrgUnit) -> QuerySet[Employee]:
    """The visible employees placed directly in `unit`."""
    return (
        visible_employees(user)
        .filter(unit=unit)
        .select_related("job_profile", "manager")
        .order_by("last_name", "first_name", "employee_id")
    )


# --- employees -----------------------------------------------------------------------------


def employee_search(
    user: AnyUser,
    *,
    query: str = "",
    unit: OrgUnit | None = None,
    job_profile_id: int | None = None,
    active: bool | None = None,
) -> QuerySet[Employee]:
    """Visible employees matching the search and filters; `unit` includes its sub-units."""
    employees = visible_employees(user).select_related("unit", "job_profile", "manager")
    for term in query.split():
        employees = employees.filter(
            Q(first_name__icontains=term)
            | Q(last_name__icontains=term)
            | Q(employee_id__icontains=term)
            | Q(email__icontains=term)
            | Q(job_title__icontains=term)
        )
    if unit is not None:
        employees = employees.filter(unit__path__startswith=unit.path)
    if job_profile_id is not None:
        employees = employees.filter(job_profile_id=job_profile_id)
    if active is not None:
        employees = employees.filter(is_active=active)
    return employees.order_by("last_name", "first_name", "employee_id")


def job_profiles_in_use(user: AnyUser) -> QuerySet[JobProfile]:
    """Job profiles held by at least one employee the user can see (for list filters).

    An imported ESCO or O*NET catalogue has thousands of profiles nobody holds; offering
    them all in a filter would make the page heavy and the choice useless.
    """
    held = visible_employees(user).filter(job_profile__isnull=False).values("job_profile_id")
    return JobProfile.objects.filter(pk__in=held).order_by("title")


def get_employee(user: AnyUser, employee_id: int) -> Employee:
    """One visible employee with unit, manager and job profile, or 404."""
    return get_object_or_404(
        visible_employees(user).select_related("unit", "manager", "job_profile", "user"),
        pk=employee_id,
    )


# --- competency assessments ----------------------------------------------------------------


@dataclass
class CompetencyStanding:
    """Where an employee stands on one competency: required level and latest of each kind."""

    competency: Competency
    required_level: int | None = None
    essential: bool = False
    latest: dict[str, Assessment] = field(default_factory=dict)
    history: list[Assessment] = field(default_factory=list)

    @property
    def self_assessment(self) -> Assessment | None:
        return self.latest.get(Assessment.Kind.SELF)

    @property
    def manager_assessment(self) -> Assessment | None:
        return self.latest.get(Assessment.Kind.MANAGER)

    @property
    def agreed_assessment(self) -> Assessment | None:
        return self.latest.get(Assessment.Kind.AGREED)

    @property
    def gap(self) -> int | None:
        """Required minus agreed level (positive means below the requirement)."""
        agreed = self.agreed_assessment
        if self.required_level is None or agreed is None:
            return None
        return self.required_level - agreed.level


def assessment_history(
    employee: Employee, *, competency_id: int | None = None
) -> QuerySet[Assessment]:
    """Every assessment row of `employee`, newest first: the full, append-only history."""
    rows = Assessment.objects.filter(employee=employee).select_related(
        "competency__framework__scale", "assessed_by", "cycle"
    )
    if competency_id is not None:
        rows = rows.filter(competency_id=competency_id)
    return rows.order_by("competency__name", "competency_id", "-assessed_on", "-created_at", "-pk")


def competency_standings(employee: Employee) -> list[CompetencyStanding]:
    """One row per competency on the employee's job profile, then any other assessed ones.

    Two queries whatever the number of competencies or assessments.
    """
    standings: dict[int, CompetencyStanding] = {}
    if employee.job_profile_id is not None:
        requirements: Iterable[JobProfileRequirement] = (
            JobProfileRequirement.objects.filter(job_profile_id=employee.job_profile_id)
            .select_related("competency__framework__scale")
            .order_by("-essential", "-importance", "competency__name")
        )
        for requirement in requirements:
            standings[requirement.competency_id] = CompetencyStanding(
                competency=requirement.competency,
                required_level=requirement.required_level,
                essential=requirement.essential,
            )
    extra: list[CompetencyStanding] = []
    # Newest first within each competency and kind, so the first row seen is the latest.
    for row in assessment_history(employee):
        standing = standings.get(row.competency_id)
        if standing is None:
            standing = CompetencyStanding(competency=row.competency)
            standings[row.competency_id] = standing
            extra.append(standing)
        standing.latest.setdefault(row.kind, row)
        standing.history.append(row)
    required = [s for s in standings.values() if s.required_level is not None]
    extra.sort(key=lambda s: s.competency.name.lower())
    return required + extra


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
