"""An employee's new unit, job profile or active flag reaches every worker's cached engine
incrementally (an `EmployeeChange` row), with the same figures as a full reload."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from milepost.frameworks.models import JobProfile
from milepost.insights import gaps
from milepost.insights.models import EmployeeChange, GapStructure
from milepost.people.models import Employee
from milepost.testing.factories import CompetencyFactory, JobProfileFactory, RequirementFactory

pytestmark = pytest.mark.django_db


def figures(snapshot: gaps.GapSnapshot) -> dict[str, Any]:
    """Every figure the pages show, keyed by database ids (dense indices differ between an
    incrementally updated engine and a fresh load once someone has left)."""
    engine, organisation = snapshot.engine, snapshot.organisation
    units = {}
    for pk in organisation.unit_ids.tolist():
        row = row_of(snapshot.unit_index(pk))
        heatmap = engine.heatmap([row])
        cells = zip(
            snapshot.competency_pks(heatmap.competency).tolist(),
            heatmap.required[0].tolist(),
            heatmap.below[0].tolist(),
            heatmap.unassessed[0].tolist(),
            heatmap.weighted_gap[0].tolist(),
            strict=True,
        )
        units[pk] = (engine.units.summary(row), sorted(cells))
    people = {}
    for pk in organisation.employee_ids.tolist():
        index = snapshot.employee_index(pk)
        if index is not None:
            person = engine.person_gaps(index)
            levels = zip(
                snapshot.competency_pks(person.competency).tolist(),
                person.agreed_level.tolist(),
                strict=True,
            )
            people[pk] = (person.summary, sorted(levels))
    risks = engine.key_person_risks()
    sole = [int(snapshot.employee_pks([e])[0]) if e >= 0 else None for e in risks.sole_holder]
    benches = {
        int(snapshot.profile_pks([bench.profile])[0]): (
            sorted(snapshot.employee_pks(bench.ready).tolist()),
            sorted(snapshot.employee_pks(bench.nearly_ready).tolist()),
        )
        for bench in engine.bench_strength_all()
        if bench.profile < len(organisation.profile_ids)
    }
    return {
        "organisation": engine.organisation_summary(),
        "units": units,
        "people": people,
        "risks": sorted(
            zip(
                snapshot.unit_pks(risks.unit[risks.unit < len(organisation.unit_ids)]).tolist(),
                snapshot.competency_pks(risks.competency).tolist(),
                risks.holders.tolist(),
                sole,
                strict=False,
            )
        ),
        "benches": benches,
    }


def assert_equals_a_fresh_load(snapshot: gaps.GapSnapshot) -> None:
    incremental = figures(snapshot)
    gaps.forget_cached_gaps()
    assert figures(gaps.current_gaps()) == incremental


def row_of(index: int | None) -> int:
    assert index is not None
    return index


def person(snapshot: gaps.GapSnapshot, employee: Employee) -> Any:
    index = snapshot.employee_index(employee.pk)
    assert index is not None
    return snapshot.engine.person_gaps(index).summary


def test_a_new_job_profile_is_applied_without_a_reload(gap_world):
    uma = Employee.objects.get(first_name="Uma")
    first = gaps.current_gaps()
    token = GapStructure.objects.get().token
    uma.job_profile = gap_world.underwriter_profile
    uma.save()
    assert GapStructure.objects.get().token == token  # no structure change for everyone
    snapshot = gaps.current_gaps()
    assert snapshot is first and (snapshot.full_loads, snapshot.moves) == (1, 1)
    # Uma has no agreed level: both underwriter requirements short, claims handling 2 x 3 and
    # risk pricing 4 x 5.
    assert person(snapshot, uma).weighted_gap == 26.0
    underwriting = row_of(snapshot.unit_index(gap_world.org.underwriting.pk))
    assert snapshot.engine.unit_summary(underwriting).with_profile == 2
    assert_equals_a_fresh_load(snapshot)


def test_a_move_to_another_unit_is_applied_without_a_reload(gap_world):
    org = gap_world.org
    gaps.current_gaps()
    org.motor_handler.unit = org.underwriting
    org.motor_handler.save()
    snapshot = gaps.current_gaps()
    assert snapshot.full_loads == 1
    claims = snapshot.engine.units.summary(row_of(snapshot.unit_index(org.claims.pk)))
    assert (claims.headcount, claims.weighted_gap) == (1, 6.0)
    assert_equals_a_fresh_load(snapshot)


def test_someone_leaving_and_coming_back_is_applied_without_a_reload(gap_world):
    org = gap_world.org
    first = gaps.current_gaps()
    org.underwriter.is_active = False
    org.underwriter.save()
    snapshot = gaps.current_gaps()
    assert snapshot is first and snapshot.full_loads == 1
    assert snapshot.employee_index(org.underwriter.pk) is None
    assert snapshot.engine.organisation_summary().headcount == 3
    underwriter = row_of(snapshot.profile_index(gap_world.underwriter_profile.pk))
    assert snapshot.engine.bench_strength(underwriter).ready.tolist() == []
    assert_equals_a_fresh_load(snapshot)

    second = gaps.current_gaps()
    org.underwriter.is_active = True
    org.underwriter.save()  # not in the fresh load: a reload brings her back
    back = gaps.current_gaps()
    assert back is not second and back.full_loads == second.full_loads + 1
    assert person(back, org.underwriter).ready_in_role == 1


def test_a_return_within_the_same_engine_is_incremental(gap_world):
    org = gap_world.org
    first = gaps.current_gaps()
    for active in (False, True):
        org.underwriter.is_active = active
        org.underwriter.save()
        assert gaps.current_gaps() is first
        assert (first.employee_index(org.underwriter.pk) is not None) is active
    assert first.full_loads == 1 and first.moves == 2
    assert person(first, org.underwriter).ready_in_role == 1
    assert_equals_a_fresh_load(first)


def test_another_processs_save_is_picked_up(gap_world):
    org = gap_world.org
    first = gaps.current_gaps()
    # A fresh instance, as another worker would load and save it; nothing of this process's
    # state is involved, only the rows.
    mo = Employee.objects.get(pk=org.motor_handler.pk)
    mo.job_profile = gap_world.underwriter_profile
    mo.save()
    assert EmployeeChange.objects.latest("id").employee_id == mo.pk
    snapshot = gaps.current_gaps()
    assert snapshot is first and snapshot.full_loads == 1
    assert person(snapshot, mo).requirements == 2
    assert_equals_a_fresh_load(snapshot)


def test_a_change_committed_out_of_id_order_is_applied_at_the_next_recheck(gap_world):
    org = gap_world.org
    late = EmployeeChange.objects.create(employee_id=org.motor_handler.pk)
    EmployeeChange.objects.create(employee_id=org.underwriter.pk)
    late_id = late.pk
    late.delete()  # as if its transaction had not committed yet when the engine loaded
    snapshot = gaps.current_gaps()
    # It commits now: the move and its change row, below the highest change id applied.
    Employee.objects.filter(pk=org.motor_handler.pk).update(unit=org.underwriting)
    EmployeeChange.objects.create(id=late_id, employee_id=org.motor_handler.pk)
    claims = row_of(snapshot.unit_index(org.claims.pk))
    assert gaps.current_gaps().engine.units.summary(claims).headcount == 2
    snapshot.rechecked_at -= gaps.RECHECK_EVERY_S
    assert gaps.current_gaps().engine.units.summary(claims).headcount == 1
    assert (snapshot.full_loads, snapshot.moves) == (1, 1)


def test_the_periodic_checksum_agrees_after_moves(gap_world, monkeypatch):
    org = gap_world.org
    first = gaps.current_gaps()
    org.motor_handler.unit = org.underwriting
    org.motor_handler.job_profile = None
    org.motor_handler.save()
    org.underwriter.is_active = False
    org.underwriter.save()
    monkeypatch.setattr(gaps, "DEEP_CHECK_EVERY_S", 0.0)
    assert gaps.current_gaps() is first and first.full_loads == 1
    assert first.checksum == gaps._structure_checksum()
    # A bulk move that sent no signal is still caught.
    Employee.objects.filter(pk=org.claims_manager_employee.pk).update(unit=org.underwriting)
    assert gaps.current_gaps().full_loads == 2


def test_a_profile_the_engine_does_not_know_falls_back_to_a_full_reload(gap_world):
    org = gap_world.org
    framework = gap_world.handling.framework
    auditing = CompetencyFactory.create(framework=framework, name="Auditing")
    auditor = JobProfileFactory.create(code="AUDITOR", title="Auditor", is_active=False)
    RequirementFactory.create(
        job_profile=auditor, competency=auditing, required_level=3, importance=2, essential=True
    )
    first = gaps.current_gaps()
    assert first.competency_index(auditing.pk) is None  # no active profile requires it
    # Activated in bulk without mark_structure_changed(), then someone takes the profile.
    JobProfile.objects.filter(pk=auditor.pk).update(is_active=True)
    org.motor_handler.job_profile = auditor
    org.motor_handler.save()
    snapshot = gaps.current_gaps()
    assert snapshot is not first and snapshot.full_loads == 2
    mo = person(snapshot, org.motor_handler)
    assert (mo.requirements, mo.unassessed, mo.weighted_gap) == (1, 1, 6.0)
    assert_equals_a_fresh_load(snapshot)


def test_too_many_changes_at_once_reload(gap_world, monkeypatch):
    org = gap_world.org
    gaps.current_gaps()
    monkeypatch.setattr(gaps, "MOVE_LIMIT", 1)
    for employee in (org.motor_handler, org.underwriter):
        employee.unit = org.claims
        employee.save()
    snapshot = gaps.current_gaps()
    assert (snapshot.full_loads, snapshot.moves) == (2, 0)
    assert snapshot.engine.units.summary(row_of(snapshot.unit_index(org.claims.pk))).headcount == 3


def test_a_worker_that_has_not_looked_for_long_reloads(gap_world):
    first = gaps.current_gaps()
    first.moves_read_at -= gaps.MOVE_TRUST_S + 1  # change rows it never read may be pruned
    assert gaps.current_gaps().full_loads == 2


def test_change_rows_older_than_the_retention_are_pruned_by_the_writer(gap_world):
    org = gap_world.org
    old = EmployeeChange.objects.create(
        employee_id=org.motor_handler.pk,
        created_at=timezone.now() - EmployeeChange.RETENTION - datetime.timedelta(minutes=1),
    )
    org.motor_handler.unit = org.underwriting
    org.motor_handler.save()
    assert not EmployeeChange.objects.filter(pk=old.pk).exists()
    assert EmployeeChange.objects.latest("id").employee_id == org.motor_handler.pk


def test_a_save_that_changes_no_place_writes_no_change_row(gap_world):
    org = gap_world.org
    rows = EmployeeChange.objects.count()
    org.motor_handler.email = "mo@example.test"
    org.motor_handler.save()
    assert EmployeeChange.objects.count() == rows
