"""The adapter: loading the database into the engine's arrays, and keeping the cached engine
current across writes by this process and by others."""

from __future__ import annotations

import datetime

import numpy as np
import pytest

from milepost.frameworks.models import JobProfileRequirement
from milepost.insights import gaps
from milepost.insights.models import GapStructure
from milepost.insights.tests.conftest import agree
from milepost.lib.signals import mark_structure_changed
from milepost.people.models import Assessment, Employee
from milepost.people.services import (
    answer_agreed_change,
    propose_agreed_change,
)
from milepost.testing.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def person_summary(snapshot, employee):
    index = snapshot.employee_index(employee.pk)
    assert index is not None
    return snapshot.engine.person_gaps(index).summary


def summary_of(snapshot, unit):
    return snapshot.engine.units.summary(snapshot.unit_index(unit.pk))


def test_load_maps_ids_to_dense_indices_in_order(gap_world):
    org = gap_world.org
    loaded = gaps.load_organisation()
    assert list(loaded.unit_ids) == sorted(
        [org.group.pk, org.claims.pk, org.motor_team.pk, org.underwriting.pk]
    )
    assert list(loaded.competency_ids) == sorted(
        [gap_world.handling.pk, gap_world.negotiation.pk, gap_world.pricing.pk]
    )
    assert list(loaded.profile_ids) == sorted(
        [gap_world.handler.pk, gap_world.underwriter_profile.pk]
    )
    assert len(loaded.employee_ids) == 4
    inputs = loaded.inputs
    group = int(np.searchsorted(loaded.unit_ids, org.group.pk))
    claims = int(np.searchsorted(loaded.unit_ids, org.claims.pk))
    assert inputs.unit_parent[group] == -1
    assert inputs.unit_parent[claims] == group
    assert len(inputs.assessment_employee) == 5


def test_latest_agreed_level_wins_by_date_then_by_id(gap_world):
    org = gap_world.org
    agree(org.claims_manager_employee, gap_world.handling, 3, on="2026-03-01")
    agree(org.claims_manager_employee, gap_world.handling, 1, on="2025-12-01")  # older date
    agree(org.claims_manager_employee, gap_world.negotiation, 1, on="2026-03-01")
    agree(org.claims_manager_employee, gap_world.negotiation, 2, on="2026-03-01")  # same day
    Assessment.objects.create(
        employee=org.claims_manager_employee,
        competency=gap_world.negotiation,
        kind=Assessment.Kind.SELF,
        level=0,
        assessed_on=datetime.date(2026, 4, 1),
    )
    snapshot = gaps.current_gaps()
    clara = person_summary(snapshot, org.claims_manager_employee)
    assert (clara.met, clara.weighted_gap) == (2, 0)


def test_rows_too_large_to_pack_are_read_unpacked_with_the_same_result(gap_world, monkeypatch):
    clara = gap_world.org.claims_manager_employee
    agree(clara, gap_world.handling, 3, on="2026-03-01")
    agree(clara, gap_world.handling, 1, on="2025-12-01")
    packed = gaps.load_organisation().inputs
    monkeypatch.setattr(gaps, "_PACKABLE_ID", 0)
    unpacked = gaps.load_organisation().inputs
    for name in ("assessment_employee", "assessment_competency", "assessment_level"):
        assert np.array_equal(getattr(packed, name), getattr(unpacked, name))


def test_inactive_people_and_profiles_are_left_out(gap_world):
    org = gap_world.org
    org.underwriter.is_active = False
    org.underwriter.save()
    gap_world.handler.is_active = False
    gap_world.handler.save()
    snapshot = gaps.current_gaps()
    assert snapshot.employee_index(org.underwriter.pk) is None
    assert snapshot.profile_index(gap_world.handler.pk) is None
    organisation = snapshot.engine.organisation_summary()
    assert (organisation.headcount, organisation.with_profile) == (3, 0)


def test_recording_an_agreed_assessment_updates_the_cached_engine_incrementally(gap_world):
    org = gap_world.org
    before = gaps.current_gaps()
    assert summary_of(before, org.claims).met == 1
    # An agreed level changes by a new agreement of both parties (people.services).
    change = propose_agreed_change(
        acting_user=org.coordinator,
        employee=org.claims_manager_employee,
        competency=gap_world.handling,
        to_level=3,
        reason="Ran the claims handling clinic.",
    )
    answer_agreed_change(acting_user=org.claims_manager, change=change, agree=True)
    after = gaps.current_gaps()
    assert after is before  # no reload
    assert after.full_loads == 1 and after.incremental_updates == 1
    claims = summary_of(after, org.claims)
    assert (claims.met, claims.weighted_gap) == (2, 3.0)


def test_another_process_writing_a_row_is_picked_up(gap_world):
    org = gap_world.org
    gaps.current_gaps()
    # What another worker's commit looks like from here: a row, no signal in this process.
    agree(org.claims_manager_employee, gap_world.negotiation, 2)
    snapshot = gaps.current_gaps()
    assert person_summary(snapshot, org.claims_manager_employee).weighted_gap == 4.0
    assert snapshot.full_loads == 1


def test_self_ratings_are_passed_over_once_and_a_later_agreed_one_still_counts(gap_world):
    org = gap_world.org
    self_rating = Assessment.objects.create(
        employee=org.claims_manager_employee,
        competency=gap_world.negotiation,
        kind=Assessment.Kind.SELF,
        level=5,
        assessed_on=datetime.date(2026, 1, 10),
    )
    snapshot = gaps.current_gaps()
    # The watermark is past the self rating, so the next checks do not read it again.
    assert snapshot.watermark == self_rating.pk
    more_self = Assessment.objects.create(
        employee=org.claims_manager_employee,
        competency=gap_world.handling,
        kind=Assessment.Kind.SELF,
        level=5,
        assessed_on=datetime.date(2026, 1, 10),
    )
    assert gaps.current_gaps().watermark == more_self.pk
    agree(org.claims_manager_employee, gap_world.negotiation, 2)
    after = gaps.current_gaps()
    assert person_summary(after, org.claims_manager_employee).weighted_gap == 4.0
    assert (after.full_loads, after.incremental_updates) == (1, 1)


def test_a_backdated_row_does_not_replace_the_current_level(gap_world):
    org = gap_world.org
    gaps.current_gaps()
    agree(org.motor_handler, gap_world.handling, 1, on="2020-01-01")
    snapshot = gaps.current_gaps()
    assert person_summary(snapshot, org.motor_handler).met == 1  # still level 3 on claims handling
    assert snapshot.incremental_updates == 1


def test_a_row_committed_out_of_id_order_is_still_applied(gap_world, monkeypatch):
    org = gap_world.org
    monkeypatch.setattr(gaps, "RECHECK_EVERY_S", 0.0)  # re-read the window on every check
    late = agree(org.claims_manager_employee, gap_world.negotiation, 2)
    newer = agree(org.underwriter, gap_world.pricing, 4)
    late_id = late.pk
    late.delete()  # as if its transaction had not committed yet when the engine loaded
    snapshot = gaps.current_gaps()
    assert snapshot.watermark == newer.pk
    Assessment.objects.create(
        id=late_id,
        employee=org.claims_manager_employee,
        competency=gap_world.negotiation,
        kind=Assessment.Kind.AGREED,
        level=2,
        assessed_on=datetime.date(2026, 1, 10),
    )
    snapshot = gaps.current_gaps()
    assert person_summary(snapshot, org.claims_manager_employee).weighted_gap == 4.0


def test_structure_changes_trigger_a_full_reload(gap_world):
    org = gap_world.org
    first = gaps.current_gaps()
    org.claims.parent = None  # a unit moved in the tree
    org.claims.save()
    moved = gaps.current_gaps()
    assert moved is not first and moved.full_loads == 2
    assert summary_of(moved, org.group).headcount == 2
    JobProfileRequirement.objects.filter(competency=gap_world.negotiation).update(required_level=1)
    mark_structure_changed()  # bulk writes send no signal
    lowered = gaps.current_gaps()
    assert lowered.full_loads == 3
    # Clara: claims handling 1 level short (x4), negotiation unassessed now 1 short (x1).
    assert summary_of(lowered, org.claims).weighted_gap == 5.0
    assert summary_of(lowered, org.underwriting).weighted_gap == 0.0  # Mo meets level 1 now


def test_saving_an_employee_without_structural_change_keeps_the_engine(gap_world):
    org = gap_world.org
    first = gaps.current_gaps()
    token = GapStructure.objects.get().token
    org.motor_handler.email = "mo@example.test"
    org.motor_handler.save()
    assert GapStructure.objects.get().token == token
    assert gaps.current_gaps() is first


def test_bulk_moves_without_a_signal_are_caught_by_the_periodic_checksum(gap_world, monkeypatch):
    org = gap_world.org
    first = gaps.current_gaps()
    Employee.objects.filter(pk=org.motor_handler.pk).update(unit=org.underwriting)
    assert gaps.current_gaps() is first  # no signal, no token change: not seen yet
    monkeypatch.setattr(gaps, "DEEP_CHECK_EVERY_S", 0.0)
    reloaded = gaps.current_gaps()
    assert reloaded is not first
    assert summary_of(reloaded, org.claims).headcount == 1


def test_saving_a_job_profile_form_reloads_the_engine(gap_world):
    from milepost.frameworks.services import RequirementSpec, update_job_profile

    org = gap_world.org
    first = gaps.current_gaps()
    update_job_profile(
        acting_user=org.coordinator,
        job_profile=gap_world.handler,
        code="HANDLER",
        title="Handler",
        requirements=[
            RequirementSpec(competency=gap_world.handling, required_level=2, importance=4),
        ],
    )
    reloaded = gaps.current_gaps()
    assert reloaded is not first
    assert summary_of(reloaded, org.claims).weighted_gap == 0.0


def test_employees_added_in_bulk_are_noticed_without_a_signal(gap_world):
    org = gap_world.org
    gaps.current_gaps()
    EmployeeFactory._meta.model.objects.bulk_create(
        [EmployeeFactory.build(unit=org.claims, job_profile=gap_world.handler)]
    )
    snapshot = gaps.current_gaps()
    assert summary_of(snapshot, org.claims).headcount == 3


def test_an_unchanged_organisation_costs_two_small_queries(gap_world, django_assert_num_queries):
    gaps.current_gaps()
    with django_assert_num_queries(2):
        gaps.current_gaps()


def test_a_row_committed_out_of_order_waits_for_the_next_window_recheck(gap_world, monkeypatch):
    org = gap_world.org
    late = agree(org.claims_manager_employee, gap_world.negotiation, 2)
    late_id = late.pk
    late.delete()
    agree(org.underwriter, gap_world.pricing, 4)
    snapshot = gaps.current_gaps()
    Assessment.objects.create(
        id=late_id,
        employee=org.claims_manager_employee,
        competency=gap_world.negotiation,
        kind=Assessment.Kind.AGREED,
        level=2,
        assessed_on=datetime.date(2026, 1, 10),
    )
    assert person_summary(gaps.current_gaps(), org.claims_manager_employee).weighted_gap == 6.0
    snapshot.rechecked_at -= gaps.RECHECK_EVERY_S
    assert person_summary(gaps.current_gaps(), org.claims_manager_employee).weighted_gap == 4.0


def test_an_empty_database_loads(db):
    snapshot = gaps.current_gaps()
    summary = snapshot.engine.organisation_summary()
    assert (summary.headcount, summary.requirements) == (0, 0)
    assert snapshot.unit_index(1) is None
