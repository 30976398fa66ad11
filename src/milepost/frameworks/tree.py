"""Materialised paths for competency trees, recomputed in bulk after imports and moves."""

from __future__ import annotations

from django.db import transaction

from milepost.frameworks.models import Competency


class TreeCycleError(ValueError):
    """A competency is (indirectly) its own parent."""


@transaction.atomic
def rebuild_competency_paths(framework_id: int) -> int:
    """Recompute `path` and `depth` for every competency of one framework.

    Returns how many rows changed. Raises TreeCycleError naming a competency in a cycle.
    """
    rows = list(
        Competency.objects.filter(framework_id=framework_id).only(
            "pk", "code", "parent_id", "path", "depth"
        )
    )
    by_id = {row.pk: row for row in rows}
    resolved: dict[int, tuple[str, int]] = {}
    for row in rows:
        chain: list[Competency] = []
        on_chain: set[int] = set()
        current: Competency | None = row
        while current is not None and current.pk not in resolved:
            if current.pk in on_chain:
                raise TreeCycleError(
                    f"competency '{current.code}' is its own ancestor (cycle in the hierarchy)"
                )
            on_chain.add(current.pk)
            chain.append(current)
            current = by_id.get(current.parent_id) if current.parent_id else None
        path, depth = resolved[current.pk] if current is not None else ("/", -1)
        for node in reversed(chain):
            path, depth = f"{path}{node.pk}/", depth + 1
            resolved[node.pk] = (path, depth)
    changed = []
    for row in rows:
        path, depth = resolved[row.pk]
        if (row.path, row.depth) != (path, depth):
            row.path, row.depth = path, depth
            changed.append(row)
    Competency.objects.bulk_update(changed, ["path", "depth"], batch_size=1000)
    return len(changed)
