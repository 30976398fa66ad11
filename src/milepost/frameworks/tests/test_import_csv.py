"""A customer's own framework and job profiles as CSV: import, errors, export and round trip."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from milepost.frameworks.importers.tabular import (
    export_framework_csv,
    export_profiles_csv,
    import_framework_csv,
    import_profiles_csv,
)
from milepost.frameworks.models import (
    Competency,
    CompetencyLevel,
    Framework,
    JobProfile,
    JobProfileRequirement,
)
from milepost.lib.tabular import ImportFailed

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"


def table_counts() -> dict[str, int]:
    return {
        "frameworks": Framework.objects.count(),
        "competencies": Competency.objects.count(),
        "levels": CompetencyLevel.objects.count(),
        "profiles": JobProfile.objects.count(),
        "requirements": JobProfileRequirement.objects.count(),
    }


def framework_snapshot(code: str) -> list[tuple[object, ...]]:
    parent_code = {c.pk: c.code for c in Competency.objects.filter(framework__code=code)}
    rows: list[tuple[object, ...]] = []
    for competency in Competency.objects.filter(framework__code=code).order_by("code"):
        levels = tuple(competency.levels.order_by("level").values_list("level", "indicators"))
        rows.append(
            (
                competency.code,
                competency.name,
                parent_code.get(competency.parent_id or 0),
                competency.kind,
                competency.description,
                competency.alt_labels,
                competency.depth,
                levels,
            )
        )
    return rows


def profiles_snapshot() -> list[tuple[object, ...]]:
    profiles = [tuple(p) for p in JobProfile.objects.order_by("code").values_list("code", "title")]
    requirements = JobProfileRequirement.objects.order_by(
        "job_profile__code", "competency__code"
    ).values_list(
        "job_profile__code",
        "competency__framework__code",
        "competency__code",
        "required_level",
        "importance",
        "essential",
    )
    return profiles + [tuple(r) for r in requirements]


def import_claims_core() -> None:
    import_framework_csv(FIXTURES / "framework.csv", code="claims-core", name="Claims core")


def test_framework_import_builds_the_tree_in_any_row_order() -> None:
    report = import_framework_csv(
        FIXTURES / "framework.csv", code="claims-core", name="Claims core"
    )

    framework = Framework.objects.get(code="claims-core")
    assert (framework.name, framework.source, framework.scale.name) == (
        "Claims core",
        "csv",
        "Core 1-5",
    )
    fraud = Competency.objects.get(code="TECH-FRAUD")  # listed before its parent TECH
    assert fraud.parent is not None and fraud.parent.code == "TECH"
    assert fraud.path == f"{fraud.parent.path}{fraud.pk}/"
    assert fraud.kind == Competency.Kind.KNOWLEDGE
    empathy = Competency.objects.get(code="CUST-EMP")
    assert empathy.alt_label_list == ["empathy", "active listening"]
    assert empathy.levels.get(level=2).indicator_list == [
        "Acknowledges feelings",
        "Uses the caller's name",
    ]
    assert empathy.levels.count() == 5
    motor = Competency.objects.get(code="TECH-MOTOR")
    assert motor.description.endswith('including "total loss" cases.')
    assert report.counts["competencies"].created == 5
    assert report.counts["level indicators"].created == 8


def test_framework_reimport_is_unchanged_and_edit_updates_in_place(tmp_path: Path) -> None:
    import_claims_core()
    before = table_counts()
    motor = Competency.objects.get(code="TECH-MOTOR")

    again = import_framework_csv(FIXTURES / "framework.csv", code="claims-core", name="Claims core")
    assert not again.changed
    assert table_counts() == before

    edited = tmp_path / "framework.csv"
    edited.write_text(
        (FIXTURES / "framework.csv")
        .read_text()
        .replace("TECH-MOTOR,Motor claims handling,TECH", "TECH-MOTOR,Motor claims,CUST")
    )
    report = import_framework_csv(edited, code="claims-core", name="Claims core")
    moved = Competency.objects.get(code="TECH-MOTOR")
    assert (moved.pk, moved.name, moved.parent.code if moved.parent else None) == (
        motor.pk,
        "Motor claims",
        "CUST",
    )
    assert moved.path == f"{moved.parent.path}{moved.pk}/" if moved.parent else False
    assert report.counts["competencies"].updated == 1
    assert table_counts() == before


def test_competency_parent_cycle_names_a_competency_and_writes_nothing() -> None:
    import_claims_core()
    before = table_counts()

    with pytest.raises(ImportFailed) as failure:
        import_framework_csv(FIXTURES / "framework_cycle.csv", code="claims-core", name="Claims")

    assert failure.value.errors == [
        "framework_cycle.csv, row 2, field parent_code: competency 'A' is in a cycle of parents "
        "(A -> C -> B -> A); point one of them at another parent or leave its parent empty"
    ]
    assert table_counts() == before
    assert Framework.objects.get(code="claims-core").name == "Claims core"


def test_missing_and_unexpected_columns_are_named() -> None:
    with pytest.raises(ImportFailed) as failure:
        import_framework_csv(FIXTURES / "framework_missing_column.csv", code="x", name="X")

    message = str(failure.value)
    assert "framework_missing_column.csv: missing column(s) 'name' in the header row" in message
    assert "unexpected column(s) 'title', 'parent' in the header row" in message
    assert table_counts()["frameworks"] == 0


def test_latin1_framework_file_is_refused() -> None:
    with pytest.raises(ImportFailed) as failure:
        import_framework_csv(FIXTURES / "framework_latin1.csv", code="safety", name="Safety")

    assert str(failure.value).startswith(
        "framework_latin1.csv: the file is not UTF-8 encoded (byte 0xe9 on line 2 is not valid "
        "UTF-8; it looks like Latin-1 or Windows-1252). Save it as 'CSV UTF-8'"
    )
    assert table_counts()["frameworks"] == 0


def test_profiles_import_with_requirements() -> None:
    import_claims_core()

    report = import_profiles_csv(FIXTURES / "profiles.csv")

    handler = JobProfile.objects.get(code="CH1")
    assert (handler.title, handler.source) == ("Claims handler", "csv")
    motor = handler.requirements.get(competency__code="TECH-MOTOR")
    assert (motor.required_level, motor.importance, motor.essential) == (3, 4, True)
    fraud = handler.requirements.get(competency__code="TECH-FRAUD")
    assert (fraud.required_level, fraud.importance, fraud.essential) == (2, 2, False)
    assert JobProfile.objects.get(code="TL1").requirements.count() == 2
    assert JobProfile.objects.get(code="NEW1").requirements.count() == 0
    assert report.counts["job profiles"].created == 3
    assert report.counts["requirements"].created == 5

    before = table_counts()
    assert not import_profiles_csv(FIXTURES / "profiles.csv").changed
    assert table_counts() == before


def test_bad_levels_and_unknown_competencies_are_all_reported_and_nothing_written() -> None:
    import_claims_core()
    import_profiles_csv(FIXTURES / "profiles.csv")
    before = table_counts()
    snapshot = profiles_snapshot()

    with pytest.raises(ImportFailed) as failure:
        import_profiles_csv(FIXTURES / "profiles_bad_level.csv")

    assert failure.value.errors == [
        "profiles_bad_level.csv, row 3, field required_level: level 'expert+' is not on scale "
        "'Core 1-5'; use a whole number from 1 to 5",
        "profiles_bad_level.csv, row 4, field required_level: level '7' is not on scale "
        "'Core 1-5'; use a whole number from 1 to 5",
        "profiles_bad_level.csv, row 5, field competency_code: competency 'NOPE' is not in "
        "framework 'claims-core'; correct the code or add it to the framework first",
        "profiles_bad_level.csv, row 6, field competency_framework: framework 'other-framework' "
        "does not exist; import it first (milepost import framework ...) or correct the code",
        "profiles_bad_level.csv, row 7, field importance: 'urgent' is not an importance; use 1-5 "
        "or one of minimal, low, moderate, high, critical",
    ]
    assert str(failure.value).endswith("Nothing was imported.")
    assert table_counts() == before
    assert profiles_snapshot() == snapshot


def test_profile_file_replaces_the_requirements_of_the_profiles_it_names(tmp_path: Path) -> None:
    import_claims_core()
    import_profiles_csv(FIXTURES / "profiles.csv")
    lines = (FIXTURES / "profiles.csv").read_text().splitlines()
    shorter = tmp_path / "profiles.csv"
    shorter.write_text("\n".join(line for line in lines if "TECH-FRAUD" not in line) + "\n")

    report = import_profiles_csv(shorter)

    assert report.counts["requirements"].removed == 1
    assert not JobProfileRequirement.objects.filter(competency__code="TECH-FRAUD").exists()


def test_export_then_import_into_an_empty_database_gives_the_same_data(tmp_path: Path) -> None:
    import_claims_core()
    import_profiles_csv(FIXTURES / "profiles.csv")
    # A text that a spreadsheet would run as a formula must survive the round trip.
    Competency.objects.filter(code="CUST").update(description="=SUM(A1) is not a formula here")
    framework_before = framework_snapshot("claims-core")
    profiles_before = profiles_snapshot()
    framework_file, profiles_file = tmp_path / "framework.csv", tmp_path / "profiles.csv"
    call_command(
        "export_data", "framework", "claims-core", str(framework_file), stdout=io.StringIO()
    )
    call_command("export_data", "profiles", str(profiles_file), stdout=io.StringIO())

    JobProfile.objects.all().delete()
    Framework.objects.all().delete()
    assert table_counts() == dict.fromkeys(table_counts(), 0)
    import_framework_csv(framework_file, code="claims-core", name="Claims core")
    import_profiles_csv(profiles_file)

    assert framework_snapshot("claims-core") == framework_before
    assert profiles_snapshot() == profiles_before
    second_export = io.StringIO()
    export_framework_csv("claims-core", second_export)
    assert second_export.getvalue() == framework_file.read_text(encoding="utf-8-sig")
    profiles_again = io.StringIO()
    export_profiles_csv(profiles_again)
    assert profiles_again.getvalue() == profiles_file.read_text(encoding="utf-8-sig")


def test_export_guards_formulas_and_writes_the_import_header() -> None:
    import_claims_core()
    Competency.objects.filter(code="CUST").update(description="=1+1")
    out = io.StringIO()

    export_framework_csv("claims-core", out)

    lines = out.getvalue().splitlines()
    assert lines[0] == (
        "code,name,parent_code,kind,description,alt_labels,level_1,level_2,level_3,level_4,level_5"
    )
    assert "CUST,Customer,,group,'=1+1,,,,,," in lines
