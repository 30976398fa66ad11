"""Demand by business unit and by competency, as bar charts with their data."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from milepost.accounts.models import OrgUnit
from milepost.lib.charts import BarChart, bar_chart
from milepost.needs import selectors
from milepost.needs.models import (
    Need,
)

TOP_COMPETENCIES = 12
TOP_BUSINESS_UNITS = 12
NO_UNIT = "No unit"
OTHER_UNITS = "Other units"


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
        for row in selectors.mapping_rows(need):
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
