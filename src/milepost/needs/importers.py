"""Needs from CSV (survey and focus-group outputs): check every row, then submit each one.

Columns: title, description, business_issue, unit_code, people_affected, urgency, impact,
wanted_by, source, and optionally requester_name. Every row goes through
services.submit_need as the importing user, so it is checked by the same rules as the web form
and gets competency suggestions. Needs are events, so nothing is matched or updated; a row
that repeats a need already recorded (same title, description and unit) is refused unless
duplicates are allowed.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import IntegerChoices
from django.urls import reverse

from milepost.accounts.access import can_submit_needs
from milepost.accounts.models import OrgUnit, User
from milepost.lib.exports import unguard_formula
from milepost.lib.tabular import (
    Counts,
    ImportFailed,
    ImportReport,
    Progress,
    RowErrors,
    column_limits,
    no_progress,
    parse_int,
    parse_iso_date,
    read_table,
)
from milepost.needs import services
from milepost.needs.models import Impact, Need, Source, Urgency

NEED_COLUMNS = [
    "title",
    "description",
    "business_issue",
    "unit_code",
    "people_affected",
    "urgency",
    "impact",
    "wanted_by",
    "source",
]
OPTIONAL_COLUMNS = ["requester_name"]
REQUESTER_NAME_MAX = 200
# Where the service's field errors land in the file.
SERVICE_FIELD_COLUMNS = {"unit": "unit_code"}


@dataclass
class _Row:
    row: int
    title: str
    description: str
    business_issue: str
    unit: OrgUnit | None
    people_affected: int
    urgency: int
    impact: int
    wanted_by: datetime.date | None
    source: str
    requester_name: str

    @property
    def identity(self) -> tuple[str, str, int | None]:
        return self.title, self.description, self.unit.pk if self.unit else None


def _scale_value(value: str, choices: type[IntegerChoices]) -> int | None:
    """A number on the scale, or one of its labels in any case ('high', 'Severe')."""
    number = parse_int(value)
    if number is not None:
        return number if number in choices.values else None
    labels = {str(label).lower(): choice for choice, label in choices.choices}
    return labels.get(value.lower())


def _scale_words(choices: type[IntegerChoices]) -> str:
    return ", ".join(f"{value} {str(label).lower()}" for value, label in choices.choices)


def _source(value: str) -> str | None:
    words = {choice: choice for choice in Source.values}
    words.update({str(label).lower(): choice for choice, label in Source.choices})
    words["focus group"] = Source.FOCUS_GROUP
    return words.get(value.lower())


def _parse_row(
    row: int, values: dict[str, str], units: dict[str, OrgUnit], errors: RowErrors, file: str
) -> tuple[_Row, set[str]]:
    """The row's values converted, and the columns that could not be read (errors added;
    those columns hold a stand-in value so the rest of the row can still be checked)."""
    bad: set[str] = set()

    def refuse(column: str, message: str) -> None:
        errors.add(file, row, column, message)
        bad.add(column)

    unit = None
    code = values["unit_code"]
    if code:
        unit = units.get(code)
        if unit is None:
            refuse(
                "unit_code",
                f"unit '{code}' does not exist; import it first (milepost import units ...) "
                "or correct the code",
            )
    people: int | None = 1
    if values["people_affected"]:
        people = parse_int(values["people_affected"].replace(",", ""))
        if people is None:
            refuse(
                "people_affected",
                f"'{values['people_affected']}' is not a whole number of people (e.g. 25)",
            )
    urgency: int | None = Urgency.MEDIUM
    if values["urgency"]:
        urgency = _scale_value(values["urgency"], Urgency)
        if urgency is None:
            refuse(
                "urgency", f"'{values['urgency']}' is not an urgency; use {_scale_words(Urgency)}"
            )
    impact: int | None = Impact.MODERATE
    if values["impact"]:
        impact = _scale_value(values["impact"], Impact)
        if impact is None:
            refuse("impact", f"'{values['impact']}' is not an impact; use {_scale_words(Impact)}")
    wanted_by = None
    if values["wanted_by"]:
        wanted_by = parse_iso_date(values["wanted_by"])
        if wanted_by is None:
            refuse(
                "wanted_by",
                f"'{values['wanted_by']}' is not a date in the form YYYY-MM-DD (e.g. 2026-09-30)",
            )
    source = _source(values["source"])
    if source is None:
        refuse(
            "source",
            (f"'{values['source']}' is not a source" if values["source"] else "is empty")
            + f"; use one of {', '.join(Source.values)}",
        )
    requester_name = values.get("requester_name", "")
    if len(requester_name) > REQUESTER_NAME_MAX:
        refuse(
            "requester_name",
            f"is {len(requester_name)} characters long; the limit is {REQUESTER_NAME_MAX}",
        )
    parsed = _Row(
        row=row,
        title=values["title"],
        description=values["description"],
        business_issue=values["business_issue"],
        unit=unit,
        people_affected=1 if people is None else people,
        urgency=Urgency.MEDIUM if urgency is None else urgency,
        impact=Impact.MODERATE if impact is None else impact,
        wanted_by=wanted_by,
        source=Source.SURVEY if source is None else source,
        requester_name=requester_name,
    )
    return parsed, bad


def _add_service_errors(
    errors: RowErrors, file: str, row: int, problems: dict[str, list[str]] | dict[str, str]
) -> None:
    for field, messages in problems.items():
        for message in [messages] if isinstance(messages, str) else messages:
            errors.add(file, row, SERVICE_FIELD_COLUMNS.get(field, field), message)


@transaction.atomic
def import_needs_csv(
    path: Path,
    *,
    acting_user: User,
    allow_duplicates: bool = False,
    progress: Progress = no_progress,
) -> ImportReport:
    """Submit one need per row as `user`, all or nothing, each with competency suggestions."""
    if not can_submit_needs(acting_user):
        raise ImportFailed(
            [
                f"user '{acting_user.username}' ({acting_user.get_role_display()}) cannot raise "
                "needs; "
                "import as an L&D coordinator (--as USERNAME)"
            ]
        )
    table = read_table(
        Path(path),
        required=NEED_COLUMNS,
        optional=OPTIONAL_COLUMNS,
        max_lengths=column_limits(Need),
    )
    file = table.name
    errors = RowErrors()
    units = {unit.code: unit for unit in OrgUnit.objects.all()}
    rows: list[_Row] = []
    for row_number, raw in progress(table.rows(), desc="needs: check", total=len(table)):
        values = {key: unguard_formula(value.strip()) for key, value in raw.items()}
        parsed, unreadable = _parse_row(row_number, values, units, errors, file)
        problems = services.clean_need_fields(
            acting_user=acting_user,
            title=parsed.title,
            description=parsed.description,
            unit=parsed.unit,
            people_affected=parsed.people_affected,
            urgency=parsed.urgency,
            impact=parsed.impact,
            wanted_by=parsed.wanted_by,
            business_issue=parsed.business_issue,
            # As submit_need: only live intake refuses a date already past.
            check_deadline=parsed.source in (Source.FORM, Source.API),
        )
        # A column already reported as unreadable is not reported again for its stand-in.
        problems = {
            field: message
            for field, message in problems.items()
            if SERVICE_FIELD_COLUMNS.get(field, field) not in unreadable
        }
        _add_service_errors(errors, file, row_number, problems)
        if not problems and not unreadable:
            rows.append(parsed)
    if not allow_duplicates:
        _check_duplicates(rows, errors, file)
    errors.check()

    by_source: Counter[str] = Counter()
    unmatched = 0
    for parsed in progress(rows, desc="needs: submit", total=len(rows)):
        try:
            need = services.submit_need(
                acting_user=acting_user,
                title=parsed.title,
                description=parsed.description,
                business_issue=parsed.business_issue,
                unit=parsed.unit,
                people_affected=parsed.people_affected,
                urgency=parsed.urgency,
                impact=parsed.impact,
                wanted_by=parsed.wanted_by,
                source=parsed.source,
                requester_name=parsed.requester_name,
                tell_ld=False,  # one message for the whole file, below
            )
        except ValidationError as exc:
            # The checks above are the service's own, so this is a safety net only.
            _add_service_errors(errors, file, parsed.row, exc.message_dict)
            continue
        by_source[Source(parsed.source).label.lower()] += 1
        unmatched += not need.mappings.exists()
    errors.check()  # raising here rolls back every need written above

    if rows:
        services.tell_ld_team(
            acting_user=acting_user,
            message=f"{acting_user} imported {len(rows):,} need{'s' if len(rows) != 1 else ''} "
            f"from {file}; new ones wait for a first response.",
            url=reverse("needs:need-list") + "?status=submitted",
        )
    report = ImportReport(title=f"needs from {file}, raised as {acting_user.username}")
    report.counts["needs"] = Counts(created=len(rows))
    if rows:
        sources = ", ".join(f"{count} {label}" for label, count in sorted(by_source.items()))
        report.notes.append(f"{len(rows)} needs imported ({sources})")
    if unmatched:
        report.warnings.append(
            f"{unmatched} need{'s' if unmatched != 1 else ''} got no competency suggestion; "
            "map them by hand on the needs page"
        )
    return report


def _check_duplicates(rows: list[_Row], errors: RowErrors, file: str) -> None:
    """A row repeating a need already recorded, or an earlier row of the file, is an error."""
    recorded: dict[tuple[str, str, int | None], Need] = {}
    if rows:
        for need in Need.objects.filter(title__in={row.title for row in rows}).only(
            "pk", "title", "description", "unit_id", "created_at"
        ):
            recorded.setdefault((need.title, need.description, need.unit_id), need)
    seen: dict[tuple[str, str, int | None], int] = {}
    for row in rows:
        key = row.identity
        if key in recorded:
            need = recorded[key]
            errors.add(
                file,
                row.row,
                "description",
                f"the same need (title, description and unit) is already recorded as need "
                f"#{need.pk} of {need.created_at:%Y-%m-%d}; remove the row, or pass "
                "--allow-duplicates if it is raised again on purpose",
            )
        elif key in seen:
            errors.add(
                file,
                row.row,
                "description",
                f"repeats row {seen[key]} (same title, description and unit); remove one, or "
                "pass --allow-duplicates if both are meant",
            )
        else:
            seen[key] = row.row
