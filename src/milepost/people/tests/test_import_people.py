"""Units and people from HRIS-style CSV files: import, re-import and every kind of bad row."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from milepost.accounts.models import OrgUnit
from milepost.lib.tabular import ImportFailed
from milepost.people.importers import import_people_csv, import_units_csv
from milepost.people.models import Employee
from milepost.testing.factories import JobProfileFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"


def snapshot() -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    units = [tuple(u) for u in OrgUnit.objects.order_by("code").values_list("code", "parent_id")]
    people = [
        tuple(e)
        for e in Employee.objects.order_by("employee_id").values_list(
            "employee_id", "last_name", "manager_id", "unit_id"
        )
    ]
    return units, people


@pytest.fixture
def units() -> None:
    import_units_csv(FIXTURES / "units.csv")


def test_units_import_builds_paths_in_any_row_order() -> None:
    report = import_units_csv(FIXTURES / "units.csv")

    motor = OrgUnit.objects.get(code="MOT")  # listed before its parent
    claims = OrgUnit.objects.get(code="CLM")
    group = OrgUnit.objects.get(code="GRP")
    assert motor.parent == claims and claims.parent == group
    assert motor.path == f"/{group.pk}/{claims.pk}/{motor.pk}/"
    assert motor.depth == 2
    assert (motor.kind, group.kind) == (OrgUnit.Kind.TEAM, OrgUnit.Kind.ORGANISATION)
    assert OrgUnit.objects.get(code="HOME").kind == OrgUnit.Kind.TEAM  # label "Team" accepted
    assert report.counts["units"].created == 5


def test_units_reimport_changes_nothing() -> None:
    import_units_csv(FIXTURES / "units.csv")
    before = snapshot()

    report = import_units_csv(FIXTURES / "units.csv")

    assert not report.changed
    assert snapshot() == before


def test_unit_parent_cycle_is_named_and_nothing_is_written(units: None) -> None:
    before = snapshot()

    with pytest.raises(ImportFailed) as failure:
        import_units_csv(FIXTURES / "units_cycle.csv")

    assert failure.value.errors == [
        "units_cycle.csv, row 3, field parent_code: unit 'CLM' is in a cycle of parent units "
        "(CLM -> MOT -> HOME -> CLM); point one of them at another parent or leave its "
        "parent_code empty"
    ]
    assert snapshot() == before


def test_people_import_links_units_managers_and_profiles(units: None) -> None:
    JobProfileFactory(code="CH1", title="Claims handler")

    report = import_people_csv(FIXTURES / "people.csv")

    zoe = Employee.objects.get(employee_id="E201")
    assert (zoe.first_name, zoe.last_name) == ("Zoë", "Müller")
    assert zoe.unit.code == "MOT"
    assert zoe.manager is not None and zoe.manager.employee_id == "E200"
    assert zoe.job_profile is not None and zoe.job_profile.code == "CH1"
    assert zoe.start_date == datetime.date(2021, 4, 12)
    sam = Employee.objects.get(employee_id="E202")
    assert (sam.email, sam.start_date) == ("", None)
    assert Employee.objects.get(employee_id="E100").manager is None
    assert report.counts["employees"].created == 5


def test_people_reimport_is_unchanged_and_an_edit_updates_in_place(
    units: None, tmp_path: Path
) -> None:
    JobProfileFactory(code="CH1")
    import_people_csv(FIXTURES / "people.csv")
    before = snapshot()
    sam = Employee.objects.get(employee_id="E202")
    assert not import_people_csv(FIXTURES / "people.csv").changed
    assert snapshot() == before

    moved = tmp_path / "people.csv"
    moved.write_text(
        (FIXTURES / "people.csv")
        .read_text(encoding="utf-8")
        .replace("E202,Sam,Patel,,MOT,E200", "E202,Sam,Patel,,UW,E300"),
        encoding="utf-8",
    )
    report = import_people_csv(moved)

    sam_after = Employee.objects.get(employee_id="E202")
    assert sam_after.pk == sam.pk
    assert (sam_after.unit.code, sam_after.manager.employee_id if sam_after.manager else "") == (
        "UW",
        "E300",
    )
    assert report.counts["employees"].updated == 1
    assert Employee.objects.count() == 5


def test_unknown_manager_is_a_row_error(units: None) -> None:
    with pytest.raises(ImportFailed) as failure:
        import_people_csv(FIXTURES / "people_unknown_manager.csv")

    assert failure.value.errors == [
        "people_unknown_manager.csv, row 3, field manager_id: manager 'E999' of employee 'E201' "
        "is neither in the file nor already imported; add a row for the manager or correct the ID"
    ]
    assert Employee.objects.count() == 0


def test_manager_cycle_is_named_and_nothing_is_written(units: None) -> None:
    before = snapshot()

    with pytest.raises(ImportFailed) as failure:
        import_people_csv(FIXTURES / "people_manager_cycle.csv")

    assert failure.value.errors == [
        "people_manager_cycle.csv, row 2, field manager_id: employee 'E100' is in a cycle of "
        "managers (E100 -> E202 -> E200 -> E100); someone in it must report outside it"
    ]
    assert snapshot() == before


def test_duplicate_employee_id_is_a_row_error(units: None) -> None:
    with pytest.raises(ImportFailed) as failure:
        import_people_csv(FIXTURES / "people_duplicate_id.csv")

    assert failure.value.errors == [
        "people_duplicate_id.csv, row 4, field employee_id: employee 'E100' appears twice (also "
        "on row 2); keep one row per employee"
    ]
    assert Employee.objects.count() == 0


def test_bad_email_unknown_unit_unknown_profile_and_bad_date_are_all_reported(
    units: None,
) -> None:
    with pytest.raises(ImportFailed) as failure:
        import_people_csv(FIXTURES / "people_bad_values.csv")

    assert failure.value.errors == [
        "people_bad_values.csv, row 2, field email: 'grace.hopper@acme' is not an email address "
        "(name@example.com)",
        "people_bad_values.csv, row 3, field unit: unit 'NOWHERE' does not exist; import it "
        "first (milepost import units ...) or correct the code",
        "people_bad_values.csv, row 4, field job_profile_code: job profile 'NO-SUCH-PROFILE' "
        "does not exist; import it first or leave the cell empty",
        "people_bad_values.csv, row 4, field start_date: '12/04/2021' is not a date in the form "
        "YYYY-MM-DD (e.g. 2024-03-01)",
    ]
    assert Employee.objects.count() == 0


def test_latin1_people_file_is_refused(units: None) -> None:
    with pytest.raises(ImportFailed, match=r"people_latin1.csv: the file is not UTF-8 encoded"):
        import_people_csv(FIXTURES / "people_latin1.csv")
    assert Employee.objects.count() == 0


def test_missing_column_is_named(tmp_path: Path) -> None:
    path = tmp_path / "hris.csv"
    path.write_text("employee_id,first_name,surname\nE1,Ann,Lee\n")

    with pytest.raises(ImportFailed) as failure:
        import_people_csv(path)

    message = str(failure.value)
    assert "hris.csv: missing column(s) 'last_name', 'email', 'unit'" in message
    assert "unexpected column(s) 'surname'" in message
