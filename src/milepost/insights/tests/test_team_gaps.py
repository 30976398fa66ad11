"""A manager's direct reports as one heatmap row with a line per person."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from milepost.testing.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def team_url(employee):
    return reverse("insights:team-gaps", args=[employee.pk])


def test_team_of_a_manager_is_their_direct_reports(gap_world, login):
    org = gap_world.org
    response = login(org.claims_manager).get(team_url(org.claims_manager_employee))
    team = response.context["team"]
    assert [person.name for person in team.people] == ["Mo Handler"]
    assert (team.summary.requirements, team.summary.met, team.summary.weighted_gap) == (2, 1, 1)
    row = team.heatmap.rows[0]
    cells = {
        name: (cell.below, cell.required)
        for (_, name), cell in zip(team.heatmap.columns, row.cells, strict=True)
    }
    assert cells == {"Negotiation": (1, 1), "Claims handling": (0, 1)}


def test_reports_outside_the_viewers_units_are_left_out(gap_world, login):
    org = gap_world.org
    EmployeeFactory.create(
        unit=org.underwriting, manager=org.claims_manager_employee, first_name="Far"
    )
    as_manager = login(org.claims_manager).get(team_url(org.claims_manager_employee))
    assert [p.name for p in as_manager.context["team"].people] == ["Mo Handler"]
    as_coordinator = login(org.coordinator).get(team_url(org.claims_manager_employee))
    assert len(as_coordinator.context["team"].people) == 2


def test_manager_cannot_open_a_team_outside_their_units(gap_world, login):
    org = gap_world.org
    assert login(org.claims_manager).get(team_url(org.underwriter)).status_code == 404


def test_team_without_reports_says_how_people_get_one(gap_world, login):
    page = login(gap_world.org.coordinator).get(team_url(gap_world.org.underwriter))
    assert "has no active direct reports you can see" in page.content.decode()


def test_exports_of_people_and_of_the_heatmap(gap_world, login):
    org = gap_world.org
    client = login(org.coordinator)
    people = client.get(team_url(org.claims_manager_employee), {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(people.streaming_content).decode("utf-8-sig"))))
    # Requirements, assessed, not assessed, the choice, then the figures over the counted ones.
    assert rows[1] == [
        "Mo Handler",
        "2",
        "2",
        "0",
        "left out",
        "2",
        "1",
        "50.0",
        "1.0",
        "0.071",
        "yes",
    ]
    cells = client.get(team_url(org.claims_manager_employee), {"export": "csv", "table": "heatmap"})
    text = b"".join(cells.streaming_content).decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text)))) == 3


def test_query_count_does_not_grow_with_the_team(gap_world, login, django_assert_num_queries):
    org = gap_world.org
    client = login(org.claims_manager)
    url = team_url(org.claims_manager_employee)
    client.get(url)
    # session, user, user's employee and unit, the manager, reports, structure check, new agreed
    # rows, heatmap competency names, unread notifications
    with django_assert_num_queries(10):
        client.get(url)
    for _ in range(10):
        EmployeeFactory.create(
            unit=org.motor_team, manager=org.claims_manager_employee, job_profile=gap_world.handler
        )
    client.get(url)
    with django_assert_num_queries(10):
        response = client.get(url)
    assert len(response.context["team"].people) == 11
