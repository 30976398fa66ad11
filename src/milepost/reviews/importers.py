"""Assessment history from CSV: ratings exported from another HR system or a spreadsheet.

Columns: employee_id, framework_code, competency_code, kind (self, manager or agreed), level,
assessed_on (YYYY-MM-DD), and optionally note and assessed_by (a username; empty means the
importing user). Every row is checked first, by the rules of a rating recorded on the web
(`services.record_assessment`: no groups, the level on the framework's scale, a plausible date)
plus the competency being on the employee's job profile; then every row is written with one
bulk_create as source 'import'. Assessments are append-only history, so a row identical to one
already recorded (employee, competency, kind, level, date and note) is not written again.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from milepost.accounts.access import can_administer_people
from milepost.accounts.models import User
from milepost.frameworks.models import Competency, Framework, JobProfile, JobProfileRequirement
from milepost.lib.exports import unguard_formula
from milepost.lib.signals import mark_structure_changed
from milepost.lib.tabular import (
    BATCH_SIZE,
    Counts,
    ImportFailed,
    ImportReport,
    Progress,
    RowErrors,
    chunked,
    column_limits,
    no_progress,
    parse_int,
    parse_iso_date,
    read_table,
)
from milepost.people.models import Assessment, Employee
from milepost.people.services import assessment_date_problem
from milepost.reviews.models import ReviewCycle, ReviewParticipant

ASSESSMENT_COLUMNS = [
    "employee_id",
    "framework_code",
    "competency_code",
    "kind",
    "level",
    "assessed_on",
]
OPTIONAL_COLUMNS = ["note", "assessed_by"]
KIND_WORDS = {kind.value: kind.value for kind in Assessment.Kind}

# (employee pk, competency pk, kind, level, assessed_on, note): what makes a rating "the same".
Identity = tuple[int, int, str, int, datetime.date, str]


@dataclass
class _Rating:
    row: int
    employee: Employee
    competency: Competency
    kind: str
    level: int
    assessed_on: datetime.date
    note: str
    assessed_by_id: int

    @property
    def identity(self) -> Identity:
        return (
            self.employee.pk,
            self.competency.pk,
            self.kind,
            self.level,
            self.assessed_on,
            self.note,
        )

    @property
    def day(self) -> tuple[int, int, str, datetime.date]:
        return self.employee.pk, self.competency.pk, self.kind, self.assessed_on


def _who(employee: Employee) -> str:
    return f"{employee.full_name} ({employee.employee_id})"


class _Lookups:
    """Everything the rows refer to, read in a handful of queries before any row is checked."""

    def __init__(
        self, rows: list[tuple[int, dict[str, str]]], *, cycle: ReviewCycle | None
    ) -> None:
        self.cycle = cycle
        employee_ids = {values["employee_id"] for _, values in rows if values["employee_id"]}
        self.employees: dict[str, Employee] = {}
        for batch in chunked(sorted(employee_ids)):
            for employee in Employee.objects.filter(employee_id__in=batch).only(
                "pk",
                "employee_id",
                "first_name",
                "last_name",
                "is_active",
                "job_profile_id",
                "start_date",
            ):
                self.employees[employee.employee_id] = employee
        framework_codes = {values["framework_code"] for _, values in rows}
        self.frameworks = {
            framework.code: framework
            for framework in Framework.objects.filter(code__in=framework_codes).select_related(
                "scale"
            )
        }
        self.competencies: dict[tuple[str, str], Competency] = {}
        for code, framework in self.frameworks.items():
            wanted = {v["competency_code"] for _, v in rows if v["framework_code"] == code}
            for batch in chunked(sorted(wanted)):
                for competency in Competency.objects.filter(
                    framework=framework, code__in=batch
                ).only("pk", "code", "name", "kind", "framework_id"):
                    self.competencies[code, competency.code] = competency
        # The profile each employee is rated against: in a review cycle, the one they held when
        # it opened (as the review's own rating sheets do); otherwise their current one.
        self.participants: dict[int, int] = {}
        if cycle is not None:
            self.participants = dict(
                ReviewParticipant.objects.filter(cycle=cycle).values_list(
                    "employee_id", "job_profile_id"
                )
            )
            profile_ids = set(self.participants.values())
        else:
            profile_ids = {e.job_profile_id for e in self.employees.values() if e.job_profile_id}
        self.profile_titles = dict(
            JobProfile.objects.filter(pk__in=profile_ids).values_list("pk", "title")
        )
        self.requirements = set(
            JobProfileRequirement.objects.filter(job_profile_id__in=profile_ids).values_list(
                "job_profile_id", "competency_id"
            )
        )
        usernames = {values.get("assessed_by", "") for _, values in rows} - {""}
        self.users = dict(User.objects.filter(username__in=usernames).values_list("username", "pk"))


class _RowChecker:
    def __init__(self, file: str, lookups: _Lookups, user: User, errors: RowErrors) -> None:
        self.file = file
        self.lookups = lookups
        self.user = user
        self.errors = errors
        self.today = timezone.localdate()

    def check(self, row: int, values: dict[str, str]) -> _Rating | None:
        """The row as a rating, or None with its errors added (every field is checked)."""
        before = self.errors.total
        employee = self._employee(row, values["employee_id"])
        framework = self._framework(row, values["framework_code"])
        competency = self._competency(row, framework, values["competency_code"])
        if employee is not None and competency is not None:
            self._on_profile(row, employee, competency)
        kind = self._kind(row, values["kind"])
        level = self._level(row, framework, values["level"])
        assessed_on = self._date(row, values["assessed_on"])
        if employee is not None and assessed_on is not None:
            problem = assessment_date_problem(employee, assessed_on)
            if problem:
                self._refuse(row, "assessed_on", problem)
        assessed_by_id = self._assessed_by(row, values.get("assessed_by", ""))
        if (
            self.errors.total > before
            or employee is None
            or competency is None
            or kind is None
            or level is None
            or assessed_on is None
        ):
            return None
        return _Rating(
            row=row,
            employee=employee,
            competency=competency,
            kind=kind,
            level=level,
            assessed_on=assessed_on,
            note=values.get("note", ""),
            assessed_by_id=assessed_by_id or self.user.pk,
        )

    def _refuse(self, row: int, column: str, message: str) -> None:
        self.errors.add(self.file, row, column, message)

    def _employee(self, row: int, employee_id: str) -> Employee | None:
        if not employee_id:
            self._refuse(row, "employee_id", "is empty; give the ID of the employee rated")
            return None
        employee = self.lookups.employees.get(employee_id)
        if employee is None:
            self._refuse(
                row,
                "employee_id",
                f"employee '{employee_id}' does not exist; import them first "
                "(milepost import people ...) or correct the ID",
            )
            return None
        if not employee.is_active:
            self._refuse(
                row,
                "employee_id",
                f"employee {_who(employee)} is inactive; ratings are imported for active "
                "employees only",
            )
            return None
        cycle = self.lookups.cycle
        if cycle is not None and employee.pk not in self.lookups.participants:
            self._refuse(
                row,
                "employee_id",
                f"{_who(employee)} is not a participant of review cycle '{cycle.name}'; "
                "remove the row or import it without --cycle",
            )
            return None
        return employee

    def _framework(self, row: int, code: str) -> Framework | None:
        if not code:
            self._refuse(row, "framework_code", "is empty; give the framework's code")
            return None
        framework = self.lookups.frameworks.get(code)
        if framework is None:
            self._refuse(
                row,
                "framework_code",
                f"framework '{code}' does not exist; import it first "
                "(milepost import framework ...) or correct the code",
            )
        return framework

    def _competency(self, row: int, framework: Framework | None, code: str) -> Competency | None:
        if framework is None:
            return None
        if not code:
            self._refuse(row, "competency_code", "is empty; give the competency's code")
            return None
        competency = self.lookups.competencies.get((framework.code, code))
        if competency is None:
            self._refuse(
                row,
                "competency_code",
                f"competency '{code}' does not exist in framework '{framework.code}' "
                f"({framework.name}); correct the code",
            )
            return None
        if competency.kind == Competency.Kind.GROUP:
            self._refuse(
                row,
                "competency_code",
                f"'{competency.name}' ({code}) is a group of competencies; assess one of the "
                "competencies in it",
            )
            return None
        return competency

    def _on_profile(self, row: int, employee: Employee, competency: Competency) -> None:
        cycle = self.lookups.cycle
        if cycle is not None:
            profile_id: int | None = self.lookups.participants[employee.pk]
        else:
            profile_id = employee.job_profile_id
        if profile_id is None:
            self._refuse(
                row,
                "employee_id",
                f"{_who(employee)} has no job profile, so there is nothing to rate them "
                "against; give them one first (job_profile_code in milepost import people)",
            )
            return
        if (profile_id, competency.pk) in self.lookups.requirements:
            return
        title = self.lookups.profile_titles[profile_id]
        where = (
            f"the job profile '{title}' {employee.full_name} is reviewed against in '{cycle.name}'"
            if cycle is not None
            else f"{employee.full_name}'s job profile '{title}'"
        )
        self._refuse(
            row,
            "competency_code",
            f"'{competency.name}' ({competency.code}) is not on {where}; add it to the profile "
            "or remove the row",
        )

    def _kind(self, row: int, value: str) -> str | None:
        kind = KIND_WORDS.get(value.lower())
        if kind is None:
            self._refuse(
                row,
                "kind",
                (f"'{value}' is not a kind of assessment" if value else "is empty")
                + f"; use one of {', '.join(KIND_WORDS)}",
            )
        return kind

    def _level(self, row: int, framework: Framework | None, value: str) -> int | None:
        level = parse_int(value)
        if level is None:
            self._refuse(
                row,
                "level",
                (f"'{value}' is not a whole number" if value else "is empty")
                + (
                    f"; give a level on scale '{framework.scale.name}' "
                    f"({framework.scale.min_level}-{framework.scale.max_level})"
                    if framework is not None
                    else "; give the level as a whole number"
                ),
            )
            return None
        if framework is not None:
            try:
                framework.scale.check_level(level)
            except ValidationError as exc:
                self._refuse(row, "level", exc.messages[0])
                return None
        return level

    def _date(self, row: int, value: str) -> datetime.date | None:
        assessed_on = parse_iso_date(value)
        if assessed_on is None:
            self._refuse(
                row,
                "assessed_on",
                (f"'{value}' is not a date" if value else "is empty; give the date")
                + " in the form YYYY-MM-DD (e.g. 2026-03-31)",
            )
            return None
        if assessed_on > self.today:
            self._refuse(
                row,
                "assessed_on",
                f"assessment date {assessed_on:%Y-%m-%d} is in the future "
                f"(today is {self.today:%Y-%m-%d})",
            )
            return None
        return assessed_on

    def _assessed_by(self, row: int, username: str) -> int | None:
        if not username:
            return None
        pk = self.lookups.users.get(username)
        if pk is None:
            self._refuse(
                row,
                "assessed_by",
                f"no user '{username}'; give the username of an existing user, or leave the "
                f"cell empty to record the importing user ({self.user.username})",
            )
        return pk


def _find_cycle(name: str) -> ReviewCycle:
    cycle = ReviewCycle.objects.filter(name__iexact=name.strip()).first()
    if cycle is None:
        open_names = ", ".join(
            f"'{n}'"
            for n in ReviewCycle.objects.filter(status=ReviewCycle.Status.OPEN).values_list(
                "name", flat=True
            )
        )
        raise ImportFailed(
            [
                f"--cycle: no review cycle named '{name}'; "
                + (f"open cycles: {open_names}" if open_names else "no cycle is open")
            ]
        )
    if not cycle.is_open:
        raise ImportFailed(
            [
                f"--cycle: review cycle '{cycle.name}' is closed; ratings are imported only into "
                "an open cycle (leave out --cycle to import them as plain history)"
            ]
        )
    return cycle


def _check_duplicates(ratings: list[_Rating], errors: RowErrors, file: str) -> None:
    """Two rows with the same rating, or rating the same thing on one day differently."""
    first_on_day: dict[tuple[int, int, str, datetime.date], _Rating] = {}
    for rating in ratings:
        earlier = first_on_day.get(rating.day)
        if earlier is None:
            first_on_day[rating.day] = rating
            continue
        what = (
            f"{rating.kind} rating of '{rating.competency.name}' for {_who(rating.employee)} "
            f"on {rating.assessed_on:%Y-%m-%d}"
        )
        if earlier.identity == rating.identity:
            errors.add(
                file,
                rating.row,
                None,
                f"repeats row {earlier.row} (the same {what}); remove one of rows "
                f"{earlier.row} and {rating.row}",
            )
        else:
            errors.add(
                file,
                rating.row,
                "level",
                f"row {earlier.row} gives another {what} (level {earlier.level}, here "
                f"{rating.level}); keep one of rows {earlier.row} and {rating.row}",
            )


def _recorded(ratings: Iterable[_Rating]) -> set[Identity]:
    """The identities of the assessments already recorded for the file's employees."""
    employee_pks = sorted({rating.employee.pk for rating in ratings})
    competency_pks = {rating.competency.pk for rating in ratings}
    recorded: set[Identity] = set()
    for batch in chunked(employee_pks):
        recorded.update(
            Assessment.objects.filter(
                employee_id__in=batch, competency_id__in=competency_pks
            ).values_list("employee_id", "competency_id", "kind", "level", "assessed_on", "note")
        )
    return recorded


@transaction.atomic
def import_assessments_csv(
    path: Path,
    *,
    acting_user: User,
    cycle_name: str | None = None,
    progress: Progress = no_progress,
) -> ImportReport:
    """Record one assessment per row as history, all or nothing; identical repeats are skipped.

    `cycle_name` links every row to that open review cycle, whose participants they must be.
    """
    if not can_administer_people(acting_user):
        raise ImportFailed(
            [
                f"user '{acting_user.username}' ({acting_user.get_role_display()}) cannot import "
                "assessments; "
                "import as an L&D coordinator or admin (--as USERNAME)"
            ]
        )
    cycle = _find_cycle(cycle_name) if cycle_name is not None else None
    table = read_table(
        Path(path),
        required=ASSESSMENT_COLUMNS,
        optional=OPTIONAL_COLUMNS,
        max_lengths=column_limits(Assessment),
    )
    file = table.name
    rows = [
        (row, {key: unguard_formula(value.strip()) for key, value in raw.items()})
        for row, raw in table.rows()
    ]
    checker = _RowChecker(file, _Lookups(rows, cycle=cycle), acting_user, RowErrors())
    errors = checker.errors
    ratings: list[_Rating] = []
    for row, values in progress(rows, desc="assessments: check", total=len(rows)):
        rating = checker.check(row, values)
        if rating is not None:
            ratings.append(rating)
    _check_duplicates(ratings, errors, file)
    errors.check()

    recorded = _recorded(ratings)
    new = [rating for rating in ratings if rating.identity not in recorded]
    Assessment.objects.bulk_create(
        [
            Assessment(
                employee=rating.employee,
                competency=rating.competency,
                kind=rating.kind,
                level=rating.level,
                assessed_on=rating.assessed_on,
                assessed_by_id=rating.assessed_by_id,
                note=rating.note,
                source=Assessment.Source.IMPORT,
                cycle=cycle,
            )
            for rating in new
        ],
        batch_size=BATCH_SIZE,
    )
    if any(rating.kind == Assessment.Kind.AGREED for rating in new):
        # The gap engine follows agreed rows by id, re-reading only a window of recent ids; a
        # large import committing after later ids could fall outside it, so ask for a reload.
        # Written in this transaction, the signal is seen exactly when the rows are.
        mark_structure_changed()

    title = f"assessments from {file}, imported as {acting_user.username}"
    if cycle is not None:
        title += f" into review cycle '{cycle.name}'"
    report = ImportReport(title=title)
    report.counts["assessments"] = Counts(created=len(new), unchanged=len(ratings) - len(new))
    if new:
        by_kind = Counter(rating.kind for rating in new)
        kinds = ", ".join(f"{by_kind[kind]} {kind}" for kind in KIND_WORDS if by_kind[kind])
        people = len({rating.employee.pk for rating in new})
        report.notes.append(
            f"{len(new)} ratings recorded for {people} "
            f"{'employee' if people == 1 else 'employees'} ({kinds})"
        )
    return report
