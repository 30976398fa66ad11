"""The Django adapter of the gap engine: load the organisation into arrays, keep one cached
engine per process, and keep it current cheaply.

Freshness, per call of `current_gaps()` (two small queries when nothing changed):

1. one query reads the structure token (`GapStructure`, bumped by model signals and by the
   `lib.signals.structure_changed` signal that bulk writers send) together with the highest ids
   of employees, units, job profiles and requirements. Any difference from the cached snapshot
   means a full reload. The ids catch rows added in bulk by code that forgot to send it. The
   same query reads the highest `EmployeeChange` id: when it rose, one more query reads the new
   rows with those employees' current unit, job profile and active flag, and
   `engine.set_employee` moves them (a full reload instead when the engine does not know the
   person, unit or profile).
2. one query reads the assessments with an id above the snapshot's watermark, the highest id
   of any kind seen so far, so self and manager ratings are passed over once, not on every
   check (every
   `RECHECK_EVERY_S` seconds: above the watermark minus `RECHECK_WINDOW`, to catch rows that
   commit out of id order when two workers write at once on PostgreSQL). Rows not applied yet are
   applied incrementally: for each affected (employee, competency) pair the latest agreed level is
   read back (one more query) and passed to `engine.set_agreed_level`. More than
   `INCREMENTAL_LIMIT` new rows (an import) means a full reload instead.

Writes from any process are seen because the check reads the database, not an in-process
signal. The engine is not thread-safe: refreshes and reads hold `GapSnapshot.lock`.
"""

from __future__ import annotations

import itertools
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import connection

from milepost.accounts.models import OrgUnit
from milepost.engines.gaps import GapEngine, GapInputs, GapWeights, current_levels, dense_index
from milepost.frameworks.models import Competency, JobProfile, JobProfileRequirement
from milepost.insights.models import EmployeeChange, GapStructure
from milepost.people.models import Assessment, Employee

Ids = npt.NDArray[np.int64]

FETCH_CHUNK = 50_000
# Agreed assessment ids re-read every RECHECK_EVERY_S seconds (not on every check: that costs
# ~5 ms at 2.5 M rows), to catch rows committed out of id order.
RECHECK_WINDOW = 1_000
RECHECK_EVERY_S = 5.0
# Every DEEP_CHECK_EVERY_S seconds a checksum of the structure columns is compared too (one scan
# of each structure table, ~10-20 ms at 100,000 employees), so bulk updates that sent no signal
# and did not call mark_structure_changed() are picked up within that time.
DEEP_CHECK_EVERY_S = 60.0
# More new agreed rows than this at once (an import) reload everything instead.
INCREMENTAL_LIMIT = 5_000
# More employee changes than this at once (a reorganisation) reload everything instead.
MOVE_LIMIT = 1_000
# Employee changes re-read with the recheck (applying one twice changes nothing).
MOVE_RECHECK_WINDOW = 100
# EmployeeChange rows live for EmployeeChange.RETENTION; a worker that has not read them for half
# that long may have missed pruned ones, so it reloads.
MOVE_TRUST_S = EmployeeChange.RETENTION.total_seconds() / 2
_PAIR_CHUNK = 500


@dataclass(frozen=True)
class LoadedOrganisation:
    """The engine's inputs and the sorted database ids behind each dense index."""

    inputs: GapInputs
    employee_ids: Ids
    unit_ids: Ids
    profile_ids: Ids
    competency_ids: Ids
    assessment_ids: Ids  # ids of the agreed rows read (every one, not only the current ones)
    # Each loaded employee's unit id and job profile id (-1 = none; an inactive profile's id
    # too) as read, for the structure checksum.
    employee_unit_ids: Ids
    employee_profile_ids: Ids

    @property
    def last_assessment_id(self) -> int:
        return int(self.assessment_ids.max()) if len(self.assessment_ids) else 0


# --- loading --------------------------------------------------------------------------------


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _fetch(sql: str, params: Sequence[Any], columns: int, *, chunked: bool = False) -> Ids:
    """Rows of integers straight into an (n, columns) int64 array, chunk by chunk.

    `chunked` uses a server-side cursor on PostgreSQL so millions of rows never sit in the
    client at once; SQLite streams either way.
    """
    blocks = []
    cursor = connection.chunked_cursor() if chunked else connection.cursor()
    with cursor:
        cursor.execute(sql, params)
        while True:
            rows = cursor.fetchmany(FETCH_CHUNK)
            if not rows:
                break
            flat = itertools.chain.from_iterable(rows)
            blocks.append(np.fromiter(flat, dtype=np.int64, count=len(rows) * columns))
    if not blocks:
        return np.zeros((0, columns), dtype=np.int64)
    return np.concatenate(blocks).reshape(-1, columns)


def _day_number(column: str) -> str:
    """SQL for a date column as a whole day number (only the order matters)."""
    if connection.vendor == "sqlite":
        return f"CAST(julianday({column}) AS INTEGER)"
    return f"({column} - DATE '1970-01-01')"


def _nullable(value: str) -> str:
    return f"COALESCE({value}, -1)"


def load_organisation() -> LoadedOrganisation:
    """Read active employees, units, active job profiles with their requirements and the
    agreed assessments into `GapInputs`, with numpy and no model instances."""
    unit_rows = _fetch(f"SELECT id, {_nullable('parent_id')} FROM {_table(OrgUnit)}", [], 2)
    unit_rows = unit_rows[np.argsort(unit_rows[:, 0])]
    unit_ids = unit_rows[:, 0]
    unit_parent = np.full(len(unit_ids), -1, dtype=np.int32)
    has_parent = unit_rows[:, 1] >= 0
    unit_parent[has_parent] = dense_index(unit_ids, unit_rows[has_parent, 1], "parent unit")

    profile_ids = np.sort(
        _fetch(f"SELECT id FROM {_table(JobProfile)} WHERE is_active = %s", [True], 1)[:, 0]
    )
    requirements = _fetch(
        f"SELECT r.job_profile_id, r.competency_id, r.required_level, r.importance,"
        f" CASE WHEN r.essential THEN 1 ELSE 0 END FROM {_table(JobProfileRequirement)} r"
        f" JOIN {_table(JobProfile)} p ON p.id = r.job_profile_id WHERE p.is_active = %s",
        [True],
        5,
    )
    competency_ids = np.unique(requirements[:, 1])

    employees = _fetch(
        f"SELECT id, unit_id, {_nullable('job_profile_id')} FROM {_table(Employee)}"
        " WHERE is_active = %s",
        [True],
        3,
    )
    employees = employees[np.argsort(employees[:, 0])]
    employee_ids = employees[:, 0]
    employee_profile = _known_or_missing(profile_ids, employees[:, 2])

    agreed_employee, agreed_competency, agreed_level, order, assessment_ids = _fetch_agreed()
    employee_at = _known_or_missing(employee_ids, agreed_employee)
    competency_at = _known_or_missing(competency_ids, agreed_competency)
    keep = (employee_at >= 0) & (competency_at >= 0)
    a_employee, a_competency, a_level = current_levels(
        employee_at[keep], competency_at[keep], agreed_level[keep], order[keep]
    )
    del agreed_employee, agreed_competency, agreed_level, order, employee_at, competency_at

    inputs = GapInputs(
        employee_profile=employee_profile,
        employee_unit=dense_index(unit_ids, employees[:, 1], "unit"),
        unit_parent=unit_parent,
        # At least one profile slot: the engine indexes per-profile arrays with -1 masked out
        # afterwards, which fails on an empty array. The spare slot has no requirements and no
        # id, so nothing maps to it.
        n_profiles=max(len(profile_ids), 1),
        n_competencies=len(competency_ids),
        requirement_profile=dense_index(profile_ids, requirements[:, 0], "job profile"),
        requirement_competency=dense_index(competency_ids, requirements[:, 1], "competency"),
        requirement_level=requirements[:, 2].astype(np.int32),
        requirement_importance=requirements[:, 3].astype(np.int32),
        requirement_essential=requirements[:, 4].astype(bool),
        assessment_employee=a_employee.astype(np.int32),
        assessment_competency=a_competency.astype(np.int32),
        assessment_level=a_level.astype(np.int32),
    )
    return LoadedOrganisation(
        inputs=inputs,
        employee_ids=employee_ids.copy(),
        unit_ids=unit_ids.copy(),
        profile_ids=profile_ids,
        competency_ids=competency_ids,
        assessment_ids=assessment_ids,
        employee_unit_ids=employees[:, 1].copy(),
        employee_profile_ids=employees[:, 2].copy(),
    )


_PACKABLE_ID = 1 << 31


def _fetch_agreed() -> tuple[Ids, Ids, Ids, Ids, Ids]:
    """Every agreed assessment as arrays: employee id, competency id, level, an order in time
    (by assessed_on, then id) and the row id.

    The fetch dominates the load (the driver makes a Python tuple and ints per row), so while
    ids fit in 31 bits each row is packed by the database into two integers, (employee,
    competency) and (day, id, level): 2.8 million rows read in 1.8 s instead of 2.9 s on SQLite.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX(id) FROM {_table(Assessment)}),"
            f" (SELECT MAX(id) FROM {_table(Employee)}),"
            f" (SELECT MAX(id) FROM {_table(Competency)})"
        )
        biggest = max(value or 0 for value in cursor.fetchone() or (0,))
    agreed = [Assessment.Kind.AGREED.value]
    if biggest < _PACKABLE_ID:
        if connection.vendor == "sqlite":
            day = "MAX(CAST(julianday(assessed_on) AS INTEGER), 0)"
            pair = "(employee_id << 32) | competency_id"
            when = f"({day} << 40) | (id << 8) | MIN(level, 255)"
        else:
            day = "GREATEST(assessed_on - DATE '1900-01-01', 0)::bigint"
            pair = "(employee_id::bigint << 32) | competency_id::bigint"
            when = f"({day} << 40) | (id::bigint << 8) | LEAST(level, 255)::bigint"
        packed = _fetch(
            f"SELECT {pair}, {when} FROM {_table(Assessment)} WHERE kind = %s",
            agreed,
            2,
            chunked=True,
        )
        pairs, times = packed[:, 0], packed[:, 1]
        # `times` orders rows by (day, id); the level in its lowest bits never decides.
        return pairs >> 32, pairs & 0xFFFFFFFF, times & 0xFF, times, (times >> 8) & 0xFFFFFFFF
    rows = _fetch(
        f"SELECT employee_id, competency_id, level, {_day_number('assessed_on')}, id"
        f" FROM {_table(Assessment)} WHERE kind = %s",
        agreed,
        5,
        chunked=True,
    )
    return rows[:, 0], rows[:, 1], rows[:, 2], _time_order(rows[:, 3], rows[:, 4]), rows[:, 4]


def _time_order(day: Ids, row_id: Ids) -> Ids:
    """Each row's rank by (day, id): the latest assessment has the highest."""
    order = np.empty(len(day), dtype=np.int64)
    order[np.lexsort((row_id, day))] = np.arange(len(day))
    return order


def _known_or_missing(known_ids: Ids, ids: Ids) -> npt.NDArray[np.int32]:
    """Dense index of each id in the sorted `known_ids`, or -1 where it is not there."""
    if not len(known_ids):
        return np.full(len(ids), -1, dtype=np.int32)
    at = np.minimum(np.searchsorted(known_ids, ids), len(known_ids) - 1)
    return np.where(known_ids[at] == ids, at, -1).astype(np.int32)


# --- the cached snapshot ----------------------------------------------------------------------

_lock = threading.RLock()  # guards the cached engine: it is not thread-safe


@dataclass
class GapSnapshot:
    """The cached engine with the id mappings; read it while holding `lock`."""

    engine: GapEngine
    organisation: LoadedOrganisation
    fingerprint: tuple[Any, ...]
    checksum: tuple[Any, ...]
    watermark: int  # highest assessment id (of any kind) looked at
    recent_ids: Ids  # applied agreed ids inside the recheck window
    move_watermark: int  # highest EmployeeChange id applied
    lock: threading.RLock = field(default_factory=lambda: _lock)  # one lock per process
    full_loads: int = 0  # for tests and logs: how often this process reloaded
    incremental_updates: int = 0
    moves: int = 0  # employees moved, made inactive or active again without a reload
    rechecked_at: float = field(default_factory=time.monotonic)
    deep_checked_at: float = field(default_factory=time.monotonic)
    moves_read_at: float = field(default_factory=time.monotonic)
    # Employee id -> (unit id, job profile id or -1, active) as applied since the load.
    places: dict[int, tuple[int, int, bool]] = field(default_factory=dict)

    def employee_index(self, pk: int) -> int | None:
        """Dense index of an active employee the engine knows, else None."""
        index = _index_of(self.organisation.employee_ids, pk)
        return index if index is not None and self.engine.employee_active[index] else None

    def unit_index(self, pk: int) -> int | None:
        return _index_of(self.organisation.unit_ids, pk)

    def profile_index(self, pk: int) -> int | None:
        return _index_of(self.organisation.profile_ids, pk)

    def competency_index(self, pk: int) -> int | None:
        return _index_of(self.organisation.competency_ids, pk)

    def employee_indices(self, pks: Sequence[int] | Ids) -> npt.NDArray[np.int32]:
        """Dense indices of the employees the engine knows (unknown or inactive ones left out)."""
        found = _known_or_missing(self.organisation.employee_ids, np.asarray(pks, np.int64))
        found = found[found >= 0]
        return found[self.engine.employee_active[found]]

    def employee_pks(self, indices: npt.ArrayLike) -> Ids:
        return self.organisation.employee_ids[np.asarray(indices, dtype=np.int64)]

    def unit_pks(self, indices: npt.ArrayLike) -> Ids:
        return self.organisation.unit_ids[np.asarray(indices, dtype=np.int64)]

    def profile_pks(self, indices: npt.ArrayLike) -> Ids:
        return self.organisation.profile_ids[np.asarray(indices, dtype=np.int64)]

    def competency_pks(self, indices: npt.ArrayLike) -> Ids:
        return self.organisation.competency_ids[np.asarray(indices, dtype=np.int64)]


def _index_of(known_ids: Ids, pk: int) -> int | None:
    at = int(np.searchsorted(known_ids, pk))
    return at if at < len(known_ids) and int(known_ids[at]) == pk else None


_snapshot: GapSnapshot | None = None


def current_gaps() -> GapSnapshot:
    """This process's engine, brought up to date with the database (see the module docstring)."""
    global _snapshot
    with _lock:
        *fingerprint, last_move = _structure_fingerprint()
        snapshot = _snapshot
        if (
            snapshot is None
            or snapshot.fingerprint != tuple(fingerprint)
            or not _catch_up(snapshot, int(last_move or 0))
            # After the moves: the checksum covers the places they changed.
            or _checksum_changed(snapshot)
        ):
            loads = snapshot.full_loads if snapshot is not None else 0
            _snapshot = snapshot = _full_load(tuple(fingerprint), int(last_move or 0))
            snapshot.full_loads = loads + 1
        return snapshot


def _catch_up(snapshot: GapSnapshot, last_move: int) -> bool:
    """Apply employee changes and agreed assessments since the snapshot; False to reload."""
    now = time.monotonic()
    if now - snapshot.moves_read_at > MOVE_TRUST_S:
        return False
    recheck = now - snapshot.rechecked_at >= RECHECK_EVERY_S
    if recheck:
        snapshot.rechecked_at = now
    if not _apply_employee_changes(snapshot, last_move, recheck=recheck):
        return False
    snapshot.moves_read_at = now
    return _apply_new_assessments(snapshot, recheck=recheck)


def forget_cached_gaps() -> None:
    """Drop this process's engine (the next call reloads); for tests and management commands."""
    global _snapshot
    with _lock:
        _snapshot = None


def bump_structure_token() -> None:
    """Tell every process that the organisation's structure changed: each reloads its engine
    on its next read. Call after bulk writes that send no signals (`bulk_create`, `update`)."""
    token = uuid.uuid4().hex
    if not GapStructure.objects.filter(pk=1).update(token=token):
        GapStructure.objects.update_or_create(pk=1, defaults={"token": token})


def _structure_fingerprint() -> tuple[Any, ...]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT token FROM {_table(GapStructure)} WHERE id = 1),"
            f" (SELECT MAX(id) FROM {_table(Employee)}),"
            f" (SELECT MAX(id) FROM {_table(OrgUnit)}),"
            f" (SELECT MAX(id) FROM {_table(JobProfile)}),"
            f" (SELECT MAX(id) FROM {_table(JobProfileRequirement)}),"
            f" (SELECT MAX(id) FROM {_table(EmployeeChange)})"
        )
        return tuple(cursor.fetchone() or (None,) * 6)


def _checksum_changed(snapshot: GapSnapshot) -> bool:
    now = time.monotonic()
    if now - snapshot.deep_checked_at < DEEP_CHECK_EVERY_S:
        return False
    snapshot.deep_checked_at = now
    return _structure_checksum() != snapshot.checksum


def _structure_checksum() -> tuple[Any, ...]:
    """Sums over the columns the engine reads, each weighted by the row id so that swaps
    (two people trading units) change them too. One query, one scan per table."""
    essential = "CASE WHEN essential THEN 1 ELSE 0 END"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT e.people, e.units, e.profiles, u.parents, p.active, r.requirements FROM"
            f" (SELECT COUNT(*) AS people, SUM(id * unit_id) AS units,"
            f" SUM(id * COALESCE(job_profile_id, 0)) AS profiles FROM {_table(Employee)}"
            " WHERE is_active = %s) e,"
            f" (SELECT SUM(id * COALESCE(parent_id, 0)) AS parents FROM {_table(OrgUnit)}) u,"
            f" (SELECT SUM(id) AS active FROM {_table(JobProfile)} WHERE is_active = %s) p,"
            f" (SELECT SUM(id * (required_level * 64 + importance * 2 + {essential}))"
            f" AS requirements FROM {_table(JobProfileRequirement)}) r",
            [True, True],
        )
        # 0 for an empty table's NULL sums, so moves can adjust them (see _apply_employee_changes)
        return tuple(value or 0 for value in cursor.fetchone() or (None,) * 6)


def _full_load(fingerprint: tuple[Any, ...], last_move: int) -> GapSnapshot:
    checksum = _structure_checksum()
    # Read before the load, so a row committed during it is above the watermark, not lost.
    highest_any_kind = _highest_assessment_id()
    loaded = load_organisation()
    engine = GapEngine.compute(loaded.inputs, GapWeights())
    # Past self and manager rows too: otherwise every check re-scans the ratings of a review
    # cycle's open self-assessment stage until the next agreed one.
    watermark = max(loaded.last_assessment_id, highest_any_kind)
    ids = loaded.assessment_ids
    return GapSnapshot(
        engine=engine,
        organisation=loaded,
        fingerprint=fingerprint,
        checksum=checksum,
        watermark=watermark,
        recent_ids=np.sort(ids[ids > watermark - RECHECK_WINDOW]),
        # Read before the load: a change committed during it is applied again, which is harmless.
        move_watermark=last_move,
    )


def _apply_employee_changes(snapshot: GapSnapshot, last_move: int, *, recheck: bool) -> bool:
    """Move the employees named by new `EmployeeChange` rows to their current unit, job profile
    and active flag; False when a full reload is needed instead.

    A recheck re-reads the last `MOVE_RECHECK_WINDOW` rows too (rows may commit out of id
    order); setting a place that is already applied changes nothing.
    """
    if last_move <= snapshot.move_watermark and not (recheck and last_move):
        return True
    if last_move - snapshot.move_watermark > MOVE_LIMIT:
        return False
    floor = snapshot.move_watermark - (MOVE_RECHECK_WINDOW if recheck else 0)
    state = "CASE WHEN e.id IS NULL THEN -1 WHEN e.is_active THEN 1 ELSE 0 END"
    rows = _fetch(
        f"SELECT c.id, c.employee_id, {_nullable('e.unit_id')}, {_nullable('e.job_profile_id')},"
        f" {state} FROM {_table(EmployeeChange)} c"
        f" LEFT JOIN {_table(Employee)} e ON e.id = c.employee_id WHERE c.id > %s",
        [floor],
        5,
    )
    places = {int(row[1]): (int(row[2]), int(row[3]), int(row[4])) for row in rows}
    organisation, engine = snapshot.organisation, snapshot.engine
    for pk, (unit_pk, profile_pk, active) in places.items():
        index = _index_of(organisation.employee_ids, pk)
        if index is None or active < 0:
            # Someone the engine never loaded: fine while inactive or deleted; an active one
            # (or a loaded one deleted without the token changing) needs a reload.
            if active == 1 or (index is not None and engine.employee_active[index]):
                return False
            continue
        unit = _index_of(organisation.unit_ids, unit_pk)
        profile = -1 if profile_pk < 0 else _index_of(organisation.profile_ids, profile_pk)
        if active and (unit is None or profile is None):
            return False  # a unit or an active job profile the engine does not know
        before = snapshot.places.get(pk) or (
            int(organisation.employee_unit_ids[index]),
            int(organisation.employee_profile_ids[index]),
            True,
        )
        after = (unit_pk, profile_pk, bool(active))
        if before == after:
            continue
        engine.set_employee(
            index,
            unit=int(engine.employee_unit[index]) if unit is None else unit,
            profile=-1 if profile is None else profile,
            active=bool(active),
        )
        snapshot.checksum = _moved_checksum(snapshot.checksum, pk, before, after)
        snapshot.places[pk] = after
        snapshot.moves += 1
    snapshot.move_watermark = max(snapshot.move_watermark, int(rows[:, 0].max(initial=0)))
    return True


def _moved_checksum(
    checksum: tuple[Any, ...],
    pk: int,
    before: tuple[int, int, bool],
    after: tuple[int, int, bool],
) -> tuple[Any, ...]:
    """The structure checksum with one employee's place changed, as `_structure_checksum`
    would now read it (employee terms: count, sum of id x unit, sum of id x job profile)."""

    def terms(place: tuple[int, int, bool]) -> tuple[int, int, int]:
        unit_pk, profile_pk, active = place
        return (1, pk * unit_pk, pk * max(profile_pk, 0)) if active else (0, 0, 0)

    old, new = terms(before), terms(after)
    employee_terms = tuple(
        value + n - o for value, o, n in zip(checksum[:3], old, new, strict=True)
    )
    return employee_terms + checksum[3:]


def _apply_new_assessments(snapshot: GapSnapshot, *, recheck: bool) -> bool:
    """Apply agreed rows recorded since the snapshot; False if a full reload is cheaper."""
    floor = snapshot.watermark - (RECHECK_WINDOW if recheck else 0)
    rows = _fetch(
        f"SELECT id, employee_id, competency_id, CASE WHEN kind = %s THEN 1 ELSE 0 END"
        f" FROM {_table(Assessment)} WHERE id > %s",
        [Assessment.Kind.AGREED.value, floor],
        4,
    )
    highest = max(snapshot.watermark, int(rows[:, 0].max()) if len(rows) else 0)
    agreed = rows[rows[:, 3] == 1, :3]
    new = agreed[~np.isin(agreed[:, 0], snapshot.recent_ids)]
    if not len(new):
        snapshot.watermark = highest
        return True
    if len(new) > INCREMENTAL_LIMIT:
        return False
    organisation = snapshot.organisation
    employee_at = _known_or_missing(organisation.employee_ids, new[:, 1])
    competency_at = _known_or_missing(organisation.competency_ids, new[:, 2])
    relevant = (employee_at >= 0) & (competency_at >= 0)
    pairs = {(int(e), int(c)) for e, c in zip(new[relevant, 1], new[relevant, 2], strict=True)}
    for employee_id, competency_id, level in _latest_agreed_levels(pairs):
        employee = _index_of(organisation.employee_ids, employee_id)
        competency = _index_of(organisation.competency_ids, competency_id)
        if employee is not None and competency is not None:
            snapshot.engine.set_agreed_level(employee, competency, level)
            snapshot.incremental_updates += 1
    seen = np.union1d(snapshot.recent_ids, new[:, 0])
    snapshot.watermark = highest
    snapshot.recent_ids = seen[seen > snapshot.watermark - RECHECK_WINDOW]
    return True


def _highest_assessment_id() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id) FROM {_table(Assessment)}")
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _latest_agreed_levels(pairs: set[tuple[int, int]]) -> Iterator[tuple[int, int, int]]:
    """The current agreed level of each (employee id, competency id) pair, read back in full:
    a new row is not necessarily the latest (it may be dated earlier than the current one)."""
    employees = sorted({employee for employee, _ in pairs})
    for start in range(0, len(employees), _PAIR_CHUNK):
        chunk = employees[start : start + _PAIR_CHUNK]
        marks = ", ".join(["%s"] * len(chunk))
        rows = _fetch(
            f"SELECT employee_id, competency_id, level, {_day_number('assessed_on')}, id"
            f" FROM {_table(Assessment)} WHERE kind = %s AND employee_id IN ({marks})",
            [Assessment.Kind.AGREED.value, *chunk],
            5,
        )
        order = _time_order(rows[:, 3], rows[:, 4])
        employee, competency, level = current_levels(rows[:, 0], rows[:, 1], rows[:, 2], order)
        for e, c, value in zip(employee, competency, level, strict=True):
            if (int(e), int(c)) in pairs:
                yield int(e), int(c), int(value)
