"""The demand board: themes and unthemed needs ranked by the documented priority score."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from milepost.accounts.access import AnyUser
from milepost.accounts.models import OrgUnit
from milepost.engines.demand.priority import PriorityFactors, PriorityInputs, Weights
from milepost.engines.demand.priority import priority_factors as score_factors
from milepost.frameworks.models import Competency
from milepost.lib.charts import BarChart
from milepost.needs import selectors
from milepost.needs.demand.breakdowns import NO_UNIT, demand_by_business_unit, demand_by_competency
from milepost.needs.models import (
    OPEN_STATUSES,
    DemandTheme,
    Impact,
    Need,
    NeedCompetency,
    PriorityWeights,
    Status,
    Urgency,
)
from milepost.needs.offers import EMPTY, CatalogueAnswer, catalogue_answers


def current_weights() -> Weights:
    stored = PriorityWeights.current()
    return Weights(
        impact=stored.impact, urgency=stored.urgency, people=stored.people, breadth=stored.breadth
    )


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
    def has_issue(self) -> bool:
        """A business issue names the theme (or the lone need): annotated by `board_needs`."""
        return bool(getattr(self.needs[0], "theme_has_issue" if self.theme else "has_issue", False))

    @property
    def has_proposal(self) -> bool:
        """A proposal addresses such an issue."""
        name = "theme_has_proposal" if self.theme else "has_proposal"
        return bool(getattr(self.needs[0], name, False))

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
        return selectors.requester_count(self.needs)

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
            for row in selectors.mapping_rows(need)
            if row.competency_id in self.competency_ids
        }
        return sorted(names)


@dataclass(frozen=True)
class DemandBoard:
    rows: list[BoardRow]
    by_unit: BarChart
    by_competency: BarChart


def board_needs(
    user: AnyUser,
    *,
    unit: OrgUnit | None = None,
    status: str = "open",
    client_id: int | None = None,
) -> QuerySet[Need]:
    """The visible needs the board reads, with unit, requester, theme and mapping."""
    # The long texts and the embedding are never shown on the board: not read either.
    needs = (
        selectors.visible_needs(user)
        .select_related("unit", "theme")
        .defer("description", "business_issue", "decline_reason", "embedding")
    )
    if status == "open":
        needs = needs.filter(status__in=OPEN_STATUSES)
    elif status:
        needs = needs.filter(status=status)
    if client_id is not None:
        needs = needs.filter(client_id=client_id)
    if unit is not None:
        needs = needs.filter(unit__path__startswith=unit.path)
    return selectors.with_mapping_rows(with_issue_flags(needs)).order_by("pk")


def with_issue_flags(needs: QuerySet[Need]) -> QuerySet[Need]:
    """Whether a business issue names each need and its theme, and whether a proposal addresses
    that issue: subqueries on the reverse relations the proposals app declares
    (`business_issues`), so the board stays one query and needs never imports proposals."""
    themes = DemandTheme.objects.filter(pk=OuterRef("theme_id"))
    same = Need.objects.filter(pk=OuterRef("pk"))
    return needs.annotate(
        theme_has_issue=Exists(themes.filter(business_issues__isnull=False)),
        theme_has_proposal=Exists(themes.filter(business_issues__proposals__isnull=False)),
        has_issue=Exists(same.filter(business_issues__isnull=False)),
        has_proposal=Exists(same.filter(business_issues__proposals__isnull=False)),
    )


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
    client_id: int | None = None,
    weights: Weights,
    today: datetime.date | None = None,
) -> list[BoardRow]:
    """Themes and unthemed needs the user may see, ranked by priority score.

    `unit` includes the units below it; `status` is "open", one status, or "" for all;
    a row is kept when any of its needs is about `competency_id`.
    """
    needs = board_needs(user, unit=unit, status=status, client_id=client_id)
    return rows_from_needs(needs, weights=weights, competency_id=competency_id, today=today)


def demand_board(
    user: AnyUser,
    *,
    unit: OrgUnit | None = None,
    competency_id: int | None = None,
    status: str = "open",
    client_id: int | None = None,
    gaps_only: bool = False,
    weights: Weights,
    today: datetime.date | None = None,
    answer_every_row: bool = True,
) -> DemandBoard:
    """The board's ranked rows, each with what the catalogue offers for it, and its two
    charts, over the same filters (ten queries). `gaps_only` keeps the rows nothing in the
    catalogue answers. With `answer_every_row=False` (and not `gaps_only`) the rows are
    ranked and charted without the catalogue (three queries): the page answers the rows it
    shows with `answer_rows`."""
    rows = board_rows(
        user,
        unit=unit,
        competency_id=competency_id,
        status=status,
        client_id=client_id,
        weights=weights,
        today=today,
    )
    if answer_every_row or gaps_only:
        answer_rows(user, rows)
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


def answer_rows(user: AnyUser, rows: Iterable[BoardRow]) -> None:
    """Fill in what the catalogue offers for each of these rows (seven queries for them all)."""
    rows = list(rows)
    for row, answer in zip(rows, catalogue_answers(user, [row.needs for row in rows]), strict=True):
        row.catalogue = answer


def empty_board() -> DemandBoard:
    """The board when its filters do not validate."""
    return DemandBoard([], demand_by_business_unit([]), demand_by_competency([]))


def board_competencies(user: AnyUser) -> QuerySet[Competency]:
    """Competencies that appear in the mapping of a need the user may see (filter choices)."""
    mapped = NeedCompetency.objects.filter(need__in=selectors.visible_needs(user))
    return Competency.objects.filter(pk__in=mapped.values("competency_id")).order_by("name")
