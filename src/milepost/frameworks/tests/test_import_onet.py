"""O*NET import from a small cut of the real 29.0 release (fixtures/onet)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from milepost.frameworks.importers.onet import import_onet, importance_of, level_of
from milepost.frameworks.models import Competency, Framework, JobProfile, JobProfileRequirement
from milepost.lib.tabular import ImportFailed

pytestmark = pytest.mark.django_db

ONET = Path(__file__).parent / "fixtures" / "onet"


def table_counts() -> dict[str, int]:
    return {
        "frameworks": Framework.objects.count(),
        "competencies": Competency.objects.count(),
        "profiles": JobProfile.objects.count(),
        "requirements": JobProfileRequirement.objects.count(),
    }


def requirement(soc: str, element: str) -> JobProfileRequirement:
    return JobProfileRequirement.objects.get(job_profile__code=soc, competency__code=element)


@pytest.fixture
def onet_copy(tmp_path: Path) -> Path:
    target = tmp_path / "onet"
    shutil.copytree(ONET, target)
    return target


@pytest.mark.parametrize(
    ("lv", "level"), [(0.0, 1), (0.87, 1), (0.88, 2), (3.5, 3), (5.25, 4), (6.13, 5), (7.0, 5)]
)
def test_level_maps_zero_to_seven_onto_one_to_five(lv: float, level: int) -> None:
    assert level_of(lv) == level


@pytest.mark.parametrize(("im", "importance"), [(1.0, 1), (2.49, 2), (2.5, 3), (4.78, 5)])
def test_importance_rounds_half_up(im: float, importance: int) -> None:
    assert importance_of(im) == importance


def test_import_builds_skills_and_knowledge_trees() -> None:
    report = import_onet(ONET)

    framework = Framework.objects.get(code="onet")
    assert (framework.source, framework.version) == ("onet", "29.0")
    roots = list(framework.competencies.filter(parent=None).order_by("code"))
    assert [(root.code, root.name) for root in roots] == [
        ("2.C", "Knowledge"),
        ("skills", "Skills"),
    ]
    assert report.counts["competencies"].created == 18
    reading = Competency.objects.get(code="2.A.1.a")
    assert reading.kind == Competency.Kind.COMPETENCE
    assert reading.description.startswith("Understanding written sentences")
    chain = Competency.objects.filter(pk__in=reading.ancestor_ids).order_by("depth")
    assert [c.code for c in chain] == ["skills", "2.A", "2.A.1"]
    assert reading.depth == 3
    assert Competency.objects.get(code="2.C.10").kind == Competency.Kind.KNOWLEDGE
    assert Competency.objects.get(code="2.C.1").kind == Competency.Kind.GROUP


def test_ratings_become_requirements_with_the_documented_mapping() -> None:
    report = import_onet(ONET)

    chief = requirement("11-1011.00", "2.A.1.a")  # IM 4.12, LV 4.62
    assert (chief.importance, chief.required_level, chief.essential) == (4, 4, True)
    physics = requirement("11-1011.00", "2.C.4.b")  # IM 2.01, LV 1.28
    assert (physics.importance, physics.required_level, physics.essential) == (2, 2, False)
    programming = requirement("11-3021.00", "2.B.3.e")  # IM 2.75, LV 2.62
    assert (programming.importance, programming.required_level, programming.essential) == (
        3,
        2,
        False,
    )
    # IM 1.75 is below 2.0; the IS-manager physics and transportation ratings are suppressed.
    assert not JobProfileRequirement.objects.filter(
        job_profile__code="11-1011.00", competency__code="2.B.3.e"
    ).exists()
    assert not JobProfileRequirement.objects.filter(
        job_profile__code="11-3021.00", competency__code__in=["2.C.4.b", "2.C.10"]
    ).exists()
    assert JobProfileRequirement.objects.count() == 13
    assert report.notes == [
        "ratings skipped: 2 marked Recommend Suppress, 1 with importance below 2.0"
    ]


def test_occupations_become_profiles_with_alternate_titles() -> None:
    import_onet(ONET)

    developers = JobProfile.objects.get(code="15-1252.00")
    assert developers.title == "Software Developers"
    assert developers.source == "onet"
    assert developers.alt_titles.splitlines() == [
        ".NET Developer",
        "Android Developer",
        "AngularJS Developer",
    ]
    assert developers.requirements.count() == 0


def test_reimport_changes_nothing() -> None:
    import_onet(ONET)
    before = table_counts()

    report = import_onet(ONET)

    assert table_counts() == before
    assert not report.changed


def test_changed_rating_updates_the_requirement_in_place(onet_copy: Path) -> None:
    import_onet(onet_copy)
    old = requirement("11-1011.00", "2.A.1.a")
    path = onet_copy / "Skills.tsv"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "Reading Comprehension\tLV\tLevel\t4.62", "Reading Comprehension\tLV\tLevel\t6.9", 1
        )
    )

    report = import_onet(onet_copy)

    new = requirement("11-1011.00", "2.A.1.a")
    assert (new.pk, new.required_level) == (old.pk, 5)
    assert report.counts["requirements"].updated == 1


def test_unknown_occupation_and_bad_value_are_row_errors(onet_copy: Path) -> None:
    path = onet_copy / "Knowledge.tsv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("11-1011.00", "99-9999.00", 1)
    lines[2] = lines[2].replace("11-1011.00", "99-9999.00", 1)
    lines[3] = lines[3].replace("\t3.82\t", "\thigh\t", 1)
    path.write_text("\n".join(lines) + "\n")

    with pytest.raises(ImportFailed) as failure:
        import_onet(onet_copy)

    assert failure.value.errors == [
        "Knowledge.tsv, row 4, field Data Value: 'high' is not a number",
        "Knowledge.tsv, row 2, field O*NET-SOC Code: occupation '99-9999.00' is not in "
        "Occupation_Data.txt; check that all files come from the same O*NET release",
    ]
    assert table_counts() == {"frameworks": 0, "competencies": 0, "profiles": 0, "requirements": 0}


def test_missing_file_is_a_clear_error(onet_copy: Path) -> None:
    (onet_copy / "Alternate_Titles.txt").unlink()

    with pytest.raises(ImportFailed, match=r"Alternate_Titles.txt: no such file"):
        import_onet(onet_copy)
