"""The `milepost import/export` entry points: thin commands over the importers."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from milepost import cli
from milepost.accounts.models import OrgUnit
from milepost.frameworks.models import Competency, JobProfile
from milepost.people.models import Employee

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def keep_test_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """run_from_argv closes every connection when done, which would end the test's transaction."""
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)


FIXTURES = Path(__file__).parents[2] / "frameworks" / "tests" / "fixtures"
PEOPLE_FIXTURES = Path(__file__).parents[2] / "people" / "tests" / "fixtures"


def test_call_command_imports_esco_and_prints_a_summary() -> None:
    out = io.StringIO()

    call_command("import_data", "esco", str(FIXTURES / "esco"), "--quiet", stdout=out)

    assert "competencies  37 created, 0 updated, 0 unchanged" in out.getvalue()
    assert JobProfile.objects.count() == 2


def test_no_occupations_option() -> None:
    call_command(
        "import_data", "esco", str(FIXTURES / "esco"), no_occupations=True, stdout=io.StringIO()
    )

    assert Competency.objects.count() == 37
    assert JobProfile.objects.count() == 0


def test_milepost_main_maps_import_to_import_data(capsys: pytest.CaptureFixture[str]) -> None:
    cli.main(["milepost", "import", "onet", str(FIXTURES / "onet"), "--quiet"])
    cli.main(["milepost", "import", "onet", str(FIXTURES / "onet"), "--quiet"])

    out = capsys.readouterr().out
    assert "requirements  13 created" in out
    assert "requirements  0 created, 0 updated, 13 unchanged" in out


def test_failed_import_exits_non_zero_with_the_row_errors(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("import_data", "units", str(PEOPLE_FIXTURES / "units.csv"), stdout=io.StringIO())

    with pytest.raises(SystemExit) as exit_info:
        cli.main(["milepost", "import", "people", str(PEOPLE_FIXTURES / "people_duplicate_id.csv")])

    assert exit_info.value.code != 0
    err = capsys.readouterr().err
    assert "people_duplicate_id.csv, row 4, field employee_id: employee 'E100' appears twice" in err
    assert "Nothing was imported." in err
    assert Employee.objects.count() == 0


def test_call_command_raises_command_error_for_a_bad_file() -> None:
    with pytest.raises(CommandError, match=r"framework_cycle.csv, row 2, field parent_code"):
        call_command(
            "import_data",
            "framework",
            str(FIXTURES / "framework_cycle.csv"),
            "--code",
            "cycle",
            "--name",
            "Cycle",
            stdout=io.StringIO(),
        )


def test_units_people_framework_and_profiles_through_the_cli(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("import_data", "units", str(PEOPLE_FIXTURES / "units.csv"), stdout=out)
    call_command(
        "import_data",
        "framework",
        str(FIXTURES / "framework.csv"),
        "--code=claims-core",
        "--name=Claims core",
        stdout=out,
    )
    call_command("import_data", "profiles", str(FIXTURES / "profiles.csv"), stdout=out)
    call_command("import_data", "people", str(PEOPLE_FIXTURES / "people.csv"), stdout=out)

    assert OrgUnit.objects.count() == 5
    assert Employee.objects.filter(job_profile__code="CH1").count() == 2
    assert "employees  5 created" in out.getvalue()

    target = tmp_path / "profiles.csv"
    cli.main(["milepost", "export", "profiles", str(target)])
    assert target.read_text(encoding="utf-8-sig").splitlines()[0] == (
        "profile_code,profile_title,competency_framework,competency_code,required_level,"
        "importance,essential"
    )


def test_export_of_an_unknown_framework_names_the_known_ones(tmp_path: Path) -> None:
    call_command("import_data", "onet", str(FIXTURES / "onet"), "--quiet", stdout=io.StringIO())

    with pytest.raises(CommandError, match=r"no framework with code 'nope' \(known: onet\)"):
        call_command("export_data", "framework", "nope", str(tmp_path / "x.csv"))
