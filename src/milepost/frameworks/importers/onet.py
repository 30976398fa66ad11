"""Import O*NET (29.0 text release) skills and knowledge as framework 'onet' and job profiles.

Mapping (see docs/importing.md): a synthetic group 'skills' holds Basic Skills (2.A) and
Cross-Functional Skills (2.B); Knowledge (2.C) is the second root; the content-model hierarchy
sits below them. For each occupation and rated element:
  importance     = round(IM) clamped to 1..5
  required level = 1 + round(LV / 7 * 4) clamped to 1..5
  essential      = IM >= 3.0
and the rating is skipped when IM or LV is marked "Recommend Suppress" = Y, or IM < 2.0.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from milepost.frameworks.importers.competencies import (
    CompetencyPlan,
    CompetencyRecord,
    release_framework,
    stamp_release,
)
from milepost.frameworks.importers.profiles import (
    ProfileRecord,
    RequirementValues,
    write_release_profiles,
)
from milepost.frameworks.models import (
    Competency,
    Framework,
    Source,
)
from milepost.lib.tabular import (
    ImportFailed,
    ImportReport,
    Progress,
    RowErrors,
    no_progress,
    read_table,
    round_half_up,
)

FRAMEWORK_CODE = "onet"
VERSION = "29.0"
ATTRIBUTION = (
    "This product includes information from the O*NET 29.0 Database by the U.S. Department of "
    "Labor, Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0 license. "
    "O*NET(R) is a trademark of USDOL/ETA."
)
SKILLS_GROUP = "skills"
# Content-model branch -> parent code in Milepost (None: a root).
BRANCHES: dict[str, str | None] = {"2.A": SKILLS_GROUP, "2.B": SKILLS_GROUP, "2.C": None}
RATING_FILES = {
    "Skills.tsv": Competency.Kind.COMPETENCE,
    "Knowledge.tsv": Competency.Kind.KNOWLEDGE,
}
MIN_IMPORTANCE = 2.0
ESSENTIAL_IMPORTANCE = 3.0
SOC = "O*NET-SOC Code"
RATING_COLUMNS = [SOC, "Element ID", "Element Name", "Scale ID", "Data Value", "Recommend Suppress"]


@dataclass
class _Rating:
    value: float
    suppressed: bool
    file: str
    row: int


def importance_of(im: float) -> int:
    return min(5, max(1, round_half_up(im)))


def level_of(lv: float) -> int:
    return min(5, max(1, 1 + round_half_up(lv / 7 * 4)))


def _sort_key(element_id: str) -> str:
    # "2.C.10" must sort after "2.C.9".
    return ".".join(part.zfill(3) if part.isdigit() else part for part in element_id.split("."))


def _tsv(path: Path, required: list[str]) -> tuple[str, list[tuple[int, dict[str, str]]]]:
    table = read_table(path, required=required, allow_other_columns=True, delimiter="\t")
    return table.name, list(table.rows())


# file -> (O*NET-SOC code, element) -> scale ("IM" or "LV") -> rating
_Ratings = dict[str, dict[tuple[str, str], dict[str, _Rating]]]


@dataclass
class _Release:
    """The O*NET files as read: ratings, the content model as competencies, occupations."""

    directory: Path
    ratings: _Ratings
    broken: set[tuple[str, str]]  # pairs with a rating already reported: no second error
    competencies: list[CompetencyRecord]
    profiles: list[ProfileRecord]


@dataclass
class _Plan:
    """A release that passed every check, ready to write into its framework."""

    directory: Path
    framework: Framework
    competencies: CompetencyPlan
    profiles: list[ProfileRecord]
    requirements: dict[tuple[str, str], RequirementValues]
    suppressed: int
    too_low: int


def import_onet(directory: Path, *, progress: Progress = no_progress) -> ImportReport:
    """Import or update O*NET skills, knowledge and occupations from its text release."""
    errors = RowErrors()
    release = _read_onet(Path(directory), errors, progress)
    # The check may create the framework it compares the tree with: one transaction with the
    # writes, so a failed check leaves nothing behind.
    with transaction.atomic():
        plan = _check_onet(release, errors)
        return _write_onet(plan, progress)


def _read_onet(directory: Path, errors: RowErrors, progress: Progress) -> _Release:
    """Read the rating files, the content model and the occupations, with their row errors."""
    if not directory.is_dir():
        raise ImportFailed([f"{directory}: not a directory (give the folder of the O*NET files)"])
    ratings, rated_kind, broken = _ratings(directory, errors, progress)
    competencies = _competency_records(directory, rated_kind, errors)
    profiles = _profile_records(directory, errors)
    return _Release(directory, ratings, broken, competencies, profiles)


def _check_onet(release: _Release, errors: RowErrors) -> _Plan:
    """Turn the ratings into requirements, then check the tree against the database."""
    requirements, suppressed, too_low = _requirements(release, errors)
    framework = release_framework(
        FRAMEWORK_CODE,
        name="O*NET skills and knowledge",
        description=ATTRIBUTION,
        source=Source.ONET,
        version=VERSION,
    )
    competencies = CompetencyPlan(framework=framework, records=release.competencies, errors=errors)
    errors.check()
    return _Plan(
        directory=release.directory,
        framework=framework,
        competencies=competencies,
        profiles=release.profiles,
        requirements=requirements,
        suppressed=suppressed,
        too_low=too_low,
    )


def _write_onet(plan: _Plan, progress: Progress) -> ImportReport:
    report = ImportReport(title=f"O*NET {VERSION} from {plan.directory}")
    stamp_release(plan.framework, source=Source.ONET, version=VERSION)
    report.counts["competencies"], competency_pk = plan.competencies.write(progress)
    report.counts["job profiles"], report.counts["requirements"] = write_release_profiles(
        plan.profiles,
        plan.requirements,
        framework=plan.framework,
        competency_pk=competency_pk,
        source=Source.ONET,
        progress=progress,
    )
    report.notes.append(
        f"ratings skipped: {plan.suppressed} marked Recommend Suppress, "
        f"{plan.too_low} with importance below {MIN_IMPORTANCE}"
    )
    return report


def _ratings(
    directory: Path, errors: RowErrors, progress: Progress
) -> tuple[_Ratings, dict[str, tuple[str, str, int]], set[tuple[str, str]]]:
    """The IM and LV ratings of every file, which kind each rated element is, and broken pairs."""
    ratings: _Ratings = {}
    rated_kind: dict[str, tuple[str, str, int]] = {}  # element -> (kind, file, row)
    broken: set[tuple[str, str]] = set()
    for file_name, kind in RATING_FILES.items():
        name, rows = _tsv(directory / file_name, RATING_COLUMNS)
        by_pair = ratings.setdefault(name, {})
        for row, rating in progress(rows, desc=file_name, total=len(rows)):
            scale = rating["Scale ID"].strip()
            if scale not in ("IM", "LV"):
                continue
            element = rating["Element ID"].strip()
            rated_kind.setdefault(element, (kind, name, row))
            key = (rating[SOC].strip(), element)
            pair = by_pair.setdefault(key, {})
            try:
                value = float(rating["Data Value"])
            except ValueError:
                errors.add(name, row, "Data Value", f"'{rating['Data Value']}' is not a number")
                broken.add(key)
                continue
            low, high = (1.0, 5.0) if scale == "IM" else (0.0, 7.0)
            if not low <= value <= high:
                errors.add(
                    name, row, "Data Value", f"{value} is outside the {scale} scale ({low}-{high})"
                )
                broken.add(key)
                continue
            if scale in pair:
                errors.add(
                    name,
                    row,
                    "Scale ID",
                    f"a second {scale} rating for {rating[SOC]} / {element} "
                    f"(first on row {pair[scale].row}); keep one",
                )
                continue
            pair[scale] = _Rating(
                value, rating["Recommend Suppress"].strip().upper() == "Y", name, row
            )
    return ratings, rated_kind, broken


def _requirements(
    release: _Release, errors: RowErrors
) -> tuple[dict[tuple[str, str], RequirementValues], int, int]:
    """Requirements from each pair's IM and LV, with how many were suppressed or too low."""
    profile_codes = {profile.code for profile in release.profiles}
    requirements: dict[tuple[str, str], RequirementValues] = {}
    suppressed = too_low = 0
    for name, by_pair in release.ratings.items():
        for (soc, element), scales in by_pair.items():
            if (soc, element) in release.broken:
                continue
            first = next(iter(scales.values()))
            if soc not in profile_codes:
                errors.add(
                    name,
                    first.row,
                    SOC,
                    f"occupation '{soc}' is not in Occupation_Data.txt; check that all files "
                    "come from the same O*NET release",
                )
                continue
            im, lv = scales.get("IM"), scales.get("LV")
            if im is None or lv is None:
                missing = "IM" if im is None else "LV"
                errors.add(
                    name, first.row, "Scale ID", f"{soc} / {element} has no {missing} rating"
                )
                continue
            if im.suppressed or lv.suppressed:
                suppressed += 1
            elif im.value < MIN_IMPORTANCE:
                too_low += 1
            else:
                requirements[(soc, element)] = (
                    level_of(lv.value),
                    importance_of(im.value),
                    im.value >= ESSENTIAL_IMPORTANCE,
                )
    return requirements, suppressed, too_low


def _competency_records(
    directory: Path, rated_kind: dict[str, tuple[str, str, int]], errors: RowErrors
) -> list[CompetencyRecord]:
    name, rows = _tsv(
        directory / "Content_Model_Reference.txt", ["Element ID", "Element Name", "Description"]
    )
    records = [
        CompetencyRecord(
            code=SKILLS_GROUP,
            name="Skills",
            kind=Competency.Kind.GROUP,
            parent_code=None,
            file=name,
            row=None,
            description="O*NET Basic Skills and Cross-Functional Skills.",
            sort_key="2.A",
        )
    ]
    known: set[str] = set()
    for row, element in rows:
        element_id = element["Element ID"].strip()
        branch = element_id[:3]
        if branch not in BRANCHES:
            continue
        parent = BRANCHES[branch] if element_id == branch else element_id.rsplit(".", 1)[0]
        kind = rated_kind.get(element_id, (Competency.Kind.GROUP,))[0]
        known.add(element_id)
        records.append(
            CompetencyRecord(
                code=element_id,
                name=element["Element Name"].strip(),
                kind=kind,
                parent_code=parent,
                file=name,
                row=row,
                description=element["Description"].strip(),
                sort_key=_sort_key(element_id),
            )
        )
    for element_id, (_, file_name, row) in rated_kind.items():
        if element_id not in known:
            errors.add(
                file_name,
                row,
                "Element ID",
                f"element '{element_id}' is not a skill or knowledge element of "
                f"{name}; check that all files come from the same O*NET release",
            )
    records.sort(key=lambda record: record.sort_key)
    return records


def _profile_records(directory: Path, errors: RowErrors) -> list[ProfileRecord]:
    name, rows = _tsv(directory / "Occupation_Data.txt", [SOC, "Title", "Description"])
    profiles: dict[str, ProfileRecord] = {}
    for row, occupation in rows:
        code, title = occupation[SOC].strip(), occupation["Title"].strip()
        if not code or not title:
            errors.add(name, row, "Title", "an occupation needs a code and a title")
            continue
        if code in profiles:
            errors.add(name, row, SOC, f"'{code}' appears twice (also on row {profiles[code].row})")
            continue
        profiles[code] = ProfileRecord(
            code=code,
            title=title,
            file=name,
            row=row,
            description=occupation["Description"].strip(),
            alt_titles="",
        )
    alt_name, alt_rows = _tsv(directory / "Alternate_Titles.txt", [SOC, "Alternate Title"])
    alternates: dict[str, dict[str, None]] = {}
    for row, alternate in alt_rows:
        code = alternate[SOC].strip()
        if code not in profiles:
            errors.add(alt_name, row, SOC, f"occupation '{code}' is not in {name}")
            continue
        title = alternate["Alternate Title"].strip()
        if title:
            alternates.setdefault(code, {})[title] = None
    for code, titles in alternates.items():
        profiles[code].alt_titles = "\n".join(titles)
    return list(profiles.values())
