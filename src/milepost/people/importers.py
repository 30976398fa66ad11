"""Organisation units and employees from CSV (an HRIS export): validate everything, then write.

Units file:   code, name, parent_code, kind
People file:  employee_id, first_name, last_name, email, unit, manager_id, job_title,
              job_profile_code, start_date (ISO, e.g. 2024-03-01)
Rows match existing units on code and employees on employee_id; parents and managers may be in
the file or already in the database. Rows not in the file are left alone. A person without a
job_profile_code gets the profile whose title or alternative title is their job title (any case).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse

from milepost.accounts.models import OrgUnit
from milepost.accounts.services import rebuild_unit_paths
from milepost.frameworks.models import JobProfile
from milepost.lib.exports import unguard_formula
from milepost.lib.signals import mark_structure_changed
from milepost.lib.tabular import (
    BATCH_SIZE,
    Counts,
    ImportReport,
    Progress,
    RowErrors,
    chunked,
    column_limits,
    find_cycles,
    no_progress,
    parse_iso_date,
    read_table,
)
from milepost.people.models import Employee

UNIT_COLUMNS = ["code", "name", "parent_code", "kind"]
PEOPLE_COLUMNS = [
    "employee_id",
    "first_name",
    "last_name",
    "email",
    "unit",
    "manager_id",
    "job_title",
    "job_profile_code",
    "start_date",
]
UNIT_KIND_WORDS = {
    **{kind.value: kind.value for kind in OrgUnit.Kind},
    **{kind.label.lower(): kind.value for kind in OrgUnit.Kind},
}


def _cleaned(values: dict[str, str]) -> dict[str, str]:
    return {key: unguard_formula(value.strip()) for key, value in values.items()}


def _too_long(errors: RowErrors, file: str, row: int, column: str, value: str, limit: int) -> None:
    if len(value) > limit:
        errors.add(file, row, column, f"is {len(value)} characters long; the limit is {limit}")


@dataclass
class _UnitRow:
    """One row of a units file, cells cleaned; fields are named as the columns."""

    row: int
    code: str
    name: str
    parent_code: str
    kind: str


# unit code -> (pk, name, kind, parent pk)
_ExistingUnits = dict[str, tuple[int, str, str, int | None]]
# unit code -> (row, name, kind, parent code)
_CheckedUnits = dict[str, tuple[int, str, str, str | None]]


def _limit(model: type[OrgUnit], name: str) -> int:
    return column_limits(model)[name]


def import_units_csv(path: Path, *, progress: Progress = no_progress) -> ImportReport:
    """Create or update organisation units; paths are rebuilt once at the end."""
    file, rows = _read_units(Path(path))
    # What the check finds in the database is what the write relies on: one transaction.
    with transaction.atomic():
        units, existing = _check_units(file, rows, progress)
        return _write_units(file, units, existing)


def _read_units(path: Path) -> tuple[str, list[_UnitRow]]:
    table = read_table(
        path, required=UNIT_COLUMNS, max_lengths=column_limits(OrgUnit, parent_code="code")
    )
    return table.name, [_UnitRow(row, **_cleaned(values)) for row, values in table.rows()]


def _check_units(
    file: str, rows: list[_UnitRow], progress: Progress
) -> tuple[_CheckedUnits, _ExistingUnits]:
    """Check every row, then that each parent exists and no chain of parents loops."""
    errors = RowErrors()
    existing: _ExistingUnits = {
        code: (pk, name, kind, parent_id)
        for pk, code, name, kind, parent_id in OrgUnit.objects.values_list(
            "pk", "code", "name", "kind", "parent_id"
        )
    }
    code_of = {values[0]: code for code, values in existing.items()}
    parent_of: dict[str, str | None] = {
        code: code_of.get(values[3]) if values[3] else None for code, values in existing.items()
    }
    units: _CheckedUnits = {}
    for line in progress(rows, desc="units", total=len(rows)):
        row, code, name, parent = line.row, line.code, line.name, line.parent_code or None
        if not code:
            errors.add(file, row, "code", "is empty; every unit needs a unique code")
            continue
        if code in units:
            errors.add(
                file, row, "code", f"unit '{code}' appears twice (also on row {units[code][0]})"
            )
            continue
        if not name:
            errors.add(file, row, "name", f"is empty; give unit '{code}' a name")
        _too_long(errors, file, row, "code", code, 64)
        _too_long(errors, file, row, "name", name, 200)
        kind = UNIT_KIND_WORDS.get(line.kind.lower() or OrgUnit.Kind.DEPARTMENT.value)
        if kind is None:
            errors.add(
                file,
                row,
                "kind",
                f"'{line.kind}' is not a kind of unit; use one of {', '.join(OrgUnit.Kind.values)}",
            )
            kind = OrgUnit.Kind.DEPARTMENT
        units[code] = (row, name, kind, parent)
        parent_of[code] = parent
    for code, (row, _, _, parent) in units.items():
        if parent is not None and parent not in units and parent not in existing:
            errors.add(
                file,
                row,
                "parent_code",
                f"unit '{parent}' does not exist; add a row for it or correct the code",
            )
            parent_of[code] = None
    for cycle in find_cycles(parent_of):
        code = next((code for code in cycle if code in units), cycle[0])
        errors.add(
            file,
            units[code][0] if code in units else None,
            "parent_code",
            f"unit '{code}' is in a cycle of parent units ({' -> '.join([*cycle, cycle[0]])}); "
            "point one of them at another parent or leave its parent_code empty",
        )
    errors.check()
    return units, existing


def _write_units(file: str, units: _CheckedUnits, existing: _ExistingUnits) -> ImportReport:
    counts = Counts()
    new = [
        OrgUnit(code=code, name=name, kind=kind)
        for code, (_, name, kind, _) in units.items()
        if code not in existing
    ]
    OrgUnit.objects.bulk_create(new, batch_size=BATCH_SIZE)
    pk_of = {code: values[0] for code, values in existing.items()}
    pk_of.update({unit.code: unit.pk for unit in new})
    changed = []
    for code, (_, name, kind, parent) in units.items():
        parent_id = pk_of[parent] if parent else None
        current = existing.get(code)
        if current is None:
            if parent_id is not None:
                changed.append(OrgUnit(pk=pk_of[code], name=name, kind=kind, parent_id=parent_id))
        elif current[1:] != (name, kind, parent_id):
            changed.append(OrgUnit(pk=pk_of[code], name=name, kind=kind, parent_id=parent_id))
            counts.updated += 1
        else:
            counts.unchanged += 1
    OrgUnit.objects.bulk_update(changed, ["name", "kind", "parent"], batch_size=BATCH_SIZE)
    counts.created = len(new)
    rebuild_unit_paths()
    if changed or new:
        mark_structure_changed()  # bulk writes send no signals: tell the gap engine
    report = ImportReport(title=f"organisation units from {file}")
    report.counts["units"] = counts
    return report


@dataclass
class _Person:
    row: int
    first_name: str
    last_name: str
    email: str
    unit_id: int
    manager: str | None
    job_title: str
    job_profile_id: int | None
    start_date: datetime.date | None

    def values(self, manager_id: int | None) -> tuple[object, ...]:
        return (
            self.first_name,
            self.last_name,
            self.email,
            self.unit_id,
            manager_id,
            self.job_title,
            self.job_profile_id,
            self.start_date,
        )


_PERSON_FIELDS = [
    "first_name",
    "last_name",
    "email",
    "unit_id",
    "manager_id",
    "job_title",
    "job_profile_id",
    "start_date",
]
_MANAGER = _PERSON_FIELDS.index("manager_id")
_JOB_TITLE = _PERSON_FIELDS.index("job_title")
_JOB_PROFILE = _PERSON_FIELDS.index("job_profile_id")


def _title_key(title: str) -> str:
    return " ".join(title.split()).casefold()


class _ProfileTitles:
    """Active job profiles by title, then by alternative title; a title two profiles share
    matches neither (a coordinator picks on /people/job-titles/)."""

    def __init__(self) -> None:
        self._tiers: tuple[dict[str, int | None], dict[str, int | None]] = ({}, {})

    def add(self, pk: int, title: str, alt_titles: str) -> None:
        by_title, by_alt_title = self._tiers
        self._put(by_title, title, pk)
        for alt_title in alt_titles.splitlines():
            self._put(by_alt_title, alt_title, pk)

    @staticmethod
    def _put(tier: dict[str, int | None], title: str, pk: int) -> None:
        key = _title_key(title)
        if key:
            tier[key] = pk if tier.get(key, pk) == pk else None

    def match(self, title: str) -> int | None:
        key = _title_key(title)
        for tier in self._tiers:
            if key in tier:
                return tier[key]
        return None


def _unmatched_note(people: dict[str, _Person]) -> str | None:
    unmatched = [p.job_title for p in people.values() if p.job_title and p.job_profile_id is None]
    if not unmatched:
        return None
    titles, rows = len(set(unmatched)), len(unmatched)
    job_titles = "1 job title matches" if titles == 1 else f"{titles} job titles match"
    employees = "1 employee" if rows == 1 else f"{rows} employees"
    return f"{job_titles} no job profile ({employees}): see {reverse('people:job-titles')}"


@dataclass
class _PersonRow:
    """One row of a people file, cells cleaned; fields are named as the columns."""

    row: int
    employee_id: str
    first_name: str
    last_name: str
    email: str
    unit: str
    manager_id: str
    job_title: str
    job_profile_code: str
    start_date: str


# employee_id -> (pk, values in _PERSON_FIELDS order)
_ExistingPeople = dict[str, tuple[int, tuple[object, ...]]]


@dataclass
class _Known:
    """What the database holds that a people file refers to."""

    unit_pk: dict[str, int]
    profile_pk: dict[str, int]
    profile_titles: _ProfileTitles
    existing: _ExistingPeople
    manager_of: dict[str, str | None]  # employee_id -> their manager's employee_id


def import_people_csv(path: Path, *, progress: Progress = no_progress) -> ImportReport:
    """Create or update employees matched on employee_id, with units, managers and profiles."""
    file, rows = _read_people(Path(path))
    # What the check finds in the database is what the write relies on: one transaction.
    with transaction.atomic():
        people, existing = _check_people(file, rows, progress)
        return _write_people(file, people, existing, progress)


def _read_people(path: Path) -> tuple[str, list[_PersonRow]]:
    table = read_table(
        path,
        required=PEOPLE_COLUMNS,
        max_lengths=column_limits(Employee) | {"unit": _limit(OrgUnit, "code")},
    )
    return table.name, [_PersonRow(row, **_cleaned(values)) for row, values in table.rows()]


def _check_people(
    file: str, rows: list[_PersonRow], progress: Progress
) -> tuple[dict[str, _Person], _ExistingPeople]:
    """Check every row against the units, profiles and employees in the database, then managers."""
    errors = RowErrors()
    known = _load_known()
    people: dict[str, _Person] = {}
    for line in progress(rows, desc="people", total=len(rows)):
        employee_id = line.employee_id
        if not employee_id:
            errors.add(file, line.row, "employee_id", "is empty; every employee needs an ID")
            continue
        if employee_id in people:
            errors.add(
                file,
                line.row,
                "employee_id",
                f"employee '{employee_id}' appears twice (also on row "
                f"{people[employee_id].row}); keep one row per employee",
            )
            continue
        people[employee_id] = _person(errors, file, line, known)
    _check_managers(errors, file, people, known)
    errors.check()
    return people, known.existing


def _load_known() -> _Known:
    unit_pk = dict(OrgUnit.objects.values_list("code", "pk"))
    profile_pk: dict[str, int] = {}
    profile_titles = _ProfileTitles()
    for pk, code, title, alt_titles, is_active in JobProfile.objects.values_list(
        "pk", "code", "title", "alt_titles", "is_active"
    ):
        profile_pk[code] = pk
        if is_active:
            profile_titles.add(pk, title, alt_titles)
    existing: _ExistingPeople = {}
    employee_id_of: dict[int, str] = {}
    for pk, employee_id, *values in Employee.objects.values_list(
        "pk", "employee_id", *_PERSON_FIELDS
    ):
        existing[employee_id] = (pk, tuple(values))
        employee_id_of[pk] = employee_id
    manager_of: dict[str, str | None] = {}
    for employee_id, (_, values) in existing.items():
        manager_id = values[_MANAGER]
        manager_of[employee_id] = (
            employee_id_of.get(manager_id) if isinstance(manager_id, int) else None
        )
    return _Known(unit_pk, profile_pk, profile_titles, existing, manager_of)


def _person(errors: RowErrors, file: str, line: _PersonRow, known: _Known) -> _Person:
    """The row as an employee; its problems go to `errors`."""
    row, employee_id = line.row, line.employee_id
    _too_long(errors, file, row, "employee_id", employee_id, 64)
    for column, name in (("first_name", line.first_name), ("last_name", line.last_name)):
        if not name:
            errors.add(file, row, column, f"is empty for employee '{employee_id}'")
        _too_long(errors, file, row, column, name, 150)
    _too_long(errors, file, row, "job_title", line.job_title, 300)
    if line.email:
        try:
            validate_email(line.email)
        except ValidationError:
            errors.add(
                file, row, "email", f"'{line.email}' is not an email address (name@example.com)"
            )
    unit_id = known.unit_pk.get(line.unit)
    if unit_id is None:
        errors.add(
            file,
            row,
            "unit",
            f"unit '{line.unit}' does not exist; import it first "
            "(milepost import units ...) or correct the code"
            if line.unit
            else "is empty; every employee belongs to a unit (give its code)",
        )
    job_profile_id = _job_profile(errors, file, line, known)
    start_date = None
    if line.start_date:
        start_date = parse_iso_date(line.start_date)
        if start_date is None:
            errors.add(
                file,
                row,
                "start_date",
                f"'{line.start_date}' is not a date in the form YYYY-MM-DD (e.g. 2024-03-01)",
            )
    return _Person(
        row=row,
        first_name=line.first_name,
        last_name=line.last_name,
        email=line.email,
        unit_id=unit_id or 0,
        manager=line.manager_id or None,
        job_title=line.job_title,
        job_profile_id=job_profile_id,
        start_date=start_date,
    )


def _job_profile(errors: RowErrors, file: str, line: _PersonRow, known: _Known) -> int | None:
    """The profile the row names, else the one its job title matches, else the one kept."""
    if line.job_profile_code:
        job_profile_id = known.profile_pk.get(line.job_profile_code)
        if job_profile_id is None:
            errors.add(
                file,
                line.row,
                "job_profile_code",
                f"job profile '{line.job_profile_code}' does not exist; import it "
                "first or leave the cell empty",
            )
        return job_profile_id
    if not line.job_title:
        return None
    job_profile_id = known.profile_titles.match(line.job_title)
    current = known.existing.get(line.employee_id)
    if job_profile_id is None and current is not None:
        # Keep a profile a coordinator confirmed for this title without remembering it
        # as an alternative title, as long as the title has not changed.
        _, current_values = current
        kept = current_values[_JOB_PROFILE]
        if current_values[_JOB_TITLE] == line.job_title and isinstance(kept, int):
            job_profile_id = kept
    return job_profile_id


def _check_managers(
    errors: RowErrors, file: str, people: dict[str, _Person], known: _Known
) -> None:
    """Each manager is in the file or already imported, and no chain of managers loops."""
    manager_of = dict(known.manager_of)
    for employee_id, person in people.items():
        manager = person.manager
        if manager is not None and manager not in people and manager not in known.existing:
            errors.add(
                file,
                person.row,
                "manager_id",
                f"manager '{manager}' of employee '{employee_id}' is neither in the file nor "
                "already imported; add a row for the manager or correct the ID",
            )
            manager = None
        manager_of[employee_id] = manager
    for cycle in find_cycles(manager_of):
        employee_id = next((key for key in cycle if key in people), cycle[0])
        person_row = people[employee_id].row if employee_id in people else None
        errors.add(
            file,
            person_row,
            "manager_id",
            f"employee '{employee_id}' is in a cycle of managers "
            f"({' -> '.join([*cycle, cycle[0]])}); someone in it must report outside it",
        )


def _write_people(
    file: str, people: dict[str, _Person], existing: _ExistingPeople, progress: Progress
) -> ImportReport:
    counts = Counts()
    new = [
        Employee(
            employee_id=employee_id, **dict(zip(_PERSON_FIELDS, person.values(None), strict=True))
        )
        for employee_id, person in people.items()
        if employee_id not in existing
    ]
    for batch in chunked(progress(new, desc="people: create", total=len(new))):
        Employee.objects.bulk_create(batch)
    pk_of = {employee_id: pk for employee_id, (pk, _) in existing.items()}
    pk_of.update({employee.employee_id: employee.pk for employee in new})
    changed = []
    for employee_id, person in people.items():
        manager_id = pk_of[person.manager] if person.manager else None
        wanted = person.values(manager_id)
        current = existing.get(employee_id)
        if current is None:
            if manager_id is None:
                continue
        elif current[1] == wanted:
            counts.unchanged += 1
            continue
        else:
            counts.updated += 1
        changed.append(
            Employee(pk=pk_of[employee_id], **dict(zip(_PERSON_FIELDS, wanted, strict=True)))
        )
    Employee.objects.bulk_update(changed, _PERSON_FIELDS, batch_size=BATCH_SIZE)
    counts.created = len(new)
    if changed or new:
        mark_structure_changed()  # bulk writes send no signals: tell the gap engine
    report = ImportReport(title=f"people from {file}")
    report.counts["employees"] = counts
    note = _unmatched_note(people)
    if note:
        report.notes.append(note)
    return report
