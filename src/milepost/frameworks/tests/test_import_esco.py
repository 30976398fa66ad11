"""ESCO import from a small cut of the real v1.1.1 CSV release (fixtures/esco)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from milepost.frameworks.importers.esco import import_esco
from milepost.frameworks.models import (
    Competency,
    Framework,
    JobProfile,
    JobProfileRequirement,
    ProficiencyScale,
    ScaleLevel,
)
from milepost.lib.tabular import ImportFailed

pytestmark = pytest.mark.django_db

ESCO = Path(__file__).parent / "fixtures" / "esco"
SKILL = "http://data.europa.eu/esco/skill/"
# In the fixture: a skill whose only broader concept is another skill ...
SKILL_UNDER_SKILL = SKILL + "00831ebb-bac3-4bd1-8dae-2bca67be958d"
# ... and a skill with two broader skill groups.
SKILL_WITH_TWO_GROUPS = SKILL + "0e3493f4-0cad-4fbc-8e02-025f169b8114"
TECHNICAL_DIRECTOR = "http://data.europa.eu/esco/occupation/00030d09-2b3a-4efd-87cc-c4ea39d27c34"
METAL_DRAWER = "http://data.europa.eu/esco/occupation/000e93a3-d956-4e45-aacb-f12c83fedf84"


def table_counts() -> dict[str, int]:
    return {
        "frameworks": Framework.objects.count(),
        "competencies": Competency.objects.count(),
        "profiles": JobProfile.objects.count(),
        "requirements": JobProfileRequirement.objects.count(),
    }


def csv_rows(name: str) -> list[dict[str, str]]:
    with (ESCO / name).open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def write_rows(path: Path, rows: list[dict[str, str]], *, append: bool = False) -> None:
    with path.open(encoding="utf-8", newline="") as stream:
        header = next(csv.reader(stream))
    with path.open("a" if append else "w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, header, restval="")
        if not append:
            writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def esco_copy(tmp_path: Path) -> Path:
    target = tmp_path / "esco"
    shutil.copytree(ESCO, target)
    return target


def test_import_creates_framework_tree_profiles_and_requirements() -> None:
    report = import_esco(ESCO)

    framework = Framework.objects.get(code="esco")
    assert (framework.source, framework.version, framework.scale.name) == (
        "esco",
        "1.1.1",
        "Core 1-5",
    )
    assert list(
        ScaleLevel.objects.filter(scale=framework.scale).values_list("name", flat=True)
    ) == [
        "Awareness",
        "Basic",
        "Proficient",
        "Advanced",
        "Expert",
    ]
    skills, groups = len(csv_rows("skills_en.csv")), len(csv_rows("skillGroups_en.csv"))
    assert framework.competencies.count() == skills + groups == 37
    assert framework.competencies.filter(kind=Competency.Kind.GROUP).count() == groups
    knowledge = sum(row["skillType"] == "knowledge" for row in csv_rows("skills_en.csv"))
    assert framework.competencies.filter(kind=Competency.Kind.KNOWLEDGE).count() == knowledge
    assert JobProfile.objects.filter(source="esco").count() == 2
    assert JobProfileRequirement.objects.count() == len(csv_rows("occupationSkillRelations.csv"))
    assert report.counts["competencies"].created == 37
    assert report.counts["requirements"].created == 8


def test_tree_paths_follow_the_primary_parents() -> None:
    import_esco(ESCO)

    for competency in Competency.objects.select_related("parent"):
        if competency.parent is None:
            assert competency.path == f"/{competency.pk}/"
            assert competency.depth == 0
        else:
            assert competency.path == f"{competency.parent.path}{competency.pk}/"
            assert competency.depth == competency.parent.depth + 1
    roots = Competency.objects.filter(parent=None)
    assert all(root.kind == Competency.Kind.GROUP for root in roots)

    under_skill = Competency.objects.get(code=SKILL_UNDER_SKILL)
    assert under_skill.parent is not None
    assert under_skill.parent.kind != Competency.Kind.GROUP
    two_groups = Competency.objects.get(code=SKILL_WITH_TWO_GROUPS)
    broader = sorted(
        row["broaderUri"]
        for row in csv_rows("broaderRelationsSkillPillar.csv")
        if row["conceptUri"] == SKILL_WITH_TWO_GROUPS
    )
    assert len(broader) == 2
    assert two_groups.parent is not None
    assert two_groups.parent.code == broader[0]  # the group whose URI sorts first


def test_occupation_becomes_profile_with_mapped_requirements() -> None:
    import_esco(ESCO)

    director = JobProfile.objects.get(code=TECHNICAL_DIRECTOR)
    assert director.title == "technical director"
    assert "head of technical" in director.alt_titles.splitlines()
    assert director.description.startswith("Technical directors realise")
    profile = JobProfile.objects.get(code=METAL_DRAWER)
    essential = profile.requirements.filter(essential=True)
    optional = profile.requirements.filter(essential=False)
    assert essential.count() == 3
    assert optional.count() == 2
    assert {(r.importance, r.required_level) for r in essential} == {(4, 3)}
    assert {(r.importance, r.required_level) for r in optional} == {(2, 3)}


def test_alt_labels_are_kept_one_a_line() -> None:
    import_esco(ESCO)

    row = next(r for r in csv_rows("skills_en.csv") if r["altLabels"])
    skill = Competency.objects.get(code=row["conceptUri"])
    assert skill.alt_label_list == [line.strip() for line in row["altLabels"].splitlines()]
    assert skill.description == row["description"]


def test_reimport_changes_nothing_and_creates_no_duplicates() -> None:
    import_esco(ESCO)
    before = table_counts()
    paths = dict(Competency.objects.values_list("code", "path"))

    report = import_esco(ESCO)

    assert table_counts() == before
    assert dict(Competency.objects.values_list("code", "path")) == paths
    assert not report.changed
    assert report.counts["competencies"].unchanged == 37
    assert report.counts["requirements"].unchanged == 8


def test_modified_rows_update_in_place(esco_copy: Path) -> None:
    import_esco(esco_copy)
    skill = Competency.objects.get(code=SKILL_UNDER_SKILL)
    skills = (esco_copy / "skills_en.csv").read_text(encoding="utf-8")
    (esco_copy / "skills_en.csv").write_text(
        skills.replace(f",{skill.name},", ",renamed skill,", 1), encoding="utf-8"
    )
    relations = (esco_copy / "occupationSkillRelations.csv").read_text(encoding="utf-8")
    (esco_copy / "occupationSkillRelations.csv").write_text(
        relations.replace(f"{METAL_DRAWER},optional", f"{METAL_DRAWER},essential", 1),
        encoding="utf-8",
    )
    before = table_counts()

    report = import_esco(esco_copy)

    assert table_counts() == before
    renamed = Competency.objects.get(code=SKILL_UNDER_SKILL)
    assert (renamed.pk, renamed.name) == (skill.pk, "renamed skill")
    assert report.counts["competencies"].updated == 1
    assert report.counts["requirements"].updated == 1
    profile = JobProfile.objects.get(code=METAL_DRAWER)
    assert profile.requirements.filter(essential=True).count() == 4


def test_relation_removed_from_the_release_is_removed(esco_copy: Path) -> None:
    import_esco(esco_copy)
    lines = (esco_copy / "occupationSkillRelations.csv").read_text(encoding="utf-8").splitlines()
    (esco_copy / "occupationSkillRelations.csv").write_text("\n".join(lines[:-1]) + "\n")

    report = import_esco(esco_copy)

    assert report.counts["requirements"].removed == 1
    assert JobProfileRequirement.objects.count() == 7


def test_no_occupations_imports_the_framework_only() -> None:
    report = import_esco(ESCO, include_occupations=False)

    assert Competency.objects.count() == 37
    assert JobProfile.objects.count() == 0
    assert "job profiles" not in report.counts


def test_missing_column_names_the_column_and_writes_nothing(esco_copy: Path) -> None:
    path = esco_copy / "skills_en.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("preferredLabel", "label", 1))
    before = table_counts()

    with pytest.raises(ImportFailed) as failure:
        import_esco(esco_copy)

    assert "skills_en.csv: missing column(s) 'preferredLabel'" in str(failure.value)
    assert table_counts() == before


def test_latin1_file_is_refused_with_the_line(esco_copy: Path) -> None:
    path = esco_copy / "occupations_en.csv"
    text = path.read_text(encoding="utf-8").replace("technical director,", "directeur général,", 1)
    path.write_bytes(text.encode("latin-1"))

    with pytest.raises(ImportFailed) as failure:
        import_esco(esco_copy)

    message = str(failure.value)
    assert "occupations_en.csv: the file is not UTF-8 encoded (byte 0xe9 on line 2" in message
    assert table_counts()["competencies"] == 0
    assert not Framework.objects.exists()


def test_unknown_skill_in_relations_and_bad_relation_type_are_row_errors(
    esco_copy: Path,
) -> None:
    path = esco_copy / "occupationSkillRelations.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].rsplit(",", 1)[0] + "," + SKILL + "not-a-skill"
    lines[4] = lines[4].replace(",essential,", ",mandatory,")
    path.write_text("\n".join(lines) + "\n")

    with pytest.raises(ImportFailed) as failure:
        import_esco(esco_copy)

    errors = failure.value.errors
    assert errors[0].startswith("occupationSkillRelations.csv, row 3, field skillUri: skill ")
    assert "not-a-skill' is not in skills_en.csv" in errors[0]
    assert errors[1].startswith("occupationSkillRelations.csv, row 5, field relationType: ")
    assert table_counts() == {"frameworks": 0, "competencies": 0, "profiles": 0, "requirements": 0}


def test_cycle_between_skills_names_a_skill_and_writes_nothing(esco_copy: Path) -> None:
    import_esco(esco_copy)
    before = table_counts()
    parent = Competency.objects.get(code=SKILL_UNDER_SKILL).parent
    assert parent is not None
    with (esco_copy / "broaderRelationsSkillPillar.csv").open("a", encoding="utf-8") as stream:
        stream.write(f"KnowledgeSkillCompetence,{parent.code},KnowledgeSkillCompetence,")
        stream.write(f"{SKILL_UNDER_SKILL}\n")
    # Make the child skill the parent's only broader concept, closing the loop.
    path = esco_copy / "broaderRelationsSkillPillar.csv"
    lines = [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if not (line.split(",")[1] == parent.code and line.split(",")[2] == "SkillGroup")
    ]
    path.write_text("\n".join(lines) + "\n")

    with pytest.raises(ImportFailed) as failure:
        import_esco(esco_copy)

    message = failure.value.errors[0]
    assert message.startswith("broaderRelationsSkillPillar.csv, row ")
    assert ", field broaderUri: competency " in message
    assert "is in a cycle of parents" in message
    assert SKILL_UNDER_SKILL in message
    assert table_counts() == before


def test_errors_list_the_skill_files_then_the_tree_then_the_occupations(esco_copy: Path) -> None:
    broader = csv_rows("broaderRelationsSkillPillar.csv")
    parent = next(row["broaderUri"] for row in broader if row["conceptUri"] == SKILL_UNDER_SKILL)
    loop = {**broader[0], "conceptUri": parent, "broaderUri": SKILL_UNDER_SKILL}
    loop["conceptType"] = loop["broaderType"] = "KnowledgeSkillCompetence"
    rows = [row for row in broader if row["conceptUri"] != parent] + [loop]
    write_rows(esco_copy / "broaderRelationsSkillPillar.csv", rows)
    new_skill = {"conceptUri": SKILL + "new", "skillType": "attitude", "preferredLabel": "calm"}
    write_rows(esco_copy / "skills_en.csv", [new_skill], append=True)
    write_rows(esco_copy / "occupations_en.csv", csv_rows("occupations_en.csv")[:1], append=True)

    with pytest.raises(ImportFailed) as failure:
        import_esco(esco_copy)

    errors = failure.value.errors
    assert [error.split(",")[0] for error in errors] == [
        "skills_en.csv",
        "broaderRelationsSkillPillar.csv",
        "occupations_en.csv",
    ]
    assert "'attitude' is not an ESCO skill type" in errors[0]
    assert f"competency '{SKILL_UNDER_SKILL}' is in a cycle of parents" in errors[1]
    assert f"occupation '{TECHNICAL_DIRECTOR}' appears twice" in errors[2]
    # The framework and scale the check created are undone with everything else.
    assert table_counts() == {"frameworks": 0, "competencies": 0, "profiles": 0, "requirements": 0}
    assert not ProficiencyScale.objects.exists()
