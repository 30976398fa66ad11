"""Key-person risk: competencies that rest on one or two people in a unit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from milepost.accounts.access import (
    AnyUser,
)
from milepost.accounts.models import OrgUnit
from milepost.insights.gaps import GapSnapshot, current_gaps
from milepost.insights.selectors.results import RiskRow
from milepost.insights.selectors.scope import _people, competency_names_by_pk
from milepost.people.selectors import visible_employees


def key_person_risks(user: AnyUser, unit: OrgUnit) -> list[RiskRow]:
    """Competencies required in the unit (with sub-units) held at the required level by at
    most one person; the most widely required first."""
    snapshot = current_gaps()
    with snapshot.lock:
        row = snapshot.unit_index(unit.pk)
        if row is None:
            return []
        risks = _risk_arrays(snapshot, row)
    competency_names = competency_names_by_pk(sorted({r[0] for r in risks}))
    holders = _people([r[3] for r in risks if r[3] is not None], visible_employees(user))
    return _risk_rows(unit, risks, competency_names, holders)


# (competency pk, people required, holders, sole holder's employee pk or None)
_Risk = tuple[int, int, int, int | None]


def _risk_arrays(snapshot: GapSnapshot, row: int) -> list[_Risk]:
    risks = snapshot.engine.key_person_risks([row])
    holder_pks = snapshot.employee_pks(np.maximum(risks.sole_holder, 0)).tolist()
    return [
        (int(pk), int(need), int(count), holder if index >= 0 else None)
        for pk, need, count, index, holder in zip(
            snapshot.competency_pks(risks.competency).tolist(),
            risks.required,
            risks.holders,
            risks.sole_holder,
            holder_pks,
            strict=True,
        )
    ]


def _risk_rows(
    unit: OrgUnit,
    risks: list[_Risk],
    competency_names: dict[int, str],
    holders: dict[int, tuple[str, str]],
) -> list[RiskRow]:
    """Sole holders the viewer may not see stay unnamed (`holders` holds the visible ones)."""
    rows = [
        RiskRow(
            unit_pk=unit.pk,
            unit_name=unit.name,
            competency_pk=pk,
            competency_name=competency_names.get(pk, ""),
            required=need,
            holders=count,
            sole_holder_pk=holder if holder in holders else None,
            sole_holder_name=holders[holder][0] if holder in holders else "",
        )
        for pk, need, count, holder in risks
    ]
    rows.sort(key=lambda r: (-r.required, r.holders, r.competency_name.lower()))
    return rows


RISK_EXPORT_HEADER = (
    "Unit",
    "Competency",
    "People required",
    "Holders at required level",
    "Sole holder",
)


def risk_export_rows(rows: Iterable[RiskRow]) -> Iterable[list[Any]]:
    for row in rows:
        yield [row.unit_name, row.competency_name, row.required, row.holders, row.sole_holder_name]
