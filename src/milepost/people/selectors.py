"""Reads for people, narrowed to what the user may see."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404

from milepost.accounts.access import (
    AnyUser,
    employee_filter,
)
from milepost.accounts.models import OrgUnit
from milepost.accounts.selectors import visible_units
from milepost.frameworks.models import Competency, JobProfile, JobProfileRequirement
from milepost.people.models import Assessment, Employee


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
    subtree_count: int | None = None  # set when the units below are not drawn
    hidden_children: int = 0  # units directly below that are not drawn

    @property
    def employee_count(self) -> int:
        return int(getattr(self.unit, "employee_count", 0))

    @property
    def total_count(self) -> int:
        if self.subtree_count is not None:
            return self.subtree_count
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


# Past this many visible units the organisation page draws the top of the chart only (and a
# search): 70,000 units drawn at once took 9 s and 17 MB.
TREE_UNIT_LIMIT = 500


@dataclass
class UnitChart:
    roots: list[UnitNode]
    total_units: int
    complete: bool  # every visible unit is drawn


def unit_chart(user: AnyUser, *, limit: int | None = None) -> UnitChart:
    """The organisation chart for the page: whole when small, else the top levels that fit
    in `limit` (TREE_UNIT_LIMIT), each with its head count below and how many units below
    are not drawn."""
    limit = TREE_UNIT_LIMIT if limit is None else limit
    visible = visible_units(user)
    # How many visible units on each level: one pass over the units (at 70,000 units a count
    # a level took 15-25 ms each).
    per_depth = dict(
        visible.order_by()
        .values_list("depth")
        .annotate(units=Count("pk"))
        .values_list("depth", "units")
    )
    total = sum(per_depth.values())
    if total <= limit:
        return UnitChart(unit_tree(user), total, complete=True)
    depth = min(per_depth)
    drawn = per_depth[depth]
    while drawn + per_depth.get(depth + 1, 0) <= limit:
        depth += 1
        drawn += per_depth.get(depth, 0)
    units = (
        units_with_counts(user)
        .filter(depth__lte=depth)
        .annotate(child_units=Count("children", distinct=True))
        .select_related("parent")
        .order_by("path")
    )
    nodes = {unit.pk: UnitNode(unit) for unit in units}
    roots: list[UnitNode] = []
    for node in nodes.values():
        parent = nodes.get(node.unit.parent_id) if node.unit.parent_id else None
        (parent.children if parent is not None else roots).append(node)
    # Head counts below each drawn unit: one grouped query over the visible employees' units.
    totals = dict.fromkeys(nodes, 0)
    per_unit = (
        visible_employees(user)
        .filter(is_active=True, unit__in=visible)
        .order_by()
        .values_list("unit__path")
        .annotate(people=Count("pk"))
    )
    for path, people in per_unit:
        for key in path.strip("/").split("/"):
            if key and int(key) in totals:
                totals[int(key)] += people
    for node in nodes.values():
        node.subtree_count = totals[node.unit.pk]
        drawn = len(node.children)
        node.hidden_children = int(getattr(node.unit, "child_units", 0)) - drawn
        node.children.sort(key=lambda child: child.unit.name.lower())
    roots.sort(key=lambda root: root.unit.name.lower())
    return UnitChart(roots, total, complete=False)


def search_units(user: AnyUser, query: str) -> QuerySet[OrgUnit]:
    """Visible units whose name or code contains `query`, for the organisation page."""
    return (
        units_with_counts(user)
        .filter(Q(name__icontains=query) | Q(code__icontains=query))
        .select_related("parent")
        .order_by("name", "pk")
    )


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
    """The visible units directly below `unit` (the page shows a bounded slice)."""
    return units_with_counts(user).filter(parent=unit).order_by("name", "pk")


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
    history_count: int = 0  # every row of the competency in the evidence log

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

    Three queries whatever the number of competencies or assessments.
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
    # Only the latest row of each competency and kind, and a count of the rest: a person with
    # 10,000 ratings costs the same two queries and a page of rows, not 10,000 objects.
    # Rank the bare rows first and join only the winners: ranking the joined rows cost 160 ms
    # CPU on SQLite at 10,000 ratings, this 35 ms.
    ranked = (
        Assessment.objects.filter(employee=employee)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("competency_id"), F("kind")],
                order_by=["-assessed_on", "-created_at", "-pk"],
            )
        )
        .filter(rank=1)
        .values("pk")
    )
    latest = (
        Assessment.objects.filter(pk__in=ranked)
        .select_related("competency__framework__scale", "assessed_by", "cycle")
        .order_by("competency__name", "competency_id")
    )
    counts = dict(
        Assessment.objects.filter(employee=employee)
        .order_by()
        .values_list("competency_id")
        .annotate(rows=Count("pk"))
        .values_list("competency_id", "rows")
    )
    for row in latest:
        standing = standings.get(row.competency_id)
        if standing is None:
            standing = CompetencyStanding(competency=row.competency)
            standings[row.competency_id] = standing
            extra.append(standing)
        standing.latest[row.kind] = row
        standing.history_count = counts.get(row.competency_id, 0)
    required = [s for s in standings.values() if s.required_level is not None]
    extra.sort(key=lambda s: s.competency.name.lower())
    return required + extra
