"""Assessment history from CSV: import, re-import, every kind of bad file, review cycles, the
command."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from milepost.frameworks.models import Competency, JobProfile
from milepost.lib.tabular import ImportFailed
from milepost.people.models import Assessment, Employee
from milepost.reviews.importers import import_assessments_csv
from milepost.reviews.models import ReviewCycle, ReviewParticipant
from milepost.testing.factories import (
    AssessmentFactory,
    CompetencyFactory,
    EmployeeFactory,
    FrameworkFactory,
    JobProfileFactory,
    RequirementFactory,
)

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
HEADER = "employee_id,framework_code,competency_code,kind,level,assessed_on,note,assessed_by\n"


@dataclass
class Ratings:
    """Claims skills (claims-core) on Core 1-5; Mo (E100) and Ursula (E200) hold the Claims
    handler profile (Negotiation, Fraud awareness), Clara (E300) has no profile, E400 has left."""

    org: Any
    job_profile: JobProfile
    negotiation: Competency
    fraud: Competency
    customer_care: Competency


@pytest.fixture
def ratings(org) -> Ratings:
    framework = FrameworkFactory(code="claims-core", name="Claims skills")
    group = CompetencyFactory.create(
        framework=framework, code="CLAIMS", name="Claims handling", kind=Competency.Kind.GROUP
    )
    negotiation = CompetencyFactory.create(
        framework=framework, code="NEG", name="Negotiation", parent=group
    )
    fraud = CompetencyFactory.create(framework=framework, code="FRAUD", name="Fraud awareness")
    care = CompetencyFactory.create(framework=framework, code="CARE", name="Customer care")
    job_profile = JobProfileFactory.create(code="claims-handler", title="Claims handler")
    RequirementFactory(job_profile=job_profile, competency=negotiation, required_level=3)
    RequirementFactory(job_profile=job_profile, competency=fraud, required_level=2)
    for employee, employee_id, profile in (
        (org.motor_handler, "E100", job_profile),
        (org.underwriter, "E200", job_profile),
        (org.claims_manager_employee, "E300", None),
    ):
        employee.employee_id = employee_id
        employee.job_profile = profile
        employee.save()
    EmployeeFactory(
        employee_id="E400",
        first_name="Len",
        last_name="Left",
        unit=org.claims,
        job_profile=job_profile,
        is_active=False,
    )
    return Ratings(org, job_profile, negotiation, fraud, care)


def history() -> list[tuple[Any, ...]]:
    return list(
        Assessment.objects.order_by("pk").values_list(
            "employee__employee_id", "competency__code", "kind", "level", "assessed_on", "note"
        )
    )


def failure_of(path: Path, user, **options: Any) -> list[str]:
    with pytest.raises(ImportFailed) as failure:
        import_assessments_csv(path, acting_user=user, **options)
    assert str(failure.value).endswith("Nothing was imported.")
    return failure.value.errors


def test_ratings_are_recorded_as_imported_history(ratings, django_assert_max_num_queries):
    org = ratings.org

    # Reads, one insert, and two cache notes (the gap engine's token, kept booklet prints).
    with django_assert_max_num_queries(12):
        report = import_assessments_csv(FIXTURES / "assessments.csv", acting_user=org.coordinator)

    d = datetime.date
    french = "Très solide en négociation (note de Zoë Müller)"
    assert history() == [
        ("E100", "NEG", "self", 3, d(2026, 3, 2), ""),
        ("E100", "NEG", "manager", 2, d(2026, 3, 9), "Good with brokers, less so with claimants"),
        ("E100", "NEG", "agreed", 2, d(2026, 3, 16), "Agreed at the March review"),
        ("E100", "FRAUD", "agreed", 3, d(2026, 3, 16), ""),
        ("E200", "NEG", "agreed", 4, d(2025, 11, 20), french),
        ("E200", "FRAUD", "self", 2, d(2025, 11, 20), "-1 since the audit"),
    ]
    assert set(Assessment.objects.values_list("source", flat=True)) == {"import"}
    assert set(Assessment.objects.values_list("cycle", flat=True)) == {None}
    manager_rating = Assessment.objects.get(kind="manager")
    assert manager_rating.assessed_by == org.claims_manager
    assert (
        Assessment.objects.exclude(pk=manager_rating.pk).filter(assessed_by=org.coordinator).count()
        == 5
    )
    assert report.lines() == [
        "assessments from assessments.csv, imported as coordinator",
        "  assessments  6 created, 0 updated, 0 unchanged",
        "  note: 6 ratings recorded for 2 employees (2 self, 1 manager, 3 agreed)",
    ]


def test_reimporting_the_same_file_writes_nothing(ratings):
    import_assessments_csv(FIXTURES / "assessments.csv", acting_user=ratings.org.coordinator)
    before = list(Assessment.objects.order_by("pk").values_list("pk", "created_at"))

    report = import_assessments_csv(FIXTURES / "assessments.csv", acting_user=ratings.org.admin)

    assert not report.changed
    assert report.counts["assessments"].unchanged == 6
    assert report.notes == []
    assert list(Assessment.objects.order_by("pk").values_list("pk", "created_at")) == before


def test_only_rows_not_yet_recorded_are_added(ratings, tmp_path):
    # Recorded on the web before the import: the same rating counts as already there.
    AssessmentFactory(
        employee=ratings.org.motor_handler,
        competency=ratings.fraud,
        kind="agreed",
        level=3,
        assessed_on=datetime.date(2026, 3, 16),
    )
    # A corrected level is a new rating (history is append-only), not a change of the old one.
    AssessmentFactory(
        employee=ratings.org.underwriter,
        competency=ratings.negotiation,
        kind="agreed",
        level=3,
        assessed_on=datetime.date(2025, 11, 20),
        note="Très solide en négociation (note de Zoë Müller)",
    )

    report = import_assessments_csv(
        FIXTURES / "assessments.csv", acting_user=ratings.org.coordinator
    )

    assert (report.counts["assessments"].created, report.counts["assessments"].unchanged) == (5, 1)
    assert Assessment.objects.count() == 7
    assert Assessment.objects.filter(source="import").count() == 5


def test_off_scale_and_non_numeric_levels_are_named(ratings):
    errors = failure_of(FIXTURES / "assessments_off_scale.csv", ratings.org.coordinator)

    file = "assessments_off_scale.csv"
    assert errors == [
        f"{file}, row 3, field level: '3.5' is not a whole number; give a level on scale "
        "'Core 1-5' (1-5)",
        f"{file}, row 4, field level: level 7 is not on scale 'Core 1-5' (1-5)",
        f"{file}, row 5, field level: level 0 is not on scale 'Core 1-5' (1-5)",
    ]
    assert history() == []  # row 2 was fine, and is not written either


def test_competency_off_the_profile_no_profile_and_groups_are_refused(ratings):
    errors = failure_of(FIXTURES / "assessments_not_on_profile.csv", ratings.org.coordinator)

    file = "assessments_not_on_profile.csv"
    assert errors == [
        f"{file}, row 3, field competency_code: 'Customer care' (CARE) is not on Mo Handler's "
        "job profile 'Claims handler'; add it to the profile or remove the row",
        f"{file}, row 4, field employee_id: Clara Claims (E300) has no job profile, so there is "
        "nothing to rate them against; give them one first (job_profile_code in milepost "
        "import people)",
        f"{file}, row 5, field competency_code: 'Claims handling' (CLAIMS) is a group of "
        "competencies; assess one of the competencies in it",
    ]
    assert history() == []


def test_unknown_inactive_and_missing_employees_are_refused(ratings):
    errors = failure_of(FIXTURES / "assessments_unknown_employee.csv", ratings.org.coordinator)

    file = "assessments_unknown_employee.csv"
    assert errors == [
        f"{file}, row 3, field employee_id: employee 'E999' does not exist; import them first "
        "(milepost import people ...) or correct the ID",
        f"{file}, row 4, field employee_id: employee Len Left (E400) is inactive; ratings are "
        "imported for active employees only",
        f"{file}, row 5, field employee_id: is empty; give the ID of the employee rated",
    ]
    assert history() == []


def test_unknown_framework_competency_kind_and_assessor_are_all_reported(ratings):
    errors = failure_of(FIXTURES / "assessments_bad_values.csv", ratings.org.coordinator)

    file = "assessments_bad_values.csv"
    assert errors == [
        f"{file}, row 2, field framework_code: framework 'claims-kore' does not exist; import "
        "it first (milepost import framework ...) or correct the code",
        f"{file}, row 3, field competency_code: competency 'NEGO' does not exist in framework "
        "'claims-core' (Claims skills); correct the code",
        f"{file}, row 4, field kind: 'peer' is not a kind of assessment; use one of self, "
        "manager, agreed",
        f"{file}, row 5, field assessed_by: no user 'nobody'; give the username of an existing "
        "user, or leave the cell empty to record the importing user (coordinator)",
        f"{file}, row 6, field kind: is empty; use one of self, manager, agreed",
        f"{file}, row 6, field level: is empty; give a level on scale 'Core 1-5' (1-5)",
        f"{file}, row 6, field assessed_on: is empty; give the date in the form YYYY-MM-DD "
        "(e.g. 2026-03-31)",
    ]
    assert history() == []


def test_future_and_unreadable_dates_are_refused(ratings):
    errors = failure_of(FIXTURES / "assessments_future_date.csv", ratings.org.coordinator)

    file = "assessments_future_date.csv"
    assert errors[0].startswith(
        f"{file}, row 3, field assessed_on: assessment date 2099-01-15 is in the future (today is "
    )
    assert errors[1:] == [
        f"{file}, row 4, field assessed_on: '16/03/2026' is not a date in the form YYYY-MM-DD "
        "(e.g. 2026-03-31)"
    ]
    assert history() == []


def test_repeated_and_conflicting_rows_name_both_rows(ratings):
    errors = failure_of(FIXTURES / "assessments_duplicate.csv", ratings.org.coordinator)

    file = "assessments_duplicate.csv"
    assert errors == [
        f"{file}, row 4: repeats row 2 (the same agreed rating of 'Negotiation' for Mo Handler "
        "(E100) on 2026-03-16); remove one of rows 2 and 4",
        f"{file}, row 5, field level: row 3 gives another agreed rating of 'Fraud awareness' "
        "for Mo Handler (E100) on 2026-03-16 (level 3, here 2); keep one of rows 3 and 5",
    ]
    assert history() == []


def test_missing_column_is_named(ratings):
    errors = failure_of(FIXTURES / "assessments_missing_column.csv", ratings.org.coordinator)

    assert errors == [
        "assessments_missing_column.csv: missing column(s) 'level' in the header row (expected: "
        "employee_id, framework_code, competency_code, kind, level, assessed_on, note, "
        "assessed_by)",
        "assessments_missing_column.csv: unexpected column(s) 'rating' in the header row "
        "(expected: employee_id, framework_code, competency_code, kind, level, assessed_on, "
        "note, assessed_by); rename or remove them",
    ]
    assert history() == []


def test_latin1_file_is_refused_with_the_fix(ratings):
    [error] = failure_of(FIXTURES / "assessments_latin1.csv", ratings.org.coordinator)

    assert error.startswith(
        "assessments_latin1.csv: the file is not UTF-8 encoded (byte 0xe9 on line 2"
    )
    assert "iconv -f latin1 -t utf-8 assessments_latin1.csv" in error
    assert history() == []


def test_the_latin1_file_converted_to_utf8_imports_its_names_and_notes(ratings, tmp_path):
    converted = tmp_path / "assessments_utf8.csv"
    text = (FIXTURES / "assessments_latin1.csv").read_bytes().decode("latin-1")
    converted.write_text(text, encoding="utf-8")

    import_assessments_csv(converted, acting_user=ratings.org.coordinator)

    assert sorted(Assessment.objects.values_list("note", flat=True)) == [
        "Négociation très solide",
        "Zoë Müller agrees",
    ]


def test_optional_columns_may_be_left_out(ratings, tmp_path):
    path = tmp_path / "ratings.csv"
    path.write_text(
        "employee_id,framework_code,competency_code,kind,level,assessed_on\n"
        "E100,claims-core,NEG,agreed,3,2026-01-10\n",
        encoding="utf-8",
    )

    import_assessments_csv(path, acting_user=ratings.org.coordinator)

    rating = Assessment.objects.get()
    assert (rating.note, rating.assessed_by) == ("", ratings.org.coordinator)


@pytest.mark.parametrize("username", ["claims_manager", "employee_user", "executive"])
def test_only_coordinators_and_admins_may_import(ratings, username):
    user = getattr(ratings.org, username)

    [error] = failure_of(FIXTURES / "assessments.csv", user)

    assert error == (
        f"user '{user.username}' ({user.get_role_display()}) cannot import assessments; "
        "import as an L&D coordinator or admin (--as USERNAME)"
    )
    assert history() == []


def open_cycle(ratings: Ratings, name: str = "2026 annual review", **fields: Any) -> ReviewCycle:
    cycle = ReviewCycle.objects.create(
        name=name,
        opens_on=datetime.date(2026, 2, 1),
        self_assessment_due=datetime.date(2026, 3, 5),
        manager_assessment_due=datetime.date(2026, 3, 12),
        closes_on=datetime.date(2026, 3, 31),
        **fields,
    )
    ReviewParticipant.objects.create(
        cycle=cycle, employee=ratings.org.motor_handler, job_profile=ratings.job_profile
    )
    return cycle


def test_ratings_of_cycle_participants_are_linked_to_the_cycle(ratings, tmp_path):
    cycle = open_cycle(ratings)
    path = tmp_path / "review.csv"
    lines = (FIXTURES / "assessments.csv").read_text(encoding="utf-8-sig").splitlines()
    path.write_text("\n".join(line for line in lines if not line.startswith("E200")) + "\n")

    report = import_assessments_csv(
        path, acting_user=ratings.org.coordinator, cycle_name="2026 Annual Review"
    )

    assert report.title == (
        "assessments from review.csv, imported as coordinator into review cycle "
        "'2026 annual review'"
    )
    assert Assessment.objects.count() == 4
    assert set(Assessment.objects.values_list("cycle", flat=True)) == {cycle.pk}


def test_cycle_must_exist_be_open_and_hold_every_employee(ratings):
    coordinator = ratings.org.coordinator
    open_cycle(ratings)
    open_cycle(ratings, name="2025 annual review", status=ReviewCycle.Status.CLOSED)

    assert failure_of(FIXTURES / "assessments.csv", coordinator, cycle_name="2027 review") == [
        "--cycle: no review cycle named '2027 review'; open cycles: '2026 annual review'"
    ]
    assert failure_of(
        FIXTURES / "assessments.csv", coordinator, cycle_name="2025 annual review"
    ) == [
        "--cycle: review cycle '2025 annual review' is closed; ratings are imported only into "
        "an open cycle (leave out --cycle to import them as plain history)"
    ]
    not_in_cycle = (
        "field employee_id: Ursula Writer (E200) is not a participant of review cycle "
        "'2026 annual review'; remove the row or import it without --cycle"
    )
    assert failure_of(
        FIXTURES / "assessments.csv", coordinator, cycle_name="2026 annual review"
    ) == [
        f"assessments.csv, row 6, {not_in_cycle}",
        f"assessments.csv, row 7, {not_in_cycle}",
    ]
    assert history() == []


def test_in_a_cycle_the_profile_held_when_it_opened_is_the_one_rated(ratings, tmp_path):
    open_cycle(ratings)
    ratings.org.motor_handler.job_profile = JobProfileFactory(title="Fraud investigator")
    ratings.org.motor_handler.save()
    path = tmp_path / "review.csv"
    path.write_text(HEADER + "E100,claims-core,NEG,self,3,2026-03-02,,\n", encoding="utf-8")

    import_assessments_csv(
        path, acting_user=ratings.org.coordinator, cycle_name="2026 annual review"
    )
    errors = failure_of(path, ratings.org.coordinator)

    assert Assessment.objects.count() == 1
    assert errors == [
        "review.csv, row 2, field competency_code: 'Negotiation' (NEG) is not on Mo Handler's "
        "job profile 'Fraud investigator'; add it to the profile or remove the row"
    ]


def test_command_imports_and_prints_the_summary(ratings):
    out = StringIO()

    call_command(
        "import_data",
        "assessments",
        str(FIXTURES / "assessments.csv"),
        "--as",
        "coordinator",
        "--quiet",
        stdout=out,
    )
    call_command(
        "import_data",
        "assessments",
        str(FIXTURES / "assessments.csv"),
        "--as",
        "coordinator",
        stdout=out,
    )

    assert out.getvalue().splitlines() == [
        "assessments from assessments.csv, imported as coordinator",
        "  assessments  6 created, 0 updated, 0 unchanged",
        "  note: 6 ratings recorded for 2 employees (2 self, 1 manager, 3 agreed)",
        "assessments from assessments.csv, imported as coordinator",
        "  assessments  0 created, 0 updated, 6 unchanged",
    ]
    assert Assessment.objects.count() == 6


def test_command_fails_on_a_bad_file_a_closed_cycle_and_a_non_coordinator(ratings):
    with pytest.raises(CommandError) as bad_file:
        call_command(
            "import_data",
            "assessments",
            str(FIXTURES / "assessments_off_scale.csv"),
            "--as",
            "coordinator",
        )
    message = str(bad_file.value)
    assert (
        "assessments_off_scale.csv, row 4, field level: level 7 is not on scale 'Core 1-5' (1-5)"
        in message
    )
    assert message.endswith("Nothing was imported.")

    with pytest.raises(CommandError, match="no review cycle named 'Spring'"):
        call_command(
            "import_data",
            "assessments",
            str(FIXTURES / "assessments.csv"),
            "--as",
            "coordinator",
            "--cycle",
            "Spring",
        )
    with pytest.raises(CommandError, match=r"user 'claims.manager' \(Line manager\) cannot"):
        call_command(
            "import_data",
            "assessments",
            str(FIXTURES / "assessments.csv"),
            "--as",
            "claims.manager",
        )
    with pytest.raises(CommandError, match="--as: no user 'nobody'"):
        call_command(
            "import_data", "assessments", str(FIXTURES / "assessments.csv"), "--as", "nobody"
        )
    assert history() == []


def test_progress_is_shown_for_the_check(ratings):
    phases = []

    def progress(items, *, desc, total=None):
        phases.append((desc, total))
        return items

    import_assessments_csv(
        FIXTURES / "assessments.csv", acting_user=ratings.org.coordinator, progress=progress
    )

    assert phases == [("assessments: check", 6)]
    assert Employee.objects.get(employee_id="E100").assessments.count() == 4
