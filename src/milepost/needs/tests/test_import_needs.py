"""Needs from survey and focus-group CSV files: import, every kind of bad file, the command."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from milepost.lib.tabular import ImportFailed
from milepost.needs import matching
from milepost.needs.importers import import_needs_csv
from milepost.needs.models import Impact, Need, NeedCompetency, Source, StatusChange, Urgency
from milepost.testing.factories import CompetencyFactory, FrameworkFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def fresh_index() -> Iterator[None]:
    # The competency index lives for the process; each test builds its own framework.
    matching.competency_index.reset()
    yield
    matching.competency_index.reset()


@pytest.fixture
def skills(db: None) -> None:
    framework = FrameworkFactory(name="Service skills")
    CompetencyFactory.create(
        framework=framework,
        name="Customer empathy and de-escalation",
        description="Calms angry or upset callers, listens to their complaint and agrees what "
        "happens next.",
    )
    CompetencyFactory.create(
        framework=framework,
        name="Excel modelling",
        description="Builds spreadsheet models of reserves and pricing in Microsoft Excel, with "
        "formulas and pivot tables.",
    )
    CompetencyFactory.create(
        framework=framework,
        name="Negotiation",
        description="Agrees settlements with claimants, brokers and suppliers, trading "
        "concessions to reach a fair deal.",
    )


def nothing_written() -> bool:
    return not (Need.objects.exists() or StatusChange.objects.exists())


def failure_of(path: Path, user, **options) -> list[str]:
    with pytest.raises(ImportFailed) as failure:
        import_needs_csv(path, acting_user=user, **options)
    return failure.value.errors


def test_survey_file_is_imported_with_suggestions(org, skills):
    report = import_needs_csv(FIXTURES / "needs_survey.csv", acting_user=org.coordinator)

    assert Need.objects.count() == 6
    assert report.counts["needs"].created == 6
    assert report.notes == ["6 needs imported (1 consultancy, 2 focus group, 3 survey)"]
    callers = Need.objects.get(title="Calming angry callers after the premium rise")
    assert callers.unit == org.motor_team
    assert callers.requester == org.coordinator
    assert callers.requested_by == "Priya Shah"
    assert (callers.source, callers.urgency, callers.impact) == (
        Source.SURVEY,
        Urgency.HIGH,
        Impact.MAJOR,
    )
    assert callers.people_affected == 42
    assert callers.wanted_by == datetime.date(2026, 9, 30)
    assert callers.business_issue == "Complaints up 30% since April"
    assert callers.mappings.all()[0].competency.name == "Customer empathy and de-escalation"
    sheets = Need.objects.get(title="Reserving spreadsheets break every month-end")
    assert (sheets.urgency, sheets.impact, sheets.wanted_by) == (3, 4, None)
    assert "Excel modelling" in [row.competency.name for row in sheets.mappings.all()]
    fleet = Need.objects.get(title="Quoting rules for new fleet products")
    assert fleet.people_affected == 1200
    assert fleet.source == Source.CONSULTANCY
    assert StatusChange.objects.filter(to_status="submitted").count() == 6
    # The tiny framework has nothing on fraud or on fleet pricing rules.
    assert sorted(Need.objects.filter(mappings=None).values_list("title", flat=True)) == [
        "Quoting rules for new fleet products",
        "Spotting staged accidents",
    ]


def test_missing_column_is_named(org, skills):
    errors = failure_of(FIXTURES / "needs_missing_column.csv", org.coordinator)

    assert errors == [
        "needs_missing_column.csv: missing column(s) 'impact' in the header row (expected: "
        "title, description, business_issue, unit_code, people_affected, urgency, impact, "
        "wanted_by, source, requester_name)"
    ]
    assert nothing_written()


def test_unknown_unit_fails_the_whole_file(org, skills):
    errors = failure_of(FIXTURES / "needs_unknown_unit.csv", org.coordinator)

    assert errors == [
        "needs_unknown_unit.csv, row 3, field unit_code: unit 'CLM-HOME' does not exist; "
        "import it first (milepost import units ...) or correct the code"
    ]
    assert nothing_written()  # row 2 was fine, and is not written either


def test_latin1_file_is_refused_with_the_fix(org, skills):
    [error] = failure_of(FIXTURES / "needs_latin1.csv", org.coordinator)

    assert error.startswith("needs_latin1.csv: the file is not UTF-8 encoded (byte 0xe9 on line 2")
    assert "iconv -f latin1 -t utf-8 needs_latin1.csv" in error
    assert nothing_written()


def test_every_bad_value_is_reported_by_row_and_field(org, skills):
    errors = failure_of(FIXTURES / "needs_bad_values.csv", org.coordinator)

    file = "needs_bad_values.csv"
    assert errors == [
        f"{file}, row 2, field urgency: 'urgent' is not an urgency; use 1 low, 2 medium, "
        "3 high, 4 critical",
        f"{file}, row 3, field people_affected: 'a few' is not a whole number of people (e.g. 25)",
        f"{file}, row 3, field impact: '7' is not an impact; use 1 minor, 2 moderate, "
        "3 significant, 4 major, 5 severe",
        f"{file}, row 3, field wanted_by: '30/09/2026' is not a date in the form YYYY-MM-DD "
        "(e.g. 2026-09-30)",
        f"{file}, row 3, field source: 'email' is not a source; use one of form, api, survey, "
        "focus_group, consultancy",
        f"{file}, row 4, field description: Describe the need in at least 15 characters: what "
        "people struggle with, and since when.",
        f"{file}, row 5, field description: The description is 5,249 characters; keep it to "
        "5,000 and attach the rest to the conversation with L&D.",
        f"{file}, row 6, field description: This reads as a language other than English. "
        "Milepost matches needs against English competency frameworks: please describe the "
        "need in English.",
    ]
    assert nothing_written()  # row 7 was fine


def test_duplicates_of_recorded_needs_and_of_earlier_rows_are_refused(org, skills):
    import_needs_csv(FIXTURES / "needs_survey.csv", acting_user=org.coordinator)
    recorded = Need.objects.get(title="Calming angry callers after the premium rise")

    errors = failure_of(FIXTURES / "needs_duplicate.csv", org.coordinator)

    assert errors == [
        "needs_duplicate.csv, row 2, field description: the same need (title, description and "
        f"unit) is already recorded as need #{recorded.pk} of "
        f"{recorded.created_at:%Y-%m-%d}; remove the row, or pass --allow-duplicates if it is "
        "raised again on purpose",
        "needs_duplicate.csv, row 4, field description: repeats row 3 (same title, description "
        "and unit); remove one, or pass --allow-duplicates if both are meant",
    ]
    assert Need.objects.count() == 6


def test_duplicates_can_be_allowed(org, skills):
    import_needs_csv(FIXTURES / "needs_survey.csv", acting_user=org.coordinator)

    report = import_needs_csv(
        FIXTURES / "needs_duplicate.csv", acting_user=org.coordinator, allow_duplicates=True
    )

    assert report.counts["needs"].created == 3
    assert Need.objects.filter(title="Calming angry callers after the premium rise").count() == 2


def test_a_user_who_cannot_raise_needs_is_refused(org, skills):
    errors = failure_of(FIXTURES / "needs_survey.csv", org.executive)

    assert errors == [
        "user 'exec' (Executive) cannot raise needs; import as an L&D coordinator (--as USERNAME)"
    ]
    assert nothing_written()


def test_a_line_manager_cannot_import_for_other_units(org, skills):
    errors = failure_of(FIXTURES / "needs_survey.csv", org.claims_manager)

    assert [error.split(":")[0] for error in errors] == [
        "needs_survey.csv, row 3, field unit_code",
        "needs_survey.csv, row 6, field unit_code",
        "needs_survey.csv, row 7, field unit_code",
    ]
    assert errors[0].endswith("You cannot raise needs for Underwriting.")
    assert nothing_written()


def test_command_imports_and_prints_the_summary(org, skills):
    out = StringIO()

    call_command(
        "import_data",
        "needs",
        str(FIXTURES / "needs_survey.csv"),
        "--as",
        "coordinator",
        "--quiet",
        stdout=out,
    )

    assert out.getvalue().splitlines() == [
        "needs from needs_survey.csv, raised as coordinator",
        "  needs  6 created, 0 updated, 0 unchanged",
        "  note: 6 needs imported (1 consultancy, 2 focus group, 3 survey)",
        "  warning: 2 needs got no competency suggestion; map them by hand on the needs page",
    ]
    assert NeedCompetency.objects.exists()


def test_command_fails_on_a_bad_file_and_an_unknown_user(org, skills):
    with pytest.raises(CommandError) as bad_file:
        call_command(
            "import_data", "needs", str(FIXTURES / "needs_unknown_unit.csv"), "--as", "coordinator"
        )
    assert "row 3, field unit_code: unit 'CLM-HOME' does not exist" in str(bad_file.value)
    assert str(bad_file.value).endswith("Nothing was imported.")

    with pytest.raises(CommandError, match="--as: no user 'nobody'"):
        call_command("import_data", "needs", str(FIXTURES / "needs_survey.csv"), "--as", "nobody")
    assert nothing_written()


def test_an_import_tells_the_other_coordinators_once_for_the_whole_file(org, skills):
    from milepost.accounts.models import Notification, Role
    from milepost.testing.factories import UserFactory

    second = UserFactory.create(username="coordinator.two", role=Role.COORDINATOR)
    import_needs_csv(FIXTURES / "needs_survey.csv", acting_user=org.coordinator)
    imported = Need.objects.count()
    assert imported > 1
    messages = list(Notification.objects.filter(user=second).values_list("message", flat=True))
    assert messages == [
        f"{org.coordinator} imported {imported} needs from needs_survey.csv; "
        "new ones wait for a first response."
    ]
    assert not Notification.objects.filter(user=org.coordinator).exists()
