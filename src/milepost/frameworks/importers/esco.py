"""Import the official ESCO CSV release (v1.1.x, English) as framework 'esco' and job profiles.

Mapping (see docs/importing.md):
- skill groups (skillGroups_en.csv plus groups only named in skillsHierarchy_en.csv) -> GROUP;
  skills -> COMPETENCE or KNOWLEDGE by skillType (a blank skillType counts as competence).
- a skill with several broader concepts gets one primary parent: skill groups win over skills,
  then the broader URI that sorts first.
- occupations -> job profiles; essential relations -> essential, importance High (4); optional
  relations -> not essential, importance Low (2); required level 3 (ESCO has no levels).
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
    Importance,
    Source,
)
from milepost.lib.tabular import (
    ImportFailed,
    ImportReport,
    Progress,
    RowErrors,
    Table,
    no_progress,
    read_table,
)

FRAMEWORK_CODE = "esco"
VERSION = "1.1.1"
ATTRIBUTION = "This service uses the ESCO classification of the European Commission."
REQUIRED_LEVEL = 3
RELATION_VALUES: dict[str, RequirementValues] = {
    "essential": (REQUIRED_LEVEL, Importance.HIGH, True),
    "optional": (REQUIRED_LEVEL, Importance.LOW, False),
}
SKILL_KINDS = {
    "skill/competence": Competency.Kind.COMPETENCE,
    "knowledge": Competency.Kind.KNOWLEDGE,
    "": Competency.Kind.COMPETENCE,
}
GROUP_TYPE = "SkillGroup"

FILES = {
    "skills": "skills_en.csv",
    "groups": "skillGroups_en.csv",
    "broader": "broaderRelationsSkillPillar.csv",
    "hierarchy": "skillsHierarchy_en.csv",
    "occupations": "occupations_en.csv",
    "relations": "occupationSkillRelations.csv",
}


@dataclass
class _Broader:
    uri: str
    is_group: bool
    row: int


def _labels(value: str) -> str:
    """ESCO keeps alternative labels one a line already; drop blanks and repeats."""
    lines = (line.strip() for line in value.splitlines())
    return "\n".join(dict.fromkeys(line for line in lines if line))


def _read(directory: Path, key: str, required: list[str]) -> Table:
    return read_table(directory / FILES[key], required=required, allow_other_columns=True)


@dataclass
class _Release:
    """The ESCO files as read: skills and groups as competencies, and the occupation files."""

    directory: Path
    competencies: list[CompetencyRecord]
    occupations: tuple[Table, Table] | None  # occupations, their skills; None when left out


@dataclass
class _Plan:
    """A release that passed every check, ready to write into its framework."""

    directory: Path
    framework: Framework
    competencies: CompetencyPlan
    include_occupations: bool
    profiles: list[ProfileRecord]
    relations: dict[tuple[str, str], RequirementValues]
    skipped_relations: dict[str, int]  # occupation missing from the release -> relations


def import_esco(
    directory: Path,
    *,
    include_occupations: bool = True,
    progress: Progress = no_progress,
) -> ImportReport:
    """Import or update ESCO from the directory holding its CSV release. All or nothing."""
    errors = RowErrors()
    release = _read_esco(Path(directory), include_occupations, errors, progress)
    # The check may create the framework it compares the tree with: one transaction with the
    # writes, so a failed check leaves nothing behind.
    with transaction.atomic():
        plan = _check_esco(release, errors, progress)
        return _write_esco(plan, progress)


def _read_esco(
    directory: Path, include_occupations: bool, errors: RowErrors, progress: Progress
) -> _Release:
    """Read the skill files into competencies, with their row errors, and the occupation files."""
    if not directory.is_dir():
        raise ImportFailed(
            [f"{directory}: not a directory (give the folder of the ESCO CSV files)"]
        )
    competencies = _competency_records(directory, errors, progress)
    occupations = None
    if include_occupations:
        columns = ["conceptUri", "preferredLabel", "altLabels", "description"]
        occupations = (
            _read(directory, "occupations", columns),
            _read(directory, "relations", ["occupationUri", "relationType", "skillUri"]),
        )
    return _Release(directory, competencies, occupations)


def _check_esco(release: _Release, errors: RowErrors, progress: Progress) -> _Plan:
    """Check the skills tree against the database, then the occupations and their skills."""
    framework = release_framework(
        FRAMEWORK_CODE,
        name="ESCO skills",
        description=ATTRIBUTION,
        source=Source.ESCO,
        version=VERSION,
    )
    competencies = CompetencyPlan(
        framework=framework, records=release.competencies, errors=errors, parent_field="broaderUri"
    )
    profiles: list[ProfileRecord] = []
    relations: dict[tuple[str, str], RequirementValues] = {}
    skipped_relations: dict[str, int] = {}
    # The occupation rows are checked after the tree, so errors read in the order a person fixes
    # them: skill files, the tree they make, then occupations.
    if release.occupations is not None:
        occupation_table, relation_table = release.occupations
        profiles = _profile_records(occupation_table, errors, progress)
        relations, skipped_relations = _relations(
            relation_table, {p.code for p in profiles}, competencies, errors, progress
        )
    errors.check()
    return _Plan(
        directory=release.directory,
        framework=framework,
        competencies=competencies,
        include_occupations=release.occupations is not None,
        profiles=profiles,
        relations=relations,
        skipped_relations=skipped_relations,
    )


def _write_esco(plan: _Plan, progress: Progress) -> ImportReport:
    report = ImportReport(title=f"ESCO {VERSION} from {plan.directory}")
    stamp_release(plan.framework, source=Source.ESCO, version=VERSION)
    report.counts["competencies"], competency_pk = plan.competencies.write(progress)
    if plan.competencies.missing_from_file:
        report.warnings.append(
            f"{plan.competencies.missing_from_file} competencies of framework 'esco' are not in "
            "this release and were left in place"
        )
    if plan.include_occupations:
        report.counts["job profiles"], report.counts["requirements"] = write_release_profiles(
            plan.profiles,
            plan.relations,
            framework=plan.framework,
            competency_pk=competency_pk,
            source=Source.ESCO,
            progress=progress,
        )
        for occupation, count in plan.skipped_relations.items():
            report.warnings.append(
                f"{FILES['relations']}: {count} relations skipped for occupation {occupation}, "
                f"which is not in {FILES['occupations']} (a known gap in ESCO 1.1.1)"
            )
    return report


def _competency_records(
    directory: Path, errors: RowErrors, progress: Progress
) -> list[CompetencyRecord]:
    groups_table = _read(
        directory, "groups", ["conceptUri", "preferredLabel", "altLabels", "description", "code"]
    )
    hierarchy = _read(
        directory,
        "hierarchy",
        [f"Level {level} {what}" for level in range(4) for what in ("URI", "preferred term")]
        + ["Description"]
        + [f"Level {level} code" for level in range(4)],
    )
    skills_table = _read(
        directory,
        "skills",
        ["conceptUri", "skillType", "preferredLabel", "altLabels", "description", "definition"],
    )
    broader_table = _read(
        directory, "broader", ["conceptType", "conceptUri", "broaderType", "broaderUri"]
    )

    records: dict[str, CompetencyRecord] = {}
    for row, group in progress(groups_table.rows(), desc="skill groups", total=len(groups_table)):
        uri = group["conceptUri"].strip()
        if not uri or not group["preferredLabel"].strip():
            errors.add(groups_table.name, row, "conceptUri", "a skill group needs a URI and label")
            continue
        if uri in records:
            errors.add(groups_table.name, row, "conceptUri", f"'{uri}' appears twice")
            continue
        records[uri] = CompetencyRecord(
            code=uri,
            name=group["preferredLabel"].strip(),
            kind=Competency.Kind.GROUP,
            parent_code=None,
            file=groups_table.name,
            row=row,
            description=group["description"].strip(),
            alt_labels=_labels(group["altLabels"]),
            sort_key=group["code"].strip(),
        )
    # A few groups of the hierarchy are missing from skillGroups_en.csv: take them from here.
    hierarchy_parent: dict[str, str | None] = {}
    for row, line in hierarchy.rows():
        parent: str | None = None
        for level in range(4):
            uri = line[f"Level {level} URI"].strip()
            if not uri:
                break
            hierarchy_parent.setdefault(uri, parent)
            if uri not in records:
                records[uri] = CompetencyRecord(
                    code=uri,
                    name=line[f"Level {level} preferred term"].strip(),
                    kind=Competency.Kind.GROUP,
                    parent_code=None,
                    file=hierarchy.name,
                    row=row,
                    sort_key=line[f"Level {level} code"].strip(),
                )
            parent = uri
        if parent is not None and records[parent].file == hierarchy.name:
            records[parent].description = records[parent].description or line["Description"]

    group_count = len(records)
    for row, skill in progress(skills_table.rows(), desc="skills", total=len(skills_table)):
        uri = skill["conceptUri"].strip()
        if uri in records:
            errors.add(skills_table.name, row, "conceptUri", f"'{uri}' appears twice")
            continue
        kind = SKILL_KINDS.get(skill["skillType"].strip())
        if kind is None:
            errors.add(
                skills_table.name,
                row,
                "skillType",
                f"'{skill['skillType']}' is not an ESCO skill type "
                "(expected 'skill/competence' or 'knowledge')",
            )
            continue
        name = skill["preferredLabel"].strip()
        if not uri or not name:
            errors.add(skills_table.name, row, "preferredLabel", "a skill needs a URI and label")
            continue
        records[uri] = CompetencyRecord(
            code=uri,
            name=name,
            kind=kind,
            parent_code=None,
            file=skills_table.name,
            row=row,
            description=(skill["description"] or skill["definition"]).strip(),
            alt_labels=_labels(skill["altLabels"]),
        )

    broader: dict[str, list[_Broader]] = {}
    for row, link in progress(
        broader_table.rows(), desc="broader relations", total=len(broader_table)
    ):
        child, parent_uri = link["conceptUri"].strip(), link["broaderUri"].strip()
        for column, uri in (("conceptUri", child), ("broaderUri", parent_uri)):
            if uri not in records:
                errors.add(
                    broader_table.name,
                    row,
                    column,
                    f"'{uri}' is neither a skill nor a skill group of this release; check that "
                    "all files come from the same ESCO version",
                )
        if child in records and parent_uri in records:
            is_group = records[parent_uri].kind == Competency.Kind.GROUP
            broader.setdefault(child, []).append(_Broader(parent_uri, is_group, row))
    for uri, record in records.items():
        candidates = broader.get(uri)
        if candidates:
            # Deterministic primary parent: a skill group beats a broader skill, then URI order.
            primary = min(candidates, key=lambda b: (not b.is_group, b.uri))
            record.parent_code = primary.uri
            record.parent_file, record.parent_row = broader_table.name, primary.row
        else:
            record.parent_code = hierarchy_parent.get(uri)

    # Groups in hierarchy code order, then skills alphabetically: the tree shows siblings so.
    ordered = list(records.values())
    groups, skills = ordered[:group_count], ordered[group_count:]
    groups.sort(key=lambda r: (r.sort_key, r.name.lower()))
    skills.sort(key=lambda r: (r.name.lower(), r.code))
    return groups + skills


def _profile_records(table: Table, errors: RowErrors, progress: Progress) -> list[ProfileRecord]:
    profiles: dict[str, ProfileRecord] = {}
    for row, occupation in progress(table.rows(), desc="occupations", total=len(table)):
        uri = occupation["conceptUri"].strip()
        title = occupation["preferredLabel"].strip()
        if not uri or not title:
            errors.add(table.name, row, "preferredLabel", "an occupation needs a URI and a label")
            continue
        if uri in profiles:
            errors.add(
                table.name,
                row,
                "conceptUri",
                f"occupation '{uri}' appears twice (also on row {profiles[uri].row})",
            )
            continue
        profiles[uri] = ProfileRecord(
            code=uri,
            title=title,
            file=table.name,
            row=row,
            description=occupation["description"].strip(),
            alt_titles=_labels(occupation["altLabels"]),
        )
    return list(profiles.values())


def _relations(
    table: Table,
    occupations: set[str],
    plan: CompetencyPlan,
    errors: RowErrors,
    progress: Progress,
) -> tuple[dict[tuple[str, str], RequirementValues], dict[str, int]]:
    relations: dict[tuple[str, str], RequirementValues] = {}
    first_row: dict[tuple[str, str], int] = {}
    skipped: dict[str, int] = {}
    known_skills = plan.records
    for row, relation in progress(
        table.rows(), desc="occupation-skill relations", total=len(table)
    ):
        occupation = relation["occupationUri"].strip()
        skill = relation["skillUri"].strip()
        values = RELATION_VALUES.get(relation["relationType"].strip())
        if values is None:
            errors.add(
                table.name,
                row,
                "relationType",
                f"'{relation['relationType']}' is not 'essential' or 'optional'",
            )
            continue
        if skill not in known_skills:
            errors.add(
                table.name,
                row,
                "skillUri",
                f"skill '{skill}' is not in {FILES['skills']}; check that all files come from "
                "the same ESCO version",
            )
            continue
        if occupation not in occupations:
            skipped[occupation] = skipped.get(occupation, 0) + 1
            continue
        key = (occupation, skill)
        if key in first_row:
            errors.add(
                table.name,
                row,
                "skillUri",
                f"the pair occupation '{occupation}' / skill '{skill}' appears twice "
                f"(also on row {first_row[key]}); keep one",
            )
            continue
        first_row[key] = row
        relations[key] = values
    return relations, skipped
