"""The pull dashboard: pull ratio, response time, open needs by age, demand over time."""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from milepost.accounts.access import AnyUser, can_view_demand
from milepost.lib.charts import BarChart, LineChart, bar_chart, line_chart
from milepost.needs import selectors
from milepost.needs.demand.breakdowns import OTHER_UNITS, _plural, _unit_names, business_unit_id
from milepost.needs.models import (
    OPEN_STATUSES,
    PlannedTraining,
)

TOP_UNITS_OVER_TIME = 6
MONTHS = 12


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
