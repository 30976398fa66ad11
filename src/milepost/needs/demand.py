"""Reads for the demand board and the pull dashboard, narrowed to what the user may see.

Rows are aggregated in Python over one fetch of the visible needs (with their competency
mapping prefetched), so each page costs a fixed number of queries however many needs there
are. Dates are bucketed in Python too: SQL date functions differ between SQLite and
PostgreSQL.
"""

from __future__ import annotations

import datetime
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from milepost.accounts.access import AnyUser, can_view_demand
from milepost.accounts.models import OrgUnit
from milepost.engines.demand.priority import PriorityFactors, PriorityInputs, Weights
from milepost.engines.demand.priority import priority_factors as score_factors
from milepost.frameworks.models import Competency
from milepost.lib.charts import BarChart, LineChart, bar_chart, line_chart
from milepost.needs import selectors
from milepost.needs.models import (
    OPEN_STATUSES,
    DemandTheme,
    Impact,
    Need,
    NeedCompetency,
    PlannedTraining,
    PriorityWeights,
    Status,
    Urgency,
)
from milepost.needs.offers import EMPTY, CatalogueAnswer, catalogue_answers

TOP_COMPETENCIES = 12
TOP_BUSINESS_UNITS = 12
TOP_UNITS_OVER_TIME = 6
MONTHS = 12
NO_UNIT = "No unit"
OTHER_UNITS = "Other units"


def current_weights() -> Weights:
    stored = PriorityWeights.current()
    return Weights(
        impact=stored.impact, urgency=stored.urgency, people=stored.people, breadth=stored.breadth
    )


# --- the demand board ------------------------------------------------------------------------


@dataclass
class BoardRow:
    """One line of the board: a demand theme (its visible needs together) or a lone need."""

    title: str
    needs: list[Need]
    theme: DemandTheme | None
    factors: PriorityFactors
    competency_ids: frozenset[int]
    rank: int = 0
    catalogue: CatalogueAnswer = field(default=EMPTY)

    @property
    def need(self) -> Need | None:
        return None if self.theme is not None else self.needs[0]

    @property
    def url(self) -> str:
        if self.theme is not None:
            return reverse("needs:theme-detail", args=[self.theme.pk])
        return reverse("needs:need-detail", args=[self.needs[0].pk])

    @property
    def score(self) -> float:
        return self.factors.score

    @property
    def need_count(self) -> int:
        return len(self.needs)

    @property
    def requester_count(self) -> int:
        return len(
            {(need.requester_id, need.requester_name.strip().lower()) for need in self.needs}
        )

    @property
    def unit_names(self) -> list[str]:
        return sorted({need.unit.name for need in self.needs if need.unit is not None})

    @property
    def unit_count(self) -> int:
        return len({need.unit_id for need in self.needs})

    @property
    def people_affected(self) -> int:
        return sum(need.people_affected for need in self.needs)

    @property
    def impact(self) -> int:
        return max(need.impact for need in self.needs)

    @property
    def urgency(self) -> int:
        return max(need.urgency for need in self.needs)

    @property
    def impact_label(self) -> str:
        return Impact(self.impact).label

    @property
    def urgency_label(self) -> str:
        return Urgency(self.urgency).label

    @property
    def wanted_by(self) -> datetime.date | None:
        dates = [need.wanted_by for need in self.needs if need.wanted_by is not None]
        return min(dates) if dates else None

    @property
    def unit_summary(self) -> str:
        """At most three unit names, then how many more."""
        names = self.unit_names
        shown = ", ".join(names[:3]) or NO_UNIT
        return f"{shown} +{len(names) - 3} more" if len(names) > 3 else shown

    @property
    def factor_breakdown(self) -> str:
        factors = self.factors
        return (
            f"impact {factors.impact:.0%}, urgency {factors.urgency:.0%}, "
            f"people {factors.people:.0%}, breadth {factors.breadth:.0%}"
        )

    @property
    def status_labels(self) -> list[str]:
        present = {need.status for need in self.needs}
        return [label for value, label in Status.choices if value in present]

    @property
    def competency_names(self) -> list[str]:
        names = {
            row.competency.name
            for need in self.needs
            for row in need.mappings.all()
            if row.competency_id in self.competency_ids
        }
        return sorted(names)


@dataclass(frozen=True)
class DemandBoard:
    rows: list[BoardRow]
    by_unit: BarChart
    by_competency: BarChart


def board_needs(
    user: AnyUser, *, unit: OrgUnit | None = None, status: str = "open"
) -> QuerySet[Need]:
    """The visible needs the board reads, with unit, requester, theme and mapping."""
    needs = selectors.visible_needs(user).select_related("unit", "theme")
    if status == "open":
        needs = needs.filter(status__in=OPEN_STATUSES)
    elif status:
        needs = needs.filter(status=status)
    if unit is not None:
        needs = needs.filter(unit__path__startswith=unit.path)
    return selectors.with_mappings(needs).order_by("pk")


def rows_from_needs(
    needs: Iterable[Need],
    *,
    weights: Weights,
    competency_id: int | None = None,
    today: datetime.date | None = None,
) -> list[BoardRow]:
    """Group needs by theme, score each group and rank them, highest score first."""
    today = today or timezone.localdate()
    groups: dict[int, list[Need]] = defaultdict(list)
    rows: list[BoardRow] = []
    lone: list[list[Need]] = []
    for need in needs:
        if need.theme_id is not None:
            groups[need.theme_id].append(need)
        else:
            lone.append([need])
    for members in [*groups.values(), *lone]:
        competencies: frozenset[int] = frozenset().union(
            *(selectors.mapped_competency_ids(need) for need in members)
        )
        if competency_id is not None and competency_id not in competencies:
            continue
        theme = members[0].theme
        units = {need.unit_id for need in members if need.unit_id is not None}
        dates = [need.wanted_by for need in members if need.wanted_by is not None]
        inputs = PriorityInputs(
            impact=max(need.impact for need in members),
            urgency=max(need.urgency for need in members),
            people_affected=sum(need.people_affected for need in members),
            units=max(1, len(units)),
            wanted_by=min(dates) if dates else None,
        )
        rows.append(
            BoardRow(
                title=theme.title if theme is not None else members[0].title,
                needs=members,
                theme=theme,
                factors=score_factors(inputs, weights, today),
                competency_ids=competencies,
            )
        )
    rows.sort(
        key=lambda row: (
            -row.score,
            row.wanted_by or datetime.date.max,
            -row.people_affected,
            row.title.lower(),
        )
    )
    for rank, row in enumerate(rows, start=1):
        row.rank = rank
    return rows


def board_rows(
    user: AnyUser,
    *,
    unit: OrgUnit | None = None,
    competency_id: int | None = None,
    status: str = "open",
    weights: Weights,
    today: datetime.date | None = None,
) -> list[BoardRow]:
    """Themes and unthemed needs the user may see, ranked by priority score.

    `unit` includes the units below it; `status` is "open", one status, or "" for all;
    a row is kept when any of its needs is about `competency_id`.
    """
    needs = board_needs(user, unit=unit, status=status)
    return rows_from_needs(needs, weights=weights, competency_id=competency_id, today=today)


def demand_board(
    user: AnyUser,
    *,
    unit: OrgUnit | None = None,
    competency_id: int | None = None,
    status: str = "open",
    gaps_only: bool = False,
    weights: Weights,
    today: datetime.date | None = None,
) -> DemandBoard:
    """The board's ranked rows, each with what the catalogue offers for it, and its two
    charts, over the same filters (ten queries). `gaps_only` keeps the rows nothing in the
    catalogue answers."""
    rows = board_rows(
        user,
        unit=unit,
        competency_id=competency_id,
        status=status,
        weights=weights,
        today=today,
    )
    for row, answer in zip(rows, catalogue_answers(user, [row.needs for row in rows]), strict=True):
        row.catalogue = answer
    if gaps_only:
        rows = [row for row in rows if row.catalogue.is_gap]
        for rank, row in enumerate(rows, start=1):
            row.rank = rank
    needs = [need for row in rows for need in row.needs]
    return DemandBoard(
        rows=rows,
        by_unit=demand_by_business_unit(needs),
        by_competency=demand_by_competency(needs),
    )


def empty_board() -> DemandBoard:
    """The board when its filters do not validate."""
    return DemandBoard([], demand_by_business_unit([]), demand_by_competency([]))


def board_competencies(user: AnyUser) -> QuerySet[Competency]:
    """Competencies that appear in the mapping of a need the user may see (filter choices)."""
    mapped = NeedCompetency.objects.filter(need__in=selectors.visible_needs(user))
    return Competency.objects.filter(pk__in=mapped.values("competency_id")).order_by("name")


# --- demand by business unit and by competency -----------------------------------------------


def business_unit_id(path: str | None) -> int | None:
    """The unit's ancestor at depth 1 (its business unit), or the unit itself at depth 0/1."""
    if not path:
        return None
    ids = [int(part) for part in path.strip("/").split("/") if part]
    return ids[1] if len(ids) > 1 else ids[0]


def _unit_names(unit_ids: Iterable[int | None]) -> dict[int | None, str]:
    ids = {unit_id for unit_id in unit_ids if unit_id is not None}
    names: dict[int | None, str] = dict(
        OrgUnit.objects.filter(pk__in=ids).values_list("pk", "name")
    )
    names[None] = NO_UNIT
    return names


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _people(count: int) -> str:
    return f"{count:,} {'person' if count == 1 else 'people'}"


def demand_by_business_unit(needs: Sequence[Need]) -> BarChart:
    """Needs and people affected per business unit (one query for the unit names)."""
    counts: Counter[int | None] = Counter()
    people: Counter[int | None] = Counter()
    for need in needs:
        key = business_unit_id(need.unit.path if need.unit is not None else None)
        counts[key] += 1
        people[key] += need.people_affected
    names = _unit_names(counts) if counts else {}
    ordered = sorted(counts, key=lambda key: (-counts[key], names[key].lower()))
    items = [
        (names[key], counts[key], _people(people[key])) for key in ordered[:TOP_BUSINESS_UNITS]
    ]
    rest = ordered[TOP_BUSINESS_UNITS:]
    if rest:
        rest_people = sum(people[key] for key in rest)
        items.append(
            (
                OTHER_UNITS,
                sum(counts[key] for key in rest),
                _people(rest_people),
            )
        )
    return bar_chart(
        "Demand by business unit",
        items,
        label_heading="Business unit",
        value_heading="Needs",
        note_heading="People affected",
        empty_text="No needs match these filters.",
        unit_word="needs",
    )


def demand_by_competency(needs: Sequence[Need]) -> BarChart:
    """The competencies most needs are about (top 12), from the prefetched mapping."""
    counts: Counter[int] = Counter()
    people: Counter[int] = Counter()
    names: dict[int, str] = {}
    for need in needs:
        counted = selectors.mapped_competency_ids(need)
        for row in need.mappings.all():
            if row.competency_id in counted:
                names[row.competency_id] = row.competency.name
        for competency_id in counted:
            counts[competency_id] += 1
            people[competency_id] += need.people_affected
    ordered = sorted(counts, key=lambda key: (-counts[key], names[key].lower()))
    items = [
        (
            names[key],
            counts[key],
            _people(people[key]),
        )
        for key in ordered[:TOP_COMPETENCIES]
    ]
    return bar_chart(
        f"Demand by competency (top {TOP_COMPETENCIES})",
        items,
        label_heading="Competency",
        value_heading="Needs",
        note_heading="People affected",
        empty_text="No need here is mapped to a competency yet.",
        unit_word="needs",
    )


# --- the pull dashboard ----------------------------------------------------------------------


@dataclass(frozen=True)
class PullRatio:
    pull: int
    total: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.pull / self.total) if self.total else None

    @property
    def push(self) -> int:
        return self.total - self.pull


@dataclass(frozen=True)
class ResponseTime:
    """Median time from a need being raised to the L&D team's first status change."""

    median_hours: float | None
    answered: int
    awaiting: int

    @property
    def display(self) -> str:
        hours = self.median_hours
        if hours is None:
            return "\u2014"
        if hours < 1:
            return "under 1 hour"
        if hours < 48:
            return _plural(round(hours), "hour")
        days = hours / 24
        return f"{days:.1f} days" if days < 10 else _plural(round(days), "day")


AGE_BUCKETS = (
    ("Under 7 days", 0, 7),
    ("7 to 30 days", 7, 30),
    ("30 to 90 days", 30, 90),
    ("Over 90 days", 90, None),
)


@dataclass
class PullDashboard:
    pull_ratio: PullRatio
    response: ResponseTime
    open_needs: int
    age_chart: BarChart
    over_time: LineChart


def visible_plan(user: AnyUser) -> QuerySet[PlannedTraining]:
    """The training plan: organisation-wide roles read all of it; nobody else sees it."""
    entries = PlannedTraining.objects.select_related("need", "theme", "unit", "planned_by")
    return entries if can_view_demand(user) else entries.none()


def pull_ratio(user: AnyUser) -> PullRatio:
    """Share of training plan entries that answer a need or a theme."""
    flags = list(visible_plan(user).values_list("need_id", "theme_id"))
    pull = sum(1 for need_id, theme_id in flags if need_id is not None or theme_id is not None)
    return PullRatio(pull=pull, total=len(flags))


def response_time(user: AnyUser) -> ResponseTime:
    rows = selectors.visible_needs(user).values_list("created_at", "first_response_at")
    waits: list[float] = []
    awaiting = 0
    for created_at, first_response_at in rows:
        if first_response_at is None:
            awaiting += 1
        else:
            waits.append(max((first_response_at - created_at).total_seconds(), 0) / 3600)
    return ResponseTime(
        median_hours=statistics.median(waits) if waits else None,
        answered=len(waits),
        awaiting=awaiting,
    )


def open_needs_by_age(user: AnyUser, *, now: datetime.datetime | None = None) -> BarChart:
    now = now or timezone.now()
    created = selectors.visible_needs(user).filter(status__in=OPEN_STATUSES)
    counts = [0] * len(AGE_BUCKETS)
    for created_at in created.values_list("created_at", flat=True):
        days = (now - created_at).total_seconds() / 86400
        for index, (_, low, high) in enumerate(AGE_BUCKETS):
            if days >= low and (high is None or days < high):
                counts[index] += 1
                break
        else:
            counts[0] += 1  # created "in the future" (clock skew): count as new
    return bar_chart(
        "Open needs by age",
        label_heading="Age",
        items=[
            (label, count, "") for (label, _, _), count in zip(AGE_BUCKETS, counts, strict=True)
        ],
        value_heading="Open needs",
        empty_text="No open needs.",
        unit_word="open needs",
    )


def month_starts(today: datetime.date, count: int = MONTHS) -> list[datetime.date]:
    """The first day of the last `count` calendar months, oldest first, this month last."""
    year, month = today.year, today.month
    starts = []
    for _ in range(count):
        starts.append(datetime.date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return starts[::-1]


def demand_over_time(user: AnyUser, *, today: datetime.date | None = None) -> LineChart:
    """Needs raised per calendar month over the last 12 months, per business unit
    (the six with most needs, then "Other units")."""
    today = today or timezone.localdate()
    months = month_starts(today)
    since = timezone.make_aware(datetime.datetime.combine(months[0], datetime.time.min))
    rows = (
        selectors.visible_needs(user)
        .filter(created_at__gte=since)
        .values_list("created_at", "unit__path")
    )
    index_of = {(month.year, month.month): index for index, month in enumerate(months)}
    per_unit: dict[int | None, list[int]] = defaultdict(lambda: [0] * len(months))
    for created_at, path in rows:
        local = timezone.localtime(created_at)
        index = index_of.get((local.year, local.month))
        if index is not None:
            per_unit[business_unit_id(path)][index] += 1
    names = _unit_names(per_unit) if per_unit else {}
    ordered = sorted(per_unit, key=lambda key: (-sum(per_unit[key]), names[key].lower()))
    series: list[tuple[str, Sequence[int]]] = [
        (names[key], per_unit[key]) for key in ordered[:TOP_UNITS_OVER_TIME]
    ]
    rest = ordered[TOP_UNITS_OVER_TIME:]
    if rest:
        other = [sum(per_unit[key][index] for key in rest) for index in range(len(months))]
        series.append((OTHER_UNITS, other))
    years = [
        str(month.year) if index == 0 or month.month == 1 else ""
        for index, month in enumerate(months)
    ]
    return line_chart(
        "Needs raised per month, by business unit",
        [month.strftime("%b %Y") for month in months],
        series,
        x_short=[month.strftime("%b") for month in months],
        x_notes=years,
        series_heading="Business unit",
        empty_text="No needs raised in the last 12 months.",
    )


def pull_dashboard(user: AnyUser, *, now: datetime.datetime | None = None) -> PullDashboard:
    """Every figure of the pull dashboard, over the needs and plan the user may see."""
    now = now or timezone.now()
    age_chart = open_needs_by_age(user, now=now)
    return PullDashboard(
        pull_ratio=pull_ratio(user),
        response=response_time(user),
        open_needs=sum(bar.value for bar in age_chart.bars),
        age_chart=age_chart,
        over_time=demand_over_time(user, today=timezone.localdate(now)),
    )
