from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from milepost.catalogue.importers import (
    export_courses_csv,
    export_qualifications_csv,
    import_courses_csv,
    import_qualifications_csv,
)
from milepost.catalogue.models import Course, LearningOutcome, Qualification, Track
from milepost.frameworks.models import Competency
from milepost.lib.tabular import ImportFailed
from milepost.testing.factories import CompetencyFactory, FrameworkFactory

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def framework() -> None:
    core = FrameworkFactory.create(code="core", name="Core")
    CompetencyFactory.create(framework=core, code="NEG", name="Negotiation")
    CompetencyFactory.create(framework=core, code="EMP", name="Empathy")
    CompetencyFactory.create(
        framework=core, code="GRP", name="Working with others", kind=Competency.Kind.GROUP
    )


def _errors(call: Any, path: Path) -> list[str]:
    with pytest.raises(ImportFailed) as exc:
        call(path)
    return exc.value.errors


def test_courses_import_with_prerequisites_and_outcomes() -> None:
    report = import_courses_csv(FIXTURES / "courses.csv")
    assert str(report.counts["courses"]) == "4 created, 0 updated, 0 unchanged"
    course = Course.objects.get(code="NEG-200")
    assert course.summary == "Role plays with real claims.\nTwo days, with an assessed call."
    assert (course.modality, course.provider_name) == ("blended", "Acme Training Ltd")
    assert (course.duration_hours, course.cost_per_person) == (Decimal("14.5"), Decimal("480.5"))
    assert [p.code for p in course.prerequisites.all()] == ["NEG-100"]
    assert dict(course.outcomes.values_list("competency__code", "raises_to_level")) == {
        "NEG": 3,
        "EMP": 3,
    }
    assert not Course.objects.get(code="OLD-100").is_active


def test_reimporting_the_same_file_changes_nothing() -> None:
    import_courses_csv(FIXTURES / "courses.csv")
    report = import_courses_csv(FIXTURES / "courses.csv")
    assert not report.changed
    assert str(report.counts["courses"]) == "0 created, 0 updated, 4 unchanged"


def test_every_bad_row_is_named_and_nothing_is_written() -> None:
    errors = _errors(import_courses_csv, FIXTURES / "courses_bad.csv")
    text = "\n".join(errors)
    expected = [
        "courses_bad.csv, row 2, field outcomes: competency 'NOPE' is not in framework 'core'",
        "courses_bad.csv, row 3, field outcomes: level '9' for 'NEG' is not on scale 'Core 1-5'",
        "courses_bad.csv, row 4, field outcomes: 'GRP' (Working with others) is a group",
        "courses_bad.csv, row 5, field modality: 'webinar' is not valid",
        "courses_bad.csv, row 6, field cost_per_person: '-10' is negative",
        "courses_bad.csv, row 7, field prerequisites: course 'NOT-THERE' is neither",
        "courses_bad.csv, row 8, field prerequisites: circular prerequisites: BAD-7 requires "
        "BAD-8 requires BAD-7",
        "courses_bad.csv, row 10, field code: 'BAD-1' is also on row 2",
        "courses_bad.csv, row 11, field duration_hours: 'seven' is not a number",
        "courses_bad.csv, row 11, field provider_kind: 'freelance' is not valid",
        "courses_bad.csv, row 11, field active: 'maybe' is not yes/no",
        "courses_bad.csv, row 11, field outcomes: 'NEG-2' is not FRAMEWORK_CODE:COMPETENCY_CODE",
        "courses_bad.csv, row 12, field places_per_run: '0' is not a whole number of places "
        "from 1 to 100000; leave it empty for no limit",
        "courses_bad.csv, row 13, field places_per_run: 'twelve' is not a whole number",
    ]
    for line in expected:
        assert line in text
    assert not Course.objects.exists() and not LearningOutcome.objects.exists()


def test_round_trip_is_exact(tmp_path: Path) -> None:
    import_courses_csv(FIXTURES / "courses.csv")
    first = io.StringIO()
    assert export_courses_csv(first) == 4
    exported = tmp_path / "exported.csv"
    exported.write_text(first.getvalue(), encoding="utf-8")
    assert not import_courses_csv(exported).changed
    second = io.StringIO()
    export_courses_csv(second)
    assert second.getvalue() == first.getvalue()
    assert "NEG-200,Negotiation in practice" in first.getvalue()
    assert "core:EMP=3;core:NEG=3,true" in first.getvalue()


def test_places_per_run_import_and_round_trip_exactly(tmp_path: Path) -> None:
    report = import_courses_csv(FIXTURES / "courses_places.csv")
    assert str(report.counts["courses"]) == "4 created, 0 updated, 0 unchanged"
    places = dict(Course.objects.values_list("code", "places_per_run"))
    assert places == {"NEG-100": 12, "NEG-200": 16, "EMP-100": None, "OLD-100": 1}
    first = io.StringIO()
    export_courses_csv(first)
    assert first.getvalue().splitlines()[0].endswith(",outcomes,active,places_per_run")
    assert "core:EMP=3;core:NEG=3,true,16" in first.getvalue()
    assert "core:EMP=2,true,\n" in first.getvalue()  # no limit: an empty cell
    exported = tmp_path / "exported.csv"
    exported.write_text(first.getvalue(), encoding="utf-8")
    assert not import_courses_csv(exported).changed
    second = io.StringIO()
    export_courses_csv(second)
    assert second.getvalue() == first.getvalue()


def test_a_file_without_places_per_run_imports_and_keeps_the_places_set() -> None:
    import_courses_csv(FIXTURES / "courses_places.csv")
    report = import_courses_csv(FIXTURES / "courses.csv")  # the older format, no such column
    assert not report.changed
    assert Course.objects.get(code="NEG-100").places_per_run == 12
    Course.objects.all().delete()
    import_courses_csv(FIXTURES / "courses.csv")
    assert set(Course.objects.values_list("places_per_run", flat=True)) == {None}


def test_an_empty_places_cell_removes_the_limit(tmp_path: Path) -> None:
    import_courses_csv(FIXTURES / "courses_places.csv")
    cleared = tmp_path / "cleared.csv"
    cleared.write_text(
        "code,title,modality,places_per_run\nNEG-100,Negotiation basics,classroom,\n",
        encoding="utf-8",
    )
    import_courses_csv(cleared)
    assert Course.objects.get(code="NEG-100").places_per_run is None


def test_an_import_may_not_break_an_enforced_track(tmp_path: Path) -> None:
    import_courses_csv(FIXTURES / "courses.csv")
    track = Track.objects.create(code="T", title="Route", enforce_order=True)
    track.steps.create(position=1, course=Course.objects.get(code="EMP-100"))
    changed = tmp_path / "changed.csv"
    changed.write_text(
        "code,title,modality,prerequisites\nEMP-100,Calm calls,online,NEG-100\n", encoding="utf-8"
    )
    errors = _errors(import_courses_csv, changed)
    assert "'Calm calls' requires 'Negotiation basics'" in errors[0]
    assert not Course.objects.get(code="EMP-100").prerequisites.exists()


def test_qualifications_import_round_trip_and_errors(tmp_path: Path) -> None:
    report = import_qualifications_csv(FIXTURES / "qualifications.csv")
    assert str(report.counts["qualifications"]) == "2 created, 0 updated, 0 unchanged"
    diploma = Qualification.objects.get(code="CII-DIP")
    assert (diploma.level, diploma.validity_months, diploma.funding_eligible) == (4, 36, False)
    assert Qualification.objects.get(code="CII-CERT").validity_months is None
    exported = io.StringIO()
    export_qualifications_csv(exported)
    again = tmp_path / "again.csv"
    again.write_text(exported.getvalue(), encoding="utf-8")
    assert not import_qualifications_csv(again).changed

    text = "\n".join(_errors(import_qualifications_csv, FIXTURES / "qualifications_bad.csv"))
    for line in (
        "qualifications_bad.csv, row 2, field awarding_body: is empty",
        "qualifications_bad.csv, row 3, field level: '9' is not a whole number from 1 to 8",
        "qualifications_bad.csv, row 4, field level_framework: 'NVQ' is not valid",
        "qualifications_bad.csv, row 4, field validity_months: '0' is not a whole number",
        "qualifications_bad.csv, row 5, field credits: '-1' is not a whole number",
        "qualifications_bad.csv, row 5, field funding_eligible: 'perhaps' is not yes/no",
        "qualifications_bad.csv, row 5, field cost_per_person: '-5' is negative",
        "qualifications_bad.csv, row 5, field outcomes: framework 'other' does not exist",
    ):
        assert line in text
    assert Qualification.objects.count() == 2


def test_cli_imports_and_exports_the_catalogue(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("import_data", "catalogue", str(FIXTURES / "courses.csv"), "--quiet", stdout=out)
    assert "courses        4 created, 0 updated, 0 unchanged" in out.getvalue()
    target = tmp_path / "catalogue.csv"
    call_command("export_data", "catalogue", str(target), stdout=io.StringIO())
    assert target.read_text(encoding="utf-8-sig").startswith("code,title,summary,modality")
    call_command(
        "import_data", "qualifications", str(FIXTURES / "qualifications.csv"), "--quiet", stdout=out
    )
    call_command("export_data", "qualifications", str(tmp_path / "q.csv"), stdout=io.StringIO())
    assert "CII-DIP" in (tmp_path / "q.csv").read_text(encoding="utf-8-sig")
    with pytest.raises(CommandError, match="row 5, field modality"):
        call_command("import_data", "catalogue", str(FIXTURES / "courses_bad.csv"), "--quiet")
