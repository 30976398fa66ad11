"""The gap overview: the organisation or the manager's unit, with the units below."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("insights:gap-overview")
COUNTED = {"unassessed": "count"}  # the hand-computed figures count the unassessed as level 0


def test_organisation_wide_roles_see_the_organisation_summary(gap_world, login):
    response = login(gap_world.org.executive).get(OVERVIEW, COUNTED)
    overview = response.context["overview"]
    summary = overview.summary
    assert overview.unit is None
    # Four people, three with profiles: 3 of 6 requirements met; weighted gap 6 + 1 of 14+14+26.
    assert (summary.headcount, summary.with_profile, summary.requirements) == (4, 3, 6)
    assert (summary.met, summary.weighted_gap, summary.weighted_required) == (3, 7, 54)
    assert summary.ready_in_role == 2
    # One top unit (Group): the table lists the units below it.
    assert [row.name for row in overview.rows] == ["Claims", "Underwriting"]
    assert overview.heatmap_unit == gap_world.org.group.pk


def test_a_line_manager_sees_their_unit_and_the_units_below(gap_world, login):
    org = gap_world.org
    response = login(org.claims_manager).get(OVERVIEW, COUNTED)
    overview = response.context["overview"]
    assert overview.unit == org.claims
    assert (overview.summary.headcount, overview.summary.weighted_gap) == (2, 7)
    assert [row.name for row in overview.rows] == ["Motor claims"]
    page = response.content.decode()
    assert "Underwriting" not in page
    assert reverse("insights:team-gaps", args=[org.claims_manager_employee.pk]) in page


def test_an_employee_is_sent_to_their_own_gaps(gap_world, login):
    org = gap_world.org
    response = login(org.employee_user).get(OVERVIEW)
    assert response.status_code == 302
    assert response.headers["Location"] == reverse(
        "insights:person-gaps", args=[org.motor_handler.pk]
    )


def test_an_employer_contact_may_not_open_it(gap_world, login):
    assert login(gap_world.org.employer_contact).get(OVERVIEW).status_code == 403


def test_export_lists_the_units_with_their_figures(gap_world, login):
    response = login(gap_world.org.coordinator).get(OVERVIEW, {"export": "csv", **COUNTED})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Unit", "Headcount", "With a job profile"]
    counted = "counted as level 0"
    assert rows[1] == [
        "Claims",
        "2",
        "2",
        "4",
        "3",
        "1",
        counted,
        "4",
        "1",
        "25.0",
        "7.0",
        "0.25",
        "1",
    ]
    assert rows[2] == [
        "Underwriting",
        "2",
        "1",
        "2",
        "2",
        "0",
        counted,
        "2",
        "2",
        "100.0",
        "0.0",
        "0.0",
        "1",
    ]


def test_no_assessments_yet_explains_how_gaps_count(org, login):
    from milepost.testing.factories import JobProfileFactory, RequirementFactory

    profile = JobProfileFactory.create()
    RequirementFactory.create(job_profile=profile)
    org.motor_handler.job_profile = profile
    org.motor_handler.save()
    page = login(org.coordinator).get(OVERVIEW).content.decode()
    assert "0 of 1 requirement assessed" in page
    assert "Nobody here has an agreed level yet" in page


def test_gaps_appear_in_the_menu_for_internal_roles_only(gap_world, login):
    org = gap_world.org
    coordinator_menu = login(org.coordinator).get(reverse("home")).context["nav_items"]
    assert any(item["label"] == "Gaps" for item in coordinator_menu)
    contact_menu = login(org.employer_contact).get(reverse("home")).context["nav_items"]
    assert not any(item["label"] == "Gaps" for item in contact_menu)
