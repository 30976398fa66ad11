"""Reads for needs, narrowed to what the user may see."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404

from milepost.accounts.access import AnyUser, need_filter, submittable_unit_filter
from milepost.accounts.models import OrgUnit
from milepost.clients.models import Client
from milepost.needs import matching
from milepost.needs.models import OPEN_STATUSES, DemandTheme, Need, NeedCompetency

if TYPE_CHECKING:
    from milepost.engines.demand import ThemeItem

SIMILAR_MIN = 0.55
# A new need this like one of the requester's own open needs is probably the same one sent twice.
DUPLICATE_MIN = 0.85
SIMILAR_LIMIT = 5
# A need fits an existing theme when its mean similarity to the theme's open needs reaches the
# threshold at which "Find similar needs" groups needs (engines/demand, 0.5).
THEME_FIT_MIN = 0.5


def visible_needs(user: AnyUser) -> QuerySet[Need]:
    needs = Need.objects.all()
    scope = need_filter(user)
    return needs if scope is None else needs.filter(scope)


def clients_with_needs(user: AnyUser) -> QuerySet[Client]:
    """The clients of the needs `user` can see (the needs list's and the board's client filter):
    a bounded list, whatever the size of the client book."""
    owners = visible_needs(user).filter(client__isnull=False).values("client_id")
    return Client.objects.filter(pk__in=owners).order_by(Lower("name"), "pk")


def submittable_units(user: AnyUser) -> QuerySet[OrgUnit]:
    units = OrgUnit.objects.order_by("path")
    scope = submittable_unit_filter(user)
    return units if scope is None else units.filter(scope)


def with_mappings(needs: QuerySet[Need]) -> QuerySet[Need]:
    return needs.prefetch_related(
        Prefetch(
            "mappings",
            queryset=NeedCompetency.objects.select_related("competency").order_by("rank", "pk"),
        )
    )


def with_mapping_rows(needs: QuerySet[Need]) -> QuerySet[Need]:
    """The mapping as a plain list on each need (`mapping_rows`): for pages that read
    hundreds of needs, where a related manager a need costs more than the rows themselves."""
    return needs.prefetch_related(
        Prefetch(
            "mappings",
            queryset=NeedCompetency.objects.select_related("competency").order_by("rank", "pk"),
            to_attr=MAPPING_ROWS,
        )
    )


MAPPING_ROWS = "mapping_rows_prefetched"


def mapping_rows(need: Need) -> list[NeedCompetency]:
    """A need's mapping rows: the list `with_mapping_rows` left, else its (prefetched)
    mapping."""
    rows: list[NeedCompetency] | None = getattr(need, MAPPING_ROWS, None)
    return rows if rows is not None else list(need.mappings.all())


def get_need(user: AnyUser, need_id: int) -> Need:
    """One visible need with its unit, requester, theme and mapping, or 404."""
    return get_object_or_404(
        with_mappings(visible_needs(user).select_related("unit", "requester", "theme")),
        pk=need_id,
    )


def need_search(
    user: AnyUser,
    *,
    query: str = "",
    status: str = "",
    unit: OrgUnit | None = None,
    competency_id: int | None = None,
    source: str = "",
    theme_id: int | None = None,
    client_id: int | None = None,
) -> QuerySet[Need]:
    """Visible needs matching the words and filters; `unit` includes the units below it."""
    needs = visible_needs(user).select_related("unit", "requester", "theme", "client")
    for term in query.split():
        needs = needs.filter(
            Q(title__icontains=term)
            | Q(description__icontains=term)
            | Q(business_issue__icontains=term)
        )
    if status == "open":
        needs = needs.filter(status__in=OPEN_STATUSES)
    elif status:
        needs = needs.filter(status=status)
    if unit is not None:
        needs = needs.filter(unit__path__startswith=unit.path)
    if competency_id is not None:
        needs = needs.filter(mappings__competency_id=competency_id).distinct()
    if source:
        needs = needs.filter(source=source)
    if theme_id is not None:
        needs = needs.filter(theme_id=theme_id)
    if client_id is not None:
        needs = needs.filter(client_id=client_id)
    return needs.order_by("-created_at", "-pk")


def mapped_competency_ids(need: Need) -> frozenset[int]:
    """The competencies a need counts as being about: what people confirmed or accepted,
    else the engine's three best suggestions (uses the prefetched mapping)."""
    remembered: frozenset[int] | None = need.__dict__.get("_counted_competency_ids")
    if remembered is not None:
        return remembered
    rows = mapping_rows(need)
    counted = [row.competency_id for row in rows if row.counts]
    if counted:
        found = frozenset(counted)
    else:
        found = frozenset(row.competency_id for row in sorted(rows, key=lambda r: r.rank)[:3])
    # A prefetched mapping does not change under us: the board asks for each need three
    # times (rank, chart, catalogue), so remember the answer on this instance.
    if hasattr(need, MAPPING_ROWS) or "mappings" in getattr(need, "_prefetched_objects_cache", {}):
        need.__dict__["_counted_competency_ids"] = found
    return found


def possible_duplicates(
    user: AnyUser, *, text: str, threshold: float = DUPLICATE_MIN
) -> list[tuple[Need, float]]:
    """The user's own open needs that say nearly what `text` says (text similarity, 0..1),
    most alike first: a need about to be sent twice."""
    from milepost.engines.demand import ThemeItem, similarity_matrix

    if not user.is_authenticated:
        return []
    own = list(
        Need.objects.filter(requester_id=user.pk, status__in=OPEN_STATUSES)
        .select_related("unit")
        .order_by("-created_at")[:500]
    )
    if not own:
        return []
    vector = matching.embed(text)
    items = [
        ThemeItem(0, text, frozenset(), vector),
        *(ThemeItem(n.pk, n.text, frozenset(), matching.vector_from(n.embedding)) for n in own),
    ]
    scores = similarity_matrix(items)[0, 1:]
    found = [(need, float(score)) for need, score in zip(own, scores, strict=True)]
    return sorted(
        [(need, score) for need, score in found if score >= threshold], key=lambda row: -row[1]
    )


@dataclass
class SimilarNeeds:
    """Needs like this one: those the user may open, and how many more exist elsewhere."""

    visible: list[tuple[Need, float]]
    hidden_count: int
    hidden_units: int


def _theme_item(need: Need) -> ThemeItem:
    from milepost.engines.demand import ThemeItem

    return ThemeItem(
        need.pk, need.text, mapped_competency_ids(need), matching.vector_from(need.embedding)
    )


def need_similarity(needs: list[Need]) -> np.ndarray:
    """Pairwise similarity of needs on 0..1: text and competencies together, or the text alone
    when that is higher, so two needs in near-identical words are similar even when one was
    confirmed and the other mapped differently (the bereaved customers of Property and Motor)."""
    from milepost.engines.demand import similarity_matrix

    items = [_theme_item(need) for need in needs]
    combined = similarity_matrix(items)
    text_only = similarity_matrix(items, text_weight=1.0)
    return np.maximum(combined, text_only)


def similar_needs(user: AnyUser, need: Need, *, limit: int = SIMILAR_LIMIT) -> SimilarNeeds:
    """Open needs in any unit that say the same thing (text and competencies, or the text
    alone when nearly identical); those the user may not open are only counted."""
    candidates = list(
        with_mappings(
            Need.objects.filter(status__in=OPEN_STATUSES).exclude(pk=need.pk).select_related("unit")
        ).order_by("-created_at")[:2000]
    )
    if not candidates:
        return SimilarNeeds([], 0, 0)
    scores = need_similarity([need, *candidates])[0, 1:]
    order = np.argsort(-scores)
    similar = [(candidates[i], float(scores[i])) for i in order if scores[i] >= SIMILAR_MIN]
    visible_ids = set(
        visible_needs(user)
        .filter(pk__in=[row.pk for row, _ in similar])
        .values_list("pk", flat=True)
    )
    visible = [(row, score) for row, score in similar if row.pk in visible_ids][:limit]
    hidden = [row for row, _ in similar if row.pk not in visible_ids]
    return SimilarNeeds(visible, len(hidden), len({row.unit_id for row in hidden}))


def visible_themes(user: AnyUser) -> QuerySet[DemandTheme]:
    """Themes holding at least one need the user may see."""
    return DemandTheme.objects.filter(needs__in=visible_needs(user)).distinct()


@dataclass
class ProposedTheme:
    """A group of similar open needs with no theme yet, and a title to start from."""

    needs: list[Need]
    title: str
    competency_names: list[str]

    @property
    def unit_count(self) -> int:
        return len({need.unit_id for need in self.needs})


def proposed_themes(user: AnyUser, *, threshold: float = 0.5) -> list[ProposedTheme]:
    """Group the visible open needs that have no theme (engines/demand, average linkage)."""
    from milepost.engines.demand import group_similar

    needs = list(
        with_mappings(
            visible_needs(user)
            .filter(status__in=OPEN_STATUSES, theme__isnull=True)
            .select_related("unit", "requester")
        ).order_by("pk")
    )
    by_id = {need.pk: need for need in needs}
    items = [_theme_item(need) for need in needs]
    proposals = []
    for group in group_similar(items, threshold=threshold):
        members = [by_id[need_id] for need_id in group]
        # Rank-weighted votes: a competency that comes first for most needs names the theme.
        names: dict[str, float] = defaultdict(float)
        for need in members:
            counted = mapped_competency_ids(need)
            for row in need.mappings.all():
                if row.competency_id in counted:
                    names[row.competency.name] += 1 / max(row.rank, 1)
        common = sorted(names, key=lambda name: -names[name])[:3]
        title = common[0] if common else members[0].title
        proposals.append(ProposedTheme(members, title, common))
    return proposals


def requester_key(requester_id: int, requester_name: str) -> tuple[str, int | str]:
    """Who raised a need: the person named when it was entered on their behalf (in any case
    or spacing, whoever entered it), else the user who raised it."""
    name = " ".join(requester_name.split()).casefold()
    return ("named", name) if name else ("user", requester_id)


def requester_count(needs: Iterable[Need]) -> int:
    """The one definition of requesters: distinct people who raised an open need among
    `needs` (a need entered on someone's behalf counts the person named, once)."""
    return len(
        {
            requester_key(need.requester_id, need.requester_name)
            for need in needs
            if need.status in OPEN_STATUSES
        }
    )


@dataclass
class ThemeFit:
    """An open need without a theme that says what an existing theme's needs say."""

    need: Need
    theme: DemandTheme
    similarity: float


def needs_fitting_themes(
    user: AnyUser, *, needs: list[Need] | None = None, threshold: float = THEME_FIT_MIN
) -> list[ThemeFit]:
    """For each visible open need without a theme (or each of `needs`), the existing theme
    whose visible open needs it is most like on average (average linkage, as grouping does),
    when that is at least `threshold`; best fits first."""
    open_needs = with_mappings(
        visible_needs(user).filter(status__in=OPEN_STATUSES).select_related("unit", "theme")
    ).order_by("pk")
    if needs is None:
        unthemed = [need for need in open_needs if need.theme_id is None]
        themed = [need for need in open_needs if need.theme_id is not None]
    else:
        unthemed = [need for need in needs if need.theme_id is None and need.is_open]
        themed = list(open_needs.filter(theme__isnull=False))
    if not unthemed or not themed:
        return []
    similarity = need_similarity([*unthemed, *themed])[: len(unthemed), len(unthemed) :]
    members: dict[int, list[int]] = defaultdict(list)
    themes: dict[int, DemandTheme] = {}
    for column, need in enumerate(themed):
        assert need.theme is not None
        members[need.theme.pk].append(column)
        themes[need.theme.pk] = need.theme
    fits = []
    for row, need in enumerate(unthemed):
        means = {
            theme_id: float(similarity[row, columns].mean())
            for theme_id, columns in members.items()
        }
        best = max(means, key=lambda theme_id: means[theme_id])
        if means[best] >= threshold:
            fits.append(ThemeFit(need, themes[best], means[best]))
    return sorted(fits, key=lambda fit: (-fit.similarity, fit.need.pk))


@dataclass
class ThemeSummary:
    theme: DemandTheme
    need_count: int
    open_count: int
    requester_count: int  # `requester_count`: people behind its open needs
    unit_count: int
    people_affected: int


def theme_summaries(user: AnyUser) -> list[ThemeSummary]:
    """Every theme with visible needs, with counts over those needs (two queries)."""
    rows = (
        visible_needs(user)
        .filter(theme__isnull=False)
        .only("theme_id", "requester_id", "requester_name", "unit_id", "people_affected", "status")
    )
    by_theme: dict[int, list[Need]] = defaultdict(list)
    for need in rows:
        if need.theme_id is not None:  # always, as filtered; says so to the type checker
            by_theme[need.theme_id].append(need)
    themes = DemandTheme.objects.filter(pk__in=by_theme).order_by("title")
    return [
        ThemeSummary(
            theme,
            need_count=len(needs),
            open_count=sum(1 for need in needs if need.is_open),
            requester_count=requester_count(needs),
            unit_count=len({need.unit_id for need in needs}),
            people_affected=sum(need.people_affected for need in needs),
        )
        for theme, needs in ((theme, by_theme[theme.pk]) for theme in themes)
    ]


def competencies_with_open_needs(
    user: AnyUser, competency_ids: list[int], unit: OrgUnit | None
) -> frozenset[int]:
    """Which of these competencies an open need the user can see already maps (accepted or
    confirmed), in `unit` and the units below it (None: anywhere). One query."""
    if not competency_ids:
        return frozenset()
    needs = visible_needs(user).filter(status__in=OPEN_STATUSES)
    if unit is not None:
        needs = needs.filter(unit__path__startswith=unit.path)
    rows = (
        NeedCompetency.objects.filter(need__in=needs, competency_id__in=competency_ids)
        .filter(Q(accepted=True) | Q(confirmed_by_requester=True))
        .order_by()
        .values_list("competency_id", flat=True)
        .distinct()
    )
    return frozenset(rows)
