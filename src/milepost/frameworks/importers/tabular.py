"""A customer's own framework and job profiles as CSV: import and export in the same format.

Framework file:  code, name, parent_code, kind, description, alt_labels (separated by '|'),
                 level_1 .. level_5 (behavioural indicators of each level, separated by '|').
Profiles file:   profile_code, profile_title, competency_framework, competency_code,
                 required_level, importance, essential (one row a requirement; a profile with no
                 requirements is one row with the competency columns empty).
Exporting and importing again gives the same data.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction

from milepost.frameworks.importers.competencies import (
    CompetencyPlan,
    CompetencyRecord,
    core_scale,
)
from milepost.frameworks.importers.profiles import (
    ProfileRecord,
    RequirementValues,
    write_profiles,
    write_requirements,
)
from milepost.frameworks.models import (
    Competency,
    CompetencyLevel,
    Framework,
    Importance,
    JobProfile,
    JobProfileRequirement,
    ProficiencyScale,
    Source,
)
from milepost.lib.exports import guard_formula, unguard_formula
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
    parse_bool,
    parse_int,
    read_table,
    split_labels,
)

LEVEL_COLUMNS = [f"level_{level}" for level in range(1, 6)]
FRAMEWORK_COLUMNS = ["code", "name", "parent_code", "kind", "description", "alt_labels"]
PROFILE_COLUMNS = [
    "profile_code",
    "profile_title",
    "competency_framework",
    "competency_code",
    "required_level",
    "importance",
    "essential",
]
KIND_WORDS = {
    **{kind.value: kind.value for kind in Competency.Kind},
    **{kind.label.lower(): kind.value for kind in Competency.Kind},
    "skill": Competency.Kind.COMPETENCE.value,
    "competency": Competency.Kind.COMPETENCE.value,
}
IMPORTANCE_WORDS = {
    **{str(choice.value): choice.value for choice in Importance},
    **{choice.label.lower(): choice.value for choice in Importance},
}
LABEL_SEPARATOR = "|"


def _lines(cell: str) -> str:
    """A '|'-separated cell as the model stores it: one item a line."""
    return "\n".join(split_labels(unguard_formula(cell), LABEL_SEPARATOR))


def _cell(lines: str) -> str:
    return guard_formula(LABEL_SEPARATOR.join(line for line in lines.splitlines() if line.strip()))


def _check_length(
    errors: RowErrors, file: str, row: int, column: str, value: str, limit: int
) -> None:
    if len(value) > limit:
        errors.add(file, row, column, f"is {len(value)} characters long; the limit is {limit}")


@dataclass
class _CompetencyRow:
    """One row of a framework file, cells cleaned."""

    row: int
    code: str
    name: str
    kind: str  # as written
    parent_code: str
    description: str
    alt_labels: str  # one a line
    levels: dict[int, str] | None  # level -> indicators, one a line; None without level columns


@dataclass
class _FrameworkPlan:
    """A framework file that passed every check, ready to write."""

    file: str
    code: str
    name: str
    framework: Framework
    created: bool
    competencies: CompetencyPlan


def import_framework_csv(
    path: Path,
    *,
    code: str,
    name: str,
    scale_name: str | None = None,
    progress: Progress = no_progress,
) -> ImportReport:
    """Create or update framework `code` from a CSV file. All or nothing; safe to repeat."""
    try:
        validate_slug(code)
    except ValidationError:
        raise ImportFailed(
            [f"--code '{code}': use only letters, digits, '-' and '_' (e.g. 'core-2026')"]
        ) from None
    file, rows = _read_framework(Path(path))
    # The check may create the framework it compares the rows with: one transaction with the
    # writes, so a failed check leaves nothing behind.
    with transaction.atomic():
        plan = _check_framework(
            file, rows, code=code, name=name, scale_name=scale_name, progress=progress
        )
        return _write_framework(plan, progress)


def _read_framework(path: Path) -> tuple[str, list[_CompetencyRow]]:
    table = read_table(
        path,
        required=["code", "name"],
        optional=FRAMEWORK_COLUMNS[2:] + LEVEL_COLUMNS,
        max_lengths=column_limits(Competency, parent_code="code"),
    )
    level_columns = [column for column in LEVEL_COLUMNS if column in table.header]
    rows = []
    for row, values in table.rows():
        values = {key: unguard_formula(value.strip()) for key, value in values.items()}
        levels = None
        if level_columns:
            levels = {
                int(column.removeprefix("level_")): _lines(values[column])
                for column in level_columns
            }
        rows.append(
            _CompetencyRow(
                row=row,
                code=values["code"],
                name=values["name"],
                kind=values.get("kind", ""),
                parent_code=values.get("parent_code", ""),
                description=values.get("description", ""),
                alt_labels=_lines(values.get("alt_labels", "")),
                levels=levels,
            )
        )
    return table.name, rows


def _check_framework(
    file: str,
    rows: list[_CompetencyRow],
    *,
    code: str,
    name: str,
    scale_name: str | None,
    progress: Progress,
) -> _FrameworkPlan:
    """Check the scale, every row and the tree the rows make with the framework's competencies."""
    framework = Framework.objects.select_related("scale").filter(code=code).first()
    scale = _framework_scale(framework, code=code, scale_name=scale_name)
    errors = RowErrors()
    records = []
    for line in progress(rows, desc="framework rows", total=len(rows)):
        record = _competency_record(errors, file, line, scale)
        if record is not None:
            records.append(record)
    created = framework is None
    if framework is None:
        framework = Framework.objects.create(code=code, name=name, source=Source.CSV, scale=scale)
    competencies = CompetencyPlan(framework=framework, records=records, errors=errors)
    errors.check()
    return _FrameworkPlan(file, code, name, framework, created, competencies)


def _framework_scale(
    framework: Framework | None, *, code: str, scale_name: str | None
) -> ProficiencyScale:
    if scale_name is None:
        return framework.scale if framework else core_scale()
    scale = ProficiencyScale.objects.filter(name=scale_name).first()
    if scale is None:
        known = ", ".join(ProficiencyScale.objects.values_list("name", flat=True))
        raise ImportFailed([f"--scale '{scale_name}' does not exist (known scales: {known})"])
    if framework is not None and framework.scale_id != scale.pk:
        raise ImportFailed(
            [
                f"framework '{code}' uses scale '{framework.scale}', not '{scale}'; leave out "
                "--scale or import under another --code"
            ]
        )
    return scale


def _competency_record(
    errors: RowErrors, file: str, line: _CompetencyRow, scale: ProficiencyScale
) -> CompetencyRecord | None:
    """The row as a competency, or None without a code; its problems go to `errors`."""
    row = line.row
    if not line.code:
        errors.add(file, row, "code", "is empty; every competency needs a unique code")
        return None
    if not line.name:
        errors.add(file, row, "name", f"is empty; give competency '{line.code}' a name")
    _check_length(errors, file, row, "code", line.code, 255)
    _check_length(errors, file, row, "name", line.name, 300)
    kind = KIND_WORDS.get(line.kind.lower() or Competency.Kind.COMPETENCE.value)
    if kind is None:
        errors.add(
            file,
            row,
            "kind",
            f"'{line.kind}' is not a kind of competency; use one of "
            f"{', '.join(Competency.Kind.values)}",
        )
        kind = Competency.Kind.COMPETENCE
    for level, text in (line.levels or {}).items():
        if text and not scale.min_level <= level <= scale.max_level:
            errors.add(
                file,
                row,
                f"level_{level}",
                f"level {level} is not on scale '{scale.name}' "
                f"({scale.min_level}-{scale.max_level}); move the text to a level on the "
                "scale or leave it empty",
            )
    return CompetencyRecord(
        code=line.code,
        name=line.name,
        kind=kind,
        parent_code=line.parent_code or None,
        file=file,
        row=row,
        description=line.description,
        alt_labels=line.alt_labels,
        levels=line.levels,
    )


def _write_framework(plan: _FrameworkPlan, progress: Progress) -> ImportReport:
    report = ImportReport(title=f"framework '{plan.code}' from {plan.file}")
    report.counts["framework"] = _framework_counts(
        plan.framework, name=plan.name, created=plan.created
    )
    competencies = plan.competencies
    # Keep whatever order the database already has for existing rows; new ones follow the file.
    existing_sort = {code: existing.values[4] for code, existing in competencies.existing.items()}
    for record in competencies.records.values():
        record.sort_key = existing_sort.get(record.code, "")
    report.counts["competencies"], pk_of = competencies.write(progress)
    report.counts["level indicators"] = competencies.write_levels(pk_of)
    if competencies.missing_from_file:
        report.warnings.append(
            f"{competencies.missing_from_file} competencies of framework '{plan.code}' are not "
            "in the file and were left in place"
        )
    return report


def _framework_counts(framework: Framework, *, name: str, created: bool) -> Counts:
    if created:
        return Counts(created=1)
    if framework.name != name:
        framework.name = name
        framework.save(update_fields=["name", "updated_at"])
        return Counts(updated=1)
    return Counts(unchanged=1)


def export_framework_csv(code: str, target: TextIO) -> int:
    """Write framework `code` in the import format (tree order). Returns the number of rows."""
    framework = Framework.objects.select_related("scale").get(code=code)
    indicators: dict[int, dict[int, str]] = {}
    for competency_id, level, text in CompetencyLevel.objects.filter(
        competency__framework=framework
    ).values_list("competency_id", "level", "indicators"):
        indicators.setdefault(competency_id, {})[level] = text
    rows = list(
        Competency.objects.filter(framework=framework).values_list(
            "pk", "code", "name", "parent_id", "kind", "description", "alt_labels"
        )
    )
    code_of = {row[0]: row[1] for row in rows}
    children: dict[int | None, list[tuple[int, str, str, int | None, str, str, str]]] = {}
    for row in rows:
        children.setdefault(row[3], []).append(row)
    writer = csv.writer(target, lineterminator="\n")
    writer.writerow(FRAMEWORK_COLUMNS + LEVEL_COLUMNS)
    count = 0
    # Depth-first, siblings in creation order: stable across databases, unlike ordering by
    # the text of the pk path ("/10/" sorts before "/9/").
    stack = sorted(children.get(None, []), reverse=True)
    while stack:
        pk, competency_code, name, parent_id, kind, description, alt_labels = stack.pop()
        stack.extend(sorted(children.get(pk, []), reverse=True))
        levels = indicators.get(pk, {})
        writer.writerow(
            [
                guard_formula(competency_code),
                guard_formula(name),
                guard_formula(code_of[parent_id]) if parent_id else "",
                kind,
                guard_formula(description),
                _cell(alt_labels),
                *(_cell(levels.get(level, "")) for level in range(1, 6)),
            ]
        )
        count += 1
    return count


@dataclass
class _RequirementRow:
    """One row of a job profiles file, cells cleaned; fields are named as the columns."""

    row: int
    profile_code: str
    profile_title: str
    competency_framework: str
    competency_code: str
    required_level: str
    importance: str
    essential: str


# (profile code, competency pk) -> (row, requirement)
_Wanted = dict[tuple[str, int], tuple[int, RequirementValues]]


def import_profiles_csv(path: Path, *, progress: Progress = no_progress) -> ImportReport:
    """Create or update job profiles and requirements from CSV. All or nothing; safe to repeat.

    The file is the complete list of requirements of each profile it names: requirements of
    those profiles that are not in the file are removed.
    """
    file, rows = _read_job_profiles(Path(path))
    # What the check finds in the database is what the write relies on: one transaction.
    with transaction.atomic():
        profiles, wanted = _check_job_profiles(file, rows, progress)
        return _write_job_profiles(file, profiles, wanted, progress)


def _read_job_profiles(path: Path) -> tuple[str, list[_RequirementRow]]:
    table = read_table(
        path,
        required=PROFILE_COLUMNS,
        max_lengths=column_limits(JobProfile, profile_code="code", profile_title="title"),
    )
    rows = [
        _RequirementRow(
            row, **{key: unguard_formula(value.strip()) for key, value in cells.items()}
        )
        for row, cells in table.rows()
    ]
    return table.name, rows


def _check_job_profiles(
    file: str, rows: list[_RequirementRow], progress: Progress
) -> tuple[list[ProfileRecord], _Wanted]:
    """Check every row against the frameworks in the database; one title and row per pair."""
    errors = RowErrors()
    frameworks = {
        framework.code: framework for framework in Framework.objects.select_related("scale")
    }
    competency_pk: dict[str, dict[str, int]] = {}
    profiles: dict[str, ProfileRecord] = {}
    wanted: _Wanted = {}
    for line in progress(rows, desc="profile rows", total=len(rows)):
        row, code, title = line.row, line.profile_code, line.profile_title
        if not code:
            errors.add(file, row, "profile_code", "is empty; every row needs a profile code")
            continue
        _check_length(errors, file, row, "profile_code", code, 255)
        _check_length(errors, file, row, "profile_title", title, 300)
        profile = profiles.get(code)
        if profile is None:
            if not title:
                errors.add(file, row, "profile_title", f"is empty; give profile '{code}' a title")
            profiles[code] = ProfileRecord(code=code, title=title, file=file, row=row)
        elif title and title != profile.title:
            errors.add(
                file,
                row,
                "profile_title",
                f"'{title}' differs from '{profile.title}' given for profile '{code}' on row "
                f"{profile.row}; use one title",
            )
        if not line.competency_framework and not line.competency_code:
            continue  # a profile with no requirements
        requirement = _requirement(errors, file, line, frameworks, competency_pk)
        if requirement is None:
            continue
        competency, values = requirement
        key = (code, competency)
        if key in wanted:
            errors.add(
                file,
                row,
                "competency_code",
                f"profile '{code}' lists '{line.competency_framework}' / "
                f"'{line.competency_code}' twice (also on row {wanted[key][0]}); keep one",
            )
            continue
        wanted[key] = (row, values)
    errors.check()
    return list(profiles.values()), wanted


def _requirement(
    errors: RowErrors,
    file: str,
    line: _RequirementRow,
    frameworks: dict[str, Framework],
    competency_pk: dict[str, dict[str, int]],
) -> tuple[int, RequirementValues] | None:
    """The row's competency pk and requirement, or None after adding the row's error."""
    row, framework_code, competency_code = line.row, line.competency_framework, line.competency_code
    if not framework_code or not competency_code:
        column = "competency_framework" if not framework_code else "competency_code"
        errors.add(file, row, column, "is empty; give both the framework and the competency code")
        return None
    framework = frameworks.get(framework_code)
    if framework is None:
        errors.add(
            file,
            row,
            "competency_framework",
            f"framework '{framework_code}' does not exist; import it first "
            "(milepost import framework ...) or correct the code",
        )
        return None
    if framework_code not in competency_pk:
        competency_pk[framework_code] = dict(
            Competency.objects.filter(framework=framework).values_list("code", "pk")
        )
    competency = competency_pk[framework_code].get(competency_code)
    if competency is None:
        errors.add(
            file,
            row,
            "competency_code",
            f"competency '{competency_code}' is not in framework '{framework_code}'; "
            "correct the code or add it to the framework first",
        )
        return None
    level = parse_int(line.required_level)
    scale = framework.scale
    if level is None or not scale.min_level <= level <= scale.max_level:
        errors.add(
            file,
            row,
            "required_level",
            f"level '{line.required_level}' is not on scale '{scale.name}'; use a whole "
            f"number from {scale.min_level} to {scale.max_level}",
        )
        return None
    importance = IMPORTANCE_WORDS.get(line.importance.lower() or str(Importance.MODERATE.value))
    if importance is None:
        errors.add(
            file,
            row,
            "importance",
            f"'{line.importance}' is not an importance; use 1-5 or one of "
            f"{', '.join(label.lower() for label in Importance.labels)}",
        )
        return None
    essential = parse_bool(line.essential) if line.essential else True
    if essential is None:
        errors.add(file, row, "essential", f"'{line.essential}' is not yes/no; use true or false")
        return None
    return competency, (level, importance, essential)


def _write_job_profiles(
    file: str, profiles: list[ProfileRecord], wanted: _Wanted, progress: Progress
) -> ImportReport:
    report = ImportReport(title=f"job profiles from {file}")
    report.counts["job profiles"], profile_pk = write_profiles(
        profiles, source=Source.CSV, set_source_on_update=False
    )
    desired = {
        (profile_pk[code], competency): values for (code, competency), (_, values) in wanted.items()
    }
    profile_ids = set(profile_pk.values())
    report.counts["requirements"] = write_requirements(
        desired,
        existing_rows=_requirements_of(profile_ids),
        removable=profile_ids.__contains__,
        progress=progress,
    )
    return report


def _requirements_of(profile_ids: set[int]) -> Iterator[tuple[int, int, int, int, int, bool]]:
    for batch in chunked(sorted(profile_ids), BATCH_SIZE):
        yield from JobProfileRequirement.objects.filter(job_profile_id__in=batch).values_list(
            "pk", "job_profile_id", "competency_id", "required_level", "importance", "essential"
        )


def export_profiles_csv(target: TextIO) -> int:
    """Write every job profile and its requirements in the import format. Returns row count."""
    rows: list[tuple[str, str, str, str, str, str, str]] = [
        (code, title, "", "", "", "", "")
        for code, title in JobProfile.objects.filter(requirements__isnull=True).values_list(
            "code", "title"
        )
    ]
    rows += [
        (code, title, framework, competency, str(level), str(importance), str(essential).lower())
        for code, title, framework, competency, level, importance, essential in (
            JobProfileRequirement.objects.values_list(
                "job_profile__code",
                "job_profile__title",
                "competency__framework__code",
                "competency__code",
                "required_level",
                "importance",
                "essential",
            ).iterator(chunk_size=5000)
        )
    ]
    # Sorted here rather than in SQL: database collations order text differently.
    rows.sort(key=lambda row: (row[0], row[2], row[3]))
    writer = csv.writer(target, lineterminator="\n")
    writer.writerow(PROFILE_COLUMNS)
    for code, title, framework, competency, *numbers in rows:
        writer.writerow(
            [
                guard_formula(code),
                guard_formula(title),
                framework,
                guard_formula(competency),
                *numbers,
            ]
        )
    return len(rows)
