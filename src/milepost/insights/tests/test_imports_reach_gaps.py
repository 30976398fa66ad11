"""People and assessment imports write in bulk and tell the cached gap engine (lib.signals)."""

from __future__ import annotations

from pathlib import Path

import pytest

from milepost.accounts.models import OrgUnit
from milepost.insights import gaps
from milepost.insights.gaps import current_gaps, forget_cached_gaps
from milepost.insights.models import GapStructure
from milepost.people.importers import import_people_csv
from milepost.people.models import Employee
from milepost.people.tests import test_import_people as people_tests
from milepost.reviews.importers import import_assessments_csv
from milepost.reviews.tests import test_import_assessments as assessment_tests
from milepost.testing.factories import JobProfileFactory

pytestmark = pytest.mark.django_db

# The importers' own fixtures: a small organisation with ratings to import, and its units.
ratings = assessment_tests.ratings
units = people_tests.units
ASSESSMENT_FIXTURES = assessment_tests.FIXTURES
PEOPLE_FIXTURES = people_tests.FIXTURES


def person_gap(snapshot: gaps.GapSnapshot, employee: Employee) -> float:
    index = snapshot.employee_index(employee.pk)
    assert index is not None
    return float(snapshot.engine.person_gaps(index).summary.weighted_gap)


def test_imported_agreed_levels_reach_the_gap_engine(ratings):
    mo = ratings.org.motor_handler
    gaps.forget_cached_gaps()
    try:
        before = gaps.current_gaps()
        # Nothing agreed yet: Negotiation 3 levels short, Fraud awareness 2, both importance 3.
        assert person_gap(before, mo) == 15.0

        import_assessments_csv(
            ASSESSMENT_FIXTURES / "assessments.csv", acting_user=ratings.org.coordinator
        )

        # A reload is asked for, so rows a long import commits after later ids are still seen.
        assert GapStructure.objects.get().token != before.fingerprint[0]
        after = gaps.current_gaps()
        assert after.full_loads == 2
        # Agreed Negotiation 2 (1 short), Fraud awareness 3 (met).
        assert person_gap(after, mo) == 3.0
    finally:
        gaps.forget_cached_gaps()


def test_a_people_import_that_moves_someone_makes_the_gap_engine_reload(
    units: None, tmp_path: Path
) -> None:
    JobProfileFactory(code="CH1")
    import_people_csv(PEOPLE_FIXTURES / "people.csv")
    forget_cached_gaps()
    first = current_gaps()
    assert current_gaps().full_loads == 1  # nothing changed: no reload
    moved = tmp_path / "people.csv"
    moved.write_text(
        (PEOPLE_FIXTURES / "people.csv")
        .read_text(encoding="utf-8")
        .replace("E202,Sam,Patel,,MOT,E200", "E202,Sam,Patel,,UW,E300"),
        encoding="utf-8",
    )
    import_people_csv(moved)
    after = current_gaps()
    sam = after.employee_index(Employee.objects.get(employee_id="E202").pk)
    assert after.full_loads == first.full_loads + 1
    assert sam is not None
    assert int(after.engine.employee_unit[sam]) == after.unit_index(
        OrgUnit.objects.get(code="UW").pk
    )
