"""Courses and qualifications from and to CSV: `milepost import|export catalogue|qualifications`.

Same shape as every importer (milepost.lib.tabular): read and check every row first,
collecting "FILE, row N, field F: message" errors, then write in one transaction, so a bad row
means nothing is written, and a re-import of the same file changes nothing.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TextIO, TypeVar

from django.db import transaction

from milepost.catalogue.models import (
    MAX_PLACES_PER_RUN,
    Course,
    LearningOutcome,
    LevelFramework,
    Modality,
    ProviderKind,
    Qualification,
    Track,
)
from milepost.catalogue.services import prerequisite_cycle, track_order_problems
from milepost.frameworks.models import Competency, Framework
from milepost.lib.exports import guard_formula, unguard_formula
from milepost.lib.tabular import (
    Counts,
    ImportFailed,
    ImportReport,
    Progress,
    RowErrors,
    Table,
    column_limits,
    no_progress,
    parse_bool,
    parse_int,
    read_table,
    split_labels,
)

COURSE_COLUMNS = (
    "code",
    "title",
    "summary",
    "modality",
    "duration_hours",
    "cost_per_person",
    "cost_per_run",
    "provider_kind",
    "provider_name",
    "audience",
    "prerequisites",
    "outcomes",
    "active",
    "places_per_run",  # added later, so last: older files without it still import
)
QUALIFICATION_COLUMNS = (
    "code",
    "title",
    "summary",
    "awarding_body",
    "level_framework",
    "level",
    "credits",
    "guided_learning_hours",
    "funding_eligible",
    "funding_note",
    "validity_months",
    "renewal",
    "cost_per_person",
    "outcomes",
    "active",
)
REQUIRED = ("code", "title")
OfferModel = TypeVar("OfferModel", Course, Qualification)


@dataclass
class OfferRow:
    row: int
    fields: dict[str, Any]
    outcomes: dict[int, int] = field(default_factory=dict)  # competency id -> level
    prerequisites: list[str] = field(default_factory=list)


# --- reading cells -----------------------------------------------------------------------------


class _Cells:
    """Parses one row's cells, adding an error naming the field for each bad value."""

    def __init__(self, file: str, row: int, values: dict[str, str], errors: RowErrors) -> None:
        self.file, self.row, self.values, self.errors = file, row, values, errors
        self.ok = True

    def error(self, column: str, message: str) -> None:
        self.ok = False
        self.errors.add(self.file, self.row, column, message)

    def text(self, column: str) -> str:
        return unguard_formula(self.values.get(column, "").strip())

    def amount(self, column: str, *, below: Decimal = Decimal("100000000")) -> Decimal:
        """A number of 0 or more with at most 2 decimals, below the column's limit."""
        raw = self.values.get(column, "").strip()
        if not raw:
            return Decimal("0")
        try:
            value = Decimal(raw)
        except InvalidOperation:
            self.error(column, f"'{raw}' is not a number; write it like 250 or 99.50")
            return Decimal("0")
        if not value.is_finite():
            self.error(column, f"'{raw}' is not a number; write it like 250 or 99.50")
            return Decimal("0")
        if value < 0:
            self.error(column, f"'{raw}' is negative; costs and durations are 0 or more")
        elif value >= below:
            self.error(column, f"'{raw}' is too large; at most {below - Decimal('0.01')}")
        elif value != value.quantize(Decimal("0.01")):
            self.error(column, f"'{raw}' has more than 2 decimals")
        return value

    def whole(self, column: str, *, low: int = 0, high: int | None = None) -> int | None:
        raw = self.values.get(column, "").strip()
        if not raw:
            return None
        value = parse_int(raw)
        if value is None or value < low or (high is not None and value > high):
            upper = f" to {high}" if high is not None else " or more"
            self.error(column, f"'{raw}' is not a whole number from {low}{upper}")
            return None
        return value

    def places(self, column: str) -> int | None:
        """People one run takes; empty is no limit."""
        raw = self.values.get(column, "").strip()
        if not raw:
            return None
        value = parse_int(raw)
        if value is None or not 1 <= value <= MAX_PLACES_PER_RUN:
            self.error(
                column,
                f"'{raw}' is not a whole number of places from 1 to {MAX_PLACES_PER_RUN}; "
                "leave it empty for no limit",
            )
            return None
        return value

    def flag(self, column: str, default: bool) -> bool:
        raw = self.values.get(column, "").strip()
        if not raw:
            return default
        value = parse_bool(raw)
        if value is None:
            self.error(column, f"'{raw}' is not yes/no; use true or false")
            return default
        return value

    def choice(self, column: str, choices: Any, default: str) -> str:
        raw = self.values.get(column, "").strip()
        if not raw:
            return default
        by_word = {value.lower(): value for value in choices.values}
        by_word.update({str(label).lower(): value for value, label in choices.choices})
        value = by_word.get(raw.lower()) or by_word.get(raw.lower().replace(" ", "_"))
        if value is None:
            self.error(column, f"'{raw}' is not valid; use one of {', '.join(choices.values)}")
            return default
        return str(value)


class _Competencies:
    """Looks up 'FRAMEWORK:COMPETENCY=LEVEL' outcomes, one framework's codes at a time."""

    def __init__(self) -> None:
        self.frameworks = {f.code: f for f in Framework.objects.select_related("scale")}
        self.codes: dict[str, dict[str, tuple[int, str, str]]] = {}

    def parse(self, cells: _Cells) -> dict[int, int]:
        outcomes: dict[int, int] = {}
        for item in split_labels(cells.values.get("outcomes", ""), ";"):
            reference, equals, level_text = item.rpartition("=")
            framework_code, colon, competency_code = reference.partition(":")
            if not equals or not colon or not framework_code or not competency_code:
                cells.error(
                    "outcomes",
                    f"'{item}' is not FRAMEWORK_CODE:COMPETENCY_CODE=LEVEL "
                    "(e.g. northwind:CUS-EMP=3)",
                )
                continue
            framework = self.frameworks.get(framework_code)
            if framework is None:
                cells.error(
                    "outcomes",
                    f"framework '{framework_code}' does not exist (in '{item}'); "
                    "import it first or correct the code",
                )
                continue
            if framework_code not in self.codes:
                self.codes[framework_code] = {
                    code: (pk, kind, name)
                    for code, pk, kind, name in Competency.objects.filter(
                        framework=framework
                    ).values_list("code", "pk", "kind", "name")
                }
            found = self.codes[framework_code].get(competency_code)
            if found is None:
                cells.error(
                    "outcomes",
                    f"competency '{competency_code}' is not in framework '{framework_code}'",
                )
                continue
            pk, kind, name = found
            if kind == Competency.Kind.GROUP:
                cells.error(
                    "outcomes",
                    f"'{competency_code}' ({name}) is a group of competencies and cannot be "
                    "assessed; name a competency inside it",
                )
                continue
            level = parse_int(level_text)
            scale = framework.scale
            if level is None or not scale.min_level <= level <= scale.max_level:
                cells.error(
                    "outcomes",
                    f"level '{level_text}' for '{competency_code}' is not on scale "
                    f"'{scale.name}'; use {scale.min_level} to {scale.max_level}",
                )
                continue
            if pk in outcomes:
                cells.error("outcomes", f"'{competency_code}' is listed twice; keep one")
                continue
            outcomes[pk] = level
        return outcomes


def _read(path: Path, columns: tuple[str, ...], model: type[Course | Qualification]) -> Table:
    optional = tuple(column for column in columns if column not in REQUIRED)
    return read_table(path, required=REQUIRED, optional=optional, max_lengths=column_limits(model))


def _check_code(cells: _Cells, seen: dict[str, int]) -> str:
    code = cells.text("code")
    if not code:
        cells.error("code", "is empty; every row needs a code")
    elif code in seen:
        cells.error("code", f"'{code}' is also on row {seen[code]}; codes must be unique")
    else:
        seen[code] = cells.row
    if len(code) > 64:
        cells.error("code", "is longer than 64 characters")
    if not cells.text("title"):
        cells.error("title", "is empty; every row needs a title")
    return code


# --- courses -----------------------------------------------------------------------------------


def _course_row(cells: _Cells, code: str, competencies: _Competencies) -> OfferRow:
    fields = {
        "code": code,
        "title": cells.text("title"),
        "summary": cells.text("summary"),
        "modality": cells.choice("modality", Modality, ""),
        "duration_hours": cells.amount("duration_hours", below=Decimal("100000")),
        "cost_per_person": cells.amount("cost_per_person"),
        "cost_per_run": cells.amount("cost_per_run"),
        "provider_kind": cells.choice("provider_kind", ProviderKind, ProviderKind.INTERNAL),
        "provider_name": cells.text("provider_name"),
        "audience": cells.text("audience"),
        "is_active": cells.flag("active", True),
    }
    # A file from before the column existed leaves each course's places as they are.
    if "places_per_run" in cells.values:
        fields["places_per_run"] = cells.places("places_per_run")
    if not cells.values.get("modality", "").strip():
        cells.error("modality", f"is empty; use one of {', '.join(Modality.values)}")
    prerequisites = split_labels(cells.values.get("prerequisites", ""), ";")
    if code in prerequisites:
        cells.error("prerequisites", f"course '{code}' cannot be its own prerequisite")
    return OfferRow(
        row=cells.row,
        fields=fields,
        outcomes=competencies.parse(cells),
        prerequisites=[unguard_formula(p) for p in prerequisites],
    )


def import_courses_csv(path: Path, *, progress: Progress = no_progress) -> ImportReport:
    """Create or update the courses in `path`, with their prerequisites and outcomes."""
    table = _read(path, COURSE_COLUMNS, Course)
    file, errors = table.name, RowErrors()
    competencies = _Competencies()
    rows: dict[str, OfferRow] = {}
    seen: dict[str, int] = {}
    for row, values in progress(table.rows(), desc="checking courses", total=len(table)):
        cells = _Cells(file, row, values, errors)
        code = _check_code(cells, seen)
        offer = _course_row(cells, code, competencies)
        if cells.ok:
            rows[code] = offer
    known = set(Course.objects.values_list("code", flat=True))
    graph: dict[str, set[str]] = {}
    for code, required in Course.prerequisites.through.objects.values_list(
        "from_course__code", "to_course__code"
    ):
        graph.setdefault(code, set()).add(required)
    for code, offer in rows.items():
        graph[code] = set(offer.prerequisites)
    for code, offer in rows.items():
        for required in offer.prerequisites:
            if required not in seen and required not in known and required != code:
                errors.add(
                    file,
                    offer.row,
                    "prerequisites",
                    f"course '{required}' is neither in this file nor in the catalogue",
                )
        cycle = prerequisite_cycle(code, graph) if code not in offer.prerequisites else []
        if cycle:
            errors.add(
                file,
                offer.row,
                "prerequisites",
                "circular prerequisites: " + " requires ".join(cycle),
            )
    errors.check()
    with transaction.atomic():
        report = ImportReport(title=f"courses from {file}")
        report.counts["courses"], course_pk = _write(Course, rows)
        report.counts["prerequisites"] = _write_prerequisites(rows, course_pk)
        report.counts["outcomes"] = _write_outcomes("course", rows, course_pk)
        tracks = Track.objects.filter(
            enforce_order=True, steps__course_id__in=course_pk.values()
        ).distinct()
        problems = [problem for track in tracks for problem in track_order_problems(track)]
        if problems:
            raise ImportFailed([f"{file}: {problem}" for problem in problems])
    return report


def _write(model: type[OfferModel], rows: dict[str, OfferRow]) -> tuple[Counts, dict[str, int]]:
    counts = Counts()
    existing: dict[str, OfferModel] = {
        obj.code: obj for obj in model.objects.filter(code__in=list(rows))
    }
    to_create: list[OfferModel] = []
    to_update: list[OfferModel] = []
    names: list[str] = []
    for code, offer in rows.items():
        current = existing.get(code)
        if current is None:
            to_create.append(model(**offer.fields))
            continue
        changed = [name for name, value in offer.fields.items() if getattr(current, name) != value]
        if changed:
            for name in changed:
                setattr(current, name, offer.fields[name])
            names.extend(name for name in changed if name not in names)
            to_update.append(current)
        else:
            counts.unchanged += 1
    created: list[OfferModel] = model.objects.bulk_create(to_create)
    if to_update:
        model.objects.bulk_update(to_update, [*names, "updated_at"])
    counts.created, counts.updated = len(created), len(to_update)
    pks = {obj.code: obj.pk for obj in [*created, *existing.values()]}
    return counts, pks


def _write_prerequisites(rows: dict[str, OfferRow], course_pk: dict[str, int]) -> Counts:
    counts = Counts()
    through = Course.prerequisites.through
    all_pks = dict(Course.objects.values_list("code", "pk"))
    ids = [course_pk[code] for code in rows]
    existing = set(
        through.objects.filter(from_course_id__in=ids).values_list("from_course_id", "to_course_id")
    )
    wanted = {
        (course_pk[code], all_pks[required])
        for code, offer in rows.items()
        for required in offer.prerequisites
    }
    gone = existing - wanted
    for from_id, to_id in gone:
        through.objects.filter(from_course_id=from_id, to_course_id=to_id).delete()
    through.objects.bulk_create(
        through(from_course_id=from_id, to_course_id=to_id)
        for from_id, to_id in sorted(wanted - existing)
    )
    counts.created, counts.removed = len(wanted - existing), len(gone)
    counts.unchanged = len(wanted & existing)
    return counts


def _write_outcomes(owner: str, rows: dict[str, OfferRow], pks: dict[str, int]) -> Counts:
    counts = Counts()
    column = f"{owner}_id"
    existing = {
        (owner_id, competency_id): (pk, level)
        for pk, owner_id, competency_id, level in LearningOutcome.objects.filter(
            **{f"{column}__in": [pks[code] for code in rows]}
        ).values_list("pk", column, "competency_id", "raises_to_level")
    }
    wanted = {
        (pks[code], competency_id): level
        for code, offer in rows.items()
        for competency_id, level in offer.outcomes.items()
    }
    gone = [pk for key, (pk, _) in existing.items() if key not in wanted]
    LearningOutcome.objects.filter(pk__in=gone).delete()
    to_create, to_update = [], []
    for (owner_id, competency_id), level in wanted.items():
        current = existing.get((owner_id, competency_id))
        if current is None:
            to_create.append(
                LearningOutcome(
                    **{column: owner_id}, competency_id=competency_id, raises_to_level=level
                )
            )
        elif current[1] != level:
            to_update.append(LearningOutcome(pk=current[0], raises_to_level=level))
        else:
            counts.unchanged += 1
    LearningOutcome.objects.bulk_create(to_create)
    LearningOutcome.objects.bulk_update(to_update, ["raises_to_level"])
    counts.created, counts.updated, counts.removed = len(to_create), len(to_update), len(gone)
    return counts


def _outcome_cells(owner: str) -> dict[int, str]:
    """Each course's (or qualification's) outcomes as one sorted 'fw:code=level;...' cell."""
    column = f"{owner}_id"
    cells: dict[int, list[tuple[str, str, int]]] = {}
    for owner_id, framework, competency, level in (
        LearningOutcome.objects.filter(**{f"{column}__isnull": False})
        .values_list(column, "competency__framework__code", "competency__code", "raises_to_level")
        .iterator()
    ):
        cells.setdefault(owner_id, []).append((framework, competency, level))
    return {
        owner_id: ";".join(f"{fw}:{code}={level}" for fw, code, level in sorted(items))
        for owner_id, items in cells.items()
    }


def _number(value: Decimal | int | None) -> str:
    return "" if value is None else str(value)


def _write_csv(target: TextIO, header: Iterable[str], rows: list[list[str]]) -> int:
    writer = csv.writer(target, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
    return len(rows)


def export_courses_csv(target: TextIO) -> int:
    """Write every course in the import format, sorted by code. Returns the row count."""
    outcomes = _outcome_cells("course")
    prerequisites: dict[int, list[str]] = {}
    for from_id, code in Course.prerequisites.through.objects.values_list(
        "from_course_id", "to_course__code"
    ):
        prerequisites.setdefault(from_id, []).append(code)
    courses = sorted(Course.objects.all(), key=lambda course: course.code)
    rows = [
        [
            guard_formula(c.code),
            guard_formula(c.title),
            guard_formula(c.summary),
            c.modality,
            _number(c.duration_hours),
            _number(c.cost_per_person),
            _number(c.cost_per_run),
            c.provider_kind,
            guard_formula(c.provider_name),
            guard_formula(c.audience),
            ";".join(guard_formula(code) for code in sorted(prerequisites.get(c.pk, []))),
            outcomes.get(c.pk, ""),
            "true" if c.is_active else "false",
            _number(c.places_per_run),
        ]
        for c in courses
    ]
    return _write_csv(target, COURSE_COLUMNS, rows)


# --- qualifications ----------------------------------------------------------------------------


def import_qualifications_csv(path: Path, *, progress: Progress = no_progress) -> ImportReport:
    """Create or update the qualifications in `path`, with their outcomes."""
    table = _read(path, QUALIFICATION_COLUMNS, Qualification)
    file, errors = table.name, RowErrors()
    competencies = _Competencies()
    rows: dict[str, OfferRow] = {}
    seen: dict[str, int] = {}
    for row, values in progress(table.rows(), desc="checking qualifications", total=len(table)):
        cells = _Cells(file, row, values, errors)
        code = _check_code(cells, seen)
        awarding_body = cells.text("awarding_body")
        if not awarding_body:
            cells.error("awarding_body", "is empty; name the awarding body")
        level = cells.whole("level", low=1, high=8)
        if level is None and cells.ok:
            cells.error("level", "is empty; give the level from 1 to 8")
        validity = cells.whole("validity_months", low=1)
        fields = {
            "code": code,
            "title": cells.text("title"),
            "summary": cells.text("summary"),
            "awarding_body": awarding_body,
            "level_framework": cells.choice("level_framework", LevelFramework, "RQF"),
            "level": level,
            "credits": cells.whole("credits"),
            "guided_learning_hours": cells.whole("guided_learning_hours"),
            "funding_eligible": cells.flag("funding_eligible", False),
            "funding_note": cells.text("funding_note"),
            "validity_months": validity,
            "renewal": cells.text("renewal"),
            "cost_per_person": cells.amount("cost_per_person"),
            "is_active": cells.flag("active", True),
        }
        offer = OfferRow(row=row, fields=fields, outcomes=competencies.parse(cells))
        if cells.ok:
            rows[code] = offer
    errors.check()
    with transaction.atomic():
        report = ImportReport(title=f"qualifications from {file}")
        report.counts["qualifications"], pks = _write(Qualification, rows)
        report.counts["outcomes"] = _write_outcomes("qualification", rows, pks)
    return report


def export_qualifications_csv(target: TextIO) -> int:
    """Write every qualification in the import format, sorted by code."""
    outcomes = _outcome_cells("qualification")
    qualifications = sorted(Qualification.objects.all(), key=lambda q: q.code)
    rows = [
        [
            guard_formula(q.code),
            guard_formula(q.title),
            guard_formula(q.summary),
            guard_formula(q.awarding_body),
            q.level_framework,
            str(q.level),
            _number(q.credits),
            _number(q.guided_learning_hours),
            "true" if q.funding_eligible else "false",
            guard_formula(q.funding_note),
            _number(q.validity_months),
            guard_formula(q.renewal),
            _number(q.cost_per_person),
            outcomes.get(q.pk, ""),
            "true" if q.is_active else "false",
        ]
        for q in qualifications
    ]
    return _write_csv(target, QUALIFICATION_COLUMNS, rows)
