"""Reads for frameworks and job profiles.

Frameworks, competencies and job profiles are the organisation's shared reference data:
every logged-in user may read them (editing is checked in services). The selectors still
take the user, so a narrower rule can be added here in one place.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    Count,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.shortcuts import get_object_or_404

from milepost.accounts.access import AnyUser
from milepost.frameworks.models import (
    Competency,
    CompetencyLevel,
    Framework,
    JobProfile,
    JobProfileRequirement,
)

# Sibling order in a tree: the framework's own sort key, then the name.
SIBLING_ORDER = ("sort_key", "name", "pk")
# How many tree nodes a framework page renders before leaving deeper levels to htmx.
FIRST_RENDER_NODES = 150


def visible_frameworks(user: AnyUser) -> QuerySet[Framework]:
    """Frameworks with their scale and how many competencies (and groups) each holds."""
    if not user.is_authenticated:
        return Framework.objects.none()
    return Framework.objects.select_related("scale").annotate(
        competency_count=Count(
            "competencies", filter=~Q(competencies__kind=Competency.Kind.GROUP), distinct=True
        ),
        group_count=Count(
            "competencies", filter=Q(competencies__kind=Competency.Kind.GROUP), distinct=True
        ),
    )


def get_framework(user: AnyUser, pk: int) -> Framework:
    return get_object_or_404(visible_frameworks(user), pk=pk)


def visible_competencies(user: AnyUser) -> QuerySet[Competency]:
    if not user.is_authenticated:
        return Competency.objects.none()
    return Competency.objects.all()


def _with_child_counts(competencies: QuerySet[Competency]) -> QuerySet[Competency]:
    return competencies.annotate(child_count=Count("children"))


def competency_children(
    user: AnyUser, *, framework: Framework, parent: Competency | None = None
) -> QuerySet[Competency]:
    """One level of a framework tree (the roots when `parent` is None), with child counts.

    Uses the (framework, parent) index; whole subtrees use the path (see `subtree`).
    """
    nodes = visible_competencies(user).filter(framework=framework)
    nodes = nodes.filter(parent__isnull=True) if parent is None else nodes.filter(parent=parent)
    return (
        _with_child_counts(nodes)
        .only("pk", "name", "kind", "code", "path", "depth", "sort_key", "framework_id")
        .order_by(*SIBLING_ORDER)
    )


@dataclass
class TreeNode:
    competency: Competency
    children: list[TreeNode] = field(default_factory=list)


def framework_top_levels(
    user: AnyUser, *, framework: Framework, max_nodes: int | None = None
) -> list[TreeNode]:
    """As many top levels of a framework tree as fit in `max_nodes` (at least the roots), nested.

    Deeper levels are loaded on demand (see `competency_children`), so a 14,000-row ESCO
    tree opens as fast as a ten-row one. Two queries: level sizes, then the nodes.
    """
    max_nodes = max_nodes or FIRST_RENDER_NODES
    competencies = visible_competencies(user).filter(framework=framework)
    sizes = dict(
        competencies.order_by()
        .values_list("depth")
        .annotate(count=Count("pk"))
        .values_list("depth", "count")
    )
    levels, shown = 1, sizes.get(0, 0)
    while levels in sizes and shown + sizes[levels] <= max_nodes:
        shown += sizes[levels]
        levels += 1
    rows = (
        _with_child_counts(competencies.filter(depth__lt=levels))
        .only("pk", "name", "kind", "code", "path", "depth", "sort_key", "parent_id")
        .order_by("depth", *SIBLING_ORDER)
    )
    by_id: dict[int, TreeNode] = {}
    roots: list[TreeNode] = []
    for competency in rows:
        node = TreeNode(competency)
        by_id[competency.pk] = node
        parent = by_id.get(competency.parent_id) if competency.parent_id else None
        if parent is not None:
            parent.children.append(node)
        elif competency.depth == 0:
            roots.append(node)
    return roots


def search_competencies(
    user: AnyUser,
    *,
    query: str = "",
    framework_id: int | None = None,
    kind: str = "",
) -> QuerySet[Competency]:
    """Competencies whose name, alternative labels or description contain `query`.

    Name matches come first, then alternative-label matches, then description matches.
    """
    competencies = visible_competencies(user).select_related("framework")
    if framework_id:
        competencies = competencies.filter(framework_id=framework_id)
    if kind:
        competencies = competencies.filter(kind=kind)
    query = query.strip()
    if not query:
        return competencies.order_by("name", "pk")
    return (
        competencies.filter(
            Q(name__icontains=query)
            | Q(alt_labels__icontains=query)
            | Q(description__icontains=query)
        )
        .annotate(
            rank=Case(
                When(name__iexact=query, then=Value(0)),
                When(name__istartswith=query, then=Value(1)),
                When(name__icontains=query, then=Value(2)),
                When(alt_labels__icontains=query, then=Value(3)),
                default=Value(4),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "name", "pk")
    )


def competency_suggestions(user: AnyUser, *, query: str, limit: int = 20) -> list[Competency]:
    """A short list for pickers: competencies (not groups) matching `query`, best first."""
    if len(query.strip()) < 2:
        return []
    matches = search_competencies(user, query=query).exclude(kind=Competency.Kind.GROUP)
    return list(matches[:limit])


def get_competency(user: AnyUser, pk: int) -> Competency:
    """A competency with its framework, scale and levels, ready for the detail page."""
    return get_object_or_404(
        visible_competencies(user)
        .select_related("framework__scale")
        .prefetch_related(Prefetch("levels", queryset=CompetencyLevel.objects.order_by("level"))),
        pk=pk,
    )


def competency_ancestors(user: AnyUser, competency: Competency) -> QuerySet[Competency]:
    """The chain from the root down to the competency's parent, for a breadcrumb."""
    return (
        visible_competencies(user)
        .filter(pk__in=competency.ancestor_ids)
        .only("pk", "name", "depth")
        .order_by("depth")
    )


def requirements_for_competency(
    user: AnyUser, competency: Competency
) -> QuerySet[JobProfileRequirement]:
    """Which job profiles require this competency, most important first."""
    return (
        JobProfileRequirement.objects.filter(
            competency=competency, job_profile__in=visible_job_profiles(user)
        )
        .select_related("job_profile")
        .order_by("-essential", "-importance", "job_profile__title")
    )


def subtree(user: AnyUser, root: Competency) -> QuerySet[Competency]:
    """A competency and everything below it at any depth: one prefix query on the path."""
    return visible_competencies(user).filter(
        framework_id=root.framework_id, path__startswith=root.path
    )


def framework_export_rows(
    user: AnyUser, framework: Framework, *, under: Competency | None = None
) -> Iterator[tuple[Any, ...]]:
    """A framework's competencies (or one branch) in tree order, streamed for CSV/XLSX."""
    competencies = (
        subtree(user, under)
        if under is not None
        else visible_competencies(user).filter(framework=framework)
    )
    return (
        competencies.order_by("path")
        .values_list("code", "name", "kind", "depth", "parent__code", "alt_labels", "description")
        .iterator(chunk_size=2000)
    )


def visible_job_profiles(user: AnyUser) -> QuerySet[JobProfile]:
    if not user.is_authenticated:
        return JobProfile.objects.none()
    return JobProfile.objects.all()


def search_job_profiles(
    user: AnyUser,
    *,
    query: str = "",
    source: str = "",
    active: bool | None = None,
) -> QuerySet[JobProfile]:
    """Job profiles by title, code or alternative title, with how many requirements each has."""
    profiles = visible_job_profiles(user)
    query = query.strip()
    if query:
        profiles = profiles.filter(
            Q(title__icontains=query) | Q(code__icontains=query) | Q(alt_titles__icontains=query)
        )
    if source:
        profiles = profiles.filter(source=source)
    if active is not None:
        profiles = profiles.filter(is_active=active)
    return profiles.annotate(
        requirement_count=Count("requirements"),
        essential_count=Count("requirements", filter=Q(requirements__essential=True)),
    ).order_by("title", "pk")


def get_job_profile(user: AnyUser, pk: int) -> JobProfile:
    """A job profile with its requirements, competencies, frameworks and scales prefetched."""
    requirements = JobProfileRequirement.objects.select_related(
        "competency__framework__scale"
    ).order_by("-essential", "-importance", "competency__name")
    return get_object_or_404(
        visible_job_profiles(user).prefetch_related(
            Prefetch("requirements", queryset=requirements)
        ),
        pk=pk,
    )
