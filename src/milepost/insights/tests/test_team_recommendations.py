"""Recommended training for a team (a manager's direct reports) and a unit (with the units below):
gap vectors aggregated from the cached engine, costs per target, pages, exports and the API.

The team of Clara (the conftest's gap world plus three reports), worked out by hand:
  Mo  (Motor claims, Handler):      Negotiation 1 -> 2 (weight 1)
  Ann (Motor claims, Handler):      Claims handling 2 -> 3 (4), Negotiation 0 -> 2 (1)
  Ben (Motor claims, Handler):      Claims handling 2 -> 3 (4), Negotiation 1 -> 2 (1)
  Una (Claims, Underwriter):        Claims handling 1 -> 2 (3), Risk pricing 0 -> 4 (5)
Gap rows (competency, current, required, weight: people, weighted gap):
  Risk pricing 0-4 x5: 1, 20 | Claims handling 2-3 x4: 2, 8 | Claims handling 1-2 x3: 1, 3
  Negotiation 1-2 x1: 2, 2 | Negotiation 0-2 x1: 1, 2           total 35
Courses: HAND (run 100 + 50 a person, handling to 3) raises Ann, Ben, Una: 250;
  NEGO (40 a person, negotiation to 2) raises Mo, Ann, Ben: 120;
  BOTH (run 200 + 10 a person, both) raises 4 distinct people (not 6): 240.
The figures count unassessed requirements as level 0 (`unassessed=count`; teams and units leave
them out by default, see test_coverage.py): Ann's negotiation and Una's risk pricing are gaps.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from milepost.accounts.services import issue_api_token
from milepost.catalogue.models import Course
from milepost.insights.recommendations import Unassessed, recommend_for_team, recommend_for_unit
from milepost.insights.tests.conftest import agree, course
from milepost.testing.factories import EmployeeFactory

pytestmark = pytest.mark.django_db
COUNT = Unassessed.COUNT


@pytest.fixture
def team(gap_world):
    world = gap_world
    org = world.org
    clara = org.claims_manager_employee
    ann = EmployeeFactory.create(
        unit=org.motor_team, manager=clara, job_profile=world.handler, first_name="Ann"
    )
    ben = EmployeeFactory.create(
        unit=org.motor_team, manager=clara, job_profile=world.handler, first_name="Ben"
    )
    una = EmployeeFactory.create(
        unit=org.claims, manager=clara, job_profile=world.underwriter_profile, first_name="Una"
    )
    agree(ann, world.handling, 2)
    agree(ben, world.handling, 2)
    agree(ben, world.negotiation, 1)
    agree(una, world.handling, 1)
    return world


@pytest.fixture
def catalogue(team):
    return {
        "HAND": course("HAND", {team.handling: 3}, per_person="50", per_run="100"),
        "NEGO": course("NEGO", {team.negotiation: 2}, per_person="40"),
        "BOTH": course(
            "BOTH", {team.handling: 3, team.negotiation: 2}, per_person="10", per_run="200"
        ),
    }


def rows_of(result):
    return [
        (row.competency_name, row.current_level, row.required_level, row.weight, row.people)
        for row in result.gaps
    ]


def test_team_gaps_are_aggregated_by_competency_levels_and_weight(team):
    result = recommend_for_team(
        team.org.coordinator, team.org.claims_manager_employee, unassessed=COUNT
    )
    assert result.people == 4
    assert rows_of(result) == [
        ("Risk pricing", 0, 4, 5.0, 1),
        ("Claims handling", 2, 3, 4.0, 2),
        ("Claims handling", 1, 2, 3.0, 1),
        ("Negotiation", 0, 2, 1.0, 1),
        ("Negotiation", 1, 2, 1.0, 2),
    ]
    assert result.total_gap == 35


def test_an_items_cost_is_its_run_plus_each_distinct_person_it_raises(team, catalogue):
    result = recommend_for_team(
        team.org.coordinator, team.org.claims_manager_employee, unassessed=COUNT
    )
    assert [(item.offer.code, item.cost, item.people) for item in result.offers] == [
        ("BOTH", Decimal("240"), 4)  # 200 + 10 x 4 beats HAND 250 + NEGO 120
    ]
    assert result.cost == Decimal("240")
    assert result.closed == pytest.approx(15)
    assert result.result is not None and result.result.greedy_cost >= 240
    closes = [
        (c.people, c.competency_name, c.from_level, c.to_level, c.full)
        for c in result.offers[0].closes
    ]
    assert sorted(closes) == [
        (1, "Claims handling", 1, 2, True),
        (1, "Negotiation", 0, 2, True),
        (2, "Claims handling", 2, 3, True),
        (2, "Negotiation", 1, 2, True),
    ]


def test_a_budget_keeps_the_most_valuable_set_that_fits(team, catalogue):
    result = recommend_for_team(
        team.org.coordinator,
        team.org.claims_manager_employee,
        budget=Decimal("200"),
        unassessed=COUNT,
    )
    assert [item.offer.code for item in result.offers] == ["NEGO"]  # 120: closes 4
    assert (result.cost, result.closed) == (Decimal("120"), pytest.approx(4))


def test_gaps_no_course_raises_are_gaps_in_the_catalogue(team, catalogue):
    course("PRICE1", {team.pricing: 1}, per_person="10")
    result = recommend_for_team(
        team.org.coordinator, team.org.claims_manager_employee, unassessed=COUNT
    )
    assert [(g.competency_name, g.people) for g in result.uncovered] == []  # PRICE1 raises it
    Course.objects.filter(code="PRICE1").update(is_active=False)
    result = recommend_for_team(
        team.org.coordinator, team.org.claims_manager_employee, unassessed=COUNT
    )
    assert [(g.competency_name, g.current_level, g.people) for g in result.uncovered] == [
        ("Risk pricing", 0, 1)
    ]


def test_a_unit_counts_everyone_in_it_and_below(team, catalogue):
    org = team.org
    motor = recommend_for_unit(org.coordinator, org.motor_team, unassessed=COUNT)
    assert motor.people == 3  # Mo, Ann, Ben
    assert rows_of(motor) == [
        ("Claims handling", 2, 3, 4.0, 2),
        ("Negotiation", 0, 2, 1.0, 1),
        ("Negotiation", 1, 2, 1.0, 2),
    ]
    claims = recommend_for_unit(org.claims_manager, org.claims, unassessed=COUNT)
    assert claims.people == 5  # and Clara and Una, placed in Claims itself
    assert ("Claims handling", 2, 3, 4.0, 3) in rows_of(claims)
    assert ("Negotiation", 0, 2, 1.0, 2) in rows_of(claims)
    assert [(i.offer.code, i.cost, i.people) for i in claims.offers] == [
        ("BOTH", Decimal("250"), 5)
    ]


def test_when_runs_fill_up_a_cheaper_mix_is_chosen(team, catalogue, login):
    org = team.org
    Course.objects.filter(code="BOTH").update(places_per_run=2)
    result = recommend_for_team(org.coordinator, org.claims_manager_employee, unassessed=COUNT)
    # BOTH now needs 2 runs for 4 people: 200 x 2 + 10 x 4 = 440 > HAND 250 + NEGO 120
    assert [(item.offer.code, item.cost, item.people) for item in result.offers] == [
        ("HAND", Decimal("250"), 3),
        ("NEGO", Decimal("120"), 3),
    ]
    assert (result.cost, result.closed) == (Decimal("370"), pytest.approx(15))
    claims = recommend_for_unit(org.coordinator, org.claims, unassessed=COUNT)
    # 5 people: BOTH 3 runs, 650; HAND 100 + 50 x 4 = 300 and NEGO 40 x 4 = 160
    assert [(i.offer.code, i.cost, i.people) for i in claims.offers] == [
        ("HAND", Decimal("300"), 4),
        ("NEGO", Decimal("160"), 4),
    ]
    url = reverse("insights:team-recommendations", args=[org.claims_manager_employee.pk])
    content = login(org.claims_manager).get(url, {"unassessed": "count"}).content.decode()
    assert "Course HAND" in content and "Course NEGO" in content
    assert "Course BOTH" not in content
    Course.objects.filter(code="BOTH").update(places_per_run=4)  # one run seats them all again
    again = recommend_for_team(org.coordinator, org.claims_manager_employee, unassessed=COUNT)
    assert [(item.offer.code, item.cost) for item in again.offers] == [("BOTH", Decimal("240"))]


def test_the_team_page_shows_both_costs_people_and_links(team, catalogue, login):
    org = team.org
    client = login(org.claims_manager)
    gaps_page = client.get(reverse("insights:team-gaps", args=[org.claims_manager_employee.pk]))
    url = reverse("insights:team-recommendations", args=[org.claims_manager_employee.pk])
    assert url in gaps_page.content.decode()
    content = client.get(url, {"unassessed": "count"}).content.decode()
    assert "Cost, optimal" in content and "Cost, greedy choice" in content
    assert "2 people on Claims handling: level 2 to 3" in content
    assert "1 person on Negotiation: level 0 to 2" in content
    assert "for 4 people" in content
    assert "1 person on Risk pricing: level 0, required 4" in content  # a catalogue gap


def test_the_unit_page_links_from_unit_gaps_and_exports(team, catalogue, login):
    org = team.org
    client = login(org.coordinator)
    gaps_page = client.get(reverse("insights:unit-gaps", args=[org.motor_team.pk]))
    url = reverse("insights:unit-recommendations", args=[org.motor_team.pk])
    assert url in gaps_page.content.decode()
    assert "Recommended training for Motor claims" in client.get(url).content.decode()
    export = client.get(url, {"export": "csv", "unassessed": "count"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert rows[0][9:11] == ["People", "People the item is bought for"]
    # BOTH for Mo, Ann, Ben: 200 + 10 x 3
    assert sorted((r[1], r[3], r[4], r[5], r[6], r[9], r[10]) for r in rows[1:]) == [
        ("BOTH", "230.00", "Claims handling", "2", "3", "2", "3"),
        ("BOTH", "230.00", "Negotiation", "0", "2", "1", "3"),
        ("BOTH", "230.00", "Negotiation", "1", "2", "2", "3"),
    ]


def test_nobody_to_train_is_said_plainly(team, login):
    client = login(team.org.coordinator)
    page = client.get(reverse("insights:team-recommendations", args=[team.org.underwriter.pk]))
    assert "has no active direct reports you can see" in page.content.decode()


def _queries(client, url):
    client.get(url)  # the cache catches up first
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_query_counts_do_not_grow_with_the_team_or_unit(team, catalogue, login):
    org = team.org
    client = login(org.claims_manager)
    team_url = reverse("insights:team-recommendations", args=[org.claims_manager_employee.pk])
    unit_url = reverse("insights:unit-recommendations", args=[org.claims.pk])
    before = _queries(client, team_url), _queries(client, unit_url)
    for n in range(6):
        joined = EmployeeFactory.create(
            unit=org.motor_team, manager=org.claims_manager_employee, job_profile=team.handler
        )
        agree(joined, team.handling, 1 + n % 2)
    assert (_queries(client, team_url), _queries(client, unit_url)) == before
    assert (
        recommend_for_team(org.coordinator, org.claims_manager_employee, unassessed=COUNT).people
        == 10
    )


@pytest.fixture
def api_as():
    def client_for(user):
        token = issue_api_token(acting_user=user, name="tests")[1]
        client = Client(headers={"Authorization": f"Bearer {token}"})
        return lambda path, **query: client.get(f"/api/v1{path}", query)

    return client_for


def test_api_team_and_unit_recommendations(team, catalogue, api_as):
    org = team.org
    get = api_as(org.claims_manager)
    team_url = f"/employees/{org.claims_manager_employee.pk}/team-recommendations"
    body = get(team_url, unassessed="count").json()
    assert (body["people"], body["total_gap"], body["closed"]) == (4, 35.0, 15.0)
    assert Decimal(body["cost"]) == Decimal("240")
    assert body["method"] == "optimal" and body["greedy_cost"] >= 240
    assert [(item["code"], item["people"]) for item in body["items"]] == [("BOTH", 4)]
    assert {(c["competency"], c["people"]) for c in body["items"][0]["closes"]} == {
        ("Claims handling", 2),
        ("Claims handling", 1),
        ("Negotiation", 2),
        ("Negotiation", 1),
    }
    assert [(g["competency"], g["people"]) for g in body["uncovered"]] == [("Risk pricing", 1)]
    within = get(f"/org-units/{org.claims.pk}/recommendations", budget="200", unassessed="count")
    within = within.json()
    assert [item["code"] for item in within["items"]] == ["NEGO"]
    assert Decimal(within["budget"]) == Decimal("200")


def test_api_person_recommendations_and_a_bad_budget(team, catalogue, api_as):
    org = team.org
    get = api_as(org.employee_user)
    body = get(f"/employees/{org.motor_handler.pk}/recommendations").json()
    assert [(item["code"], Decimal(item["cost"])) for item in body["items"]] == [
        ("NEGO", Decimal("40"))  # BOTH has no places set: one person bears its run, 10 + 200
    ]
    refused = get(f"/org-units/{org.claims.pk}/recommendations", budget="-5")
    assert refused.status_code in (403, 404)  # an employee may not analyse units
    refused = api_as(org.coordinator)(f"/org-units/{org.claims.pk}/recommendations", budget="-5")
    assert refused.status_code == 422
    assert list(refused.json()["fields"]) == ["budget"]
