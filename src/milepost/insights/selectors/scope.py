"""Scope of the gap analysis (the whole organisation, a unit with its sub-units) and the names
of the few things shown."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from milepost.accounts.access import (
    GAPS_DENIED,
    AnyUser,
    can_view_gap_analysis,
    gap_scope_unit,
    own_employee_id,
    require,
)
from milepost.accounts.models import OrgUnit
from milepost.accounts.selectors import visible_units
from milepost.frameworks.models import Competency
from milepost.insights.gaps import GapSnapshot
from milepost.insights.selectors.results import NAME_CHUNK
from milepost.people.models import Employee
from milepost.people.selectors import get_employee


def require_gap_analysis(user: AnyUser) -> None:
    require(can_view_gap_analysis(user), GAPS_DENIED)


def own_gaps_instead(user: AnyUser) -> int | None:
    """For someone who may not analyse units but has an employee record (an employee): the
    record whose gaps the overview sends them to. None otherwise."""
    if can_view_gap_analysis(user):
        return None
    return own_employee_id(user)


def gap_unit(user: AnyUser, unit_id: int) -> OrgUnit:
    """A unit the user may analyse, or 404 (hidden units do not leak); 403 for wrong roles."""
    unit = get_object_or_404(visible_units(user), pk=unit_id)
    require_gap_analysis(user)
    return unit


def gap_employee(user: AnyUser, employee_id: int) -> Employee:
    """An employee whose gaps the user may see (an employee: only themselves), or 404."""
    return get_employee(user, employee_id)


def team_manager(user: AnyUser, employee_id: int) -> Employee:
    """A manager whose direct reports the user may analyse: 404 if hidden, 403 by role."""
    manager = get_employee(user, employee_id)
    require_gap_analysis(user)
    return manager


def _whole_organisation(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.sees_whole_organisation)


def _scope_rows(snapshot: GapSnapshot, user: AnyUser) -> npt.NDArray[np.int64] | None:
    """Engine unit rows the user's scope covers; None for the whole organisation."""
    if _whole_organisation(user):
        return None
    scope = gap_scope_unit(user)
    if scope is None:
        return np.zeros(0, dtype=np.int64)
    unit = snapshot.unit_index(scope.pk)
    if unit is None:
        return np.zeros(0, dtype=np.int64)
    return subtree(snapshot, unit)


def subtree(snapshot: GapSnapshot, unit: int) -> npt.NDArray[np.int64]:
    tree = snapshot.engine.tree
    owners = np.repeat(np.arange(len(tree.parent)), np.diff(tree.ancestor_indptr))
    return np.unique(owners[tree.ancestors == unit]).astype(np.int64)


def _scope_mask(snapshot: GapSnapshot, user: AnyUser, employees: npt.NDArray[Any]) -> npt.NDArray:
    """Which of these engine employees sit in the user's units (all, organisation-wide)."""
    rows = _scope_rows(snapshot, user)
    if rows is None:
        return np.ones(len(employees), dtype=bool)
    return np.isin(snapshot.engine.employee_unit[employees], rows)


def in_scope(snapshot: GapSnapshot, user: AnyUser, employees: npt.NDArray[Any]) -> npt.NDArray:
    return employees[_scope_mask(snapshot, user, employees)]


def _unit_names(pks: Iterable[int]) -> dict[int, str]:
    return dict(OrgUnit.objects.filter(pk__in=list(pks)).order_by().values_list("pk", "name"))


def competency_names_by_pk(pks: Sequence[int]) -> dict[int, str]:
    names: dict[int, str] = {}
    for start in range(0, len(pks), NAME_CHUNK):
        chunk = list(pks[start : start + NAME_CHUNK])
        names.update(Competency.objects.filter(pk__in=chunk).order_by().values_list("pk", "name"))
    return names


def _people(
    pks: Sequence[int], among: QuerySet[Employee] | None = None
) -> dict[int, tuple[str, str]]:
    """Employee pk -> (full name, unit name), one query for the ones shown (`among` narrows
    to the employees the user may see)."""
    found: dict[int, tuple[str, str]] = {}
    base = Employee.objects.all() if among is None else among
    for start in range(0, len(pks), NAME_CHUNK):
        chunk = list(pks[start : start + NAME_CHUNK])
        rows = (
            base.filter(pk__in=chunk)
            .order_by()
            .values_list("pk", "first_name", "last_name", "unit__name")
        )
        found.update({pk: (f"{first} {last}".strip(), unit) for pk, first, last, unit in rows})
    return found
