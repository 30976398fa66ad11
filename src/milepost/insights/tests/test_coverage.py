"""Assessment coverage beside every gap figure, and the switch that leaves the unassessed out.

Sam joins Clara's team as a handler and nobody has assessed him: 0 of his 2 requirements. Counted
as level 0 his missing data reads as a gap (handling 0 -> 3, negotiation 0 -> 2) and training is
recommended for it; left out, only Mo's real gap (negotiation 1 -> 2) remains.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from milepost.accounts.services import issue_api_token
from milepost.catalogue.models import Course, LearningOutcome, Modality
from milepost.insights.recommendations import (
    Unassessed,
    recommend_for_person,
    recommend_for_team,
    recommend_for_unit,
)
from milepost.testing.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sam(gap_world):
    world = gap_world
    for code, outcomes in (("HAND", {world.handling: 3}), ("NEGO", {world.negotiation: 2})):
        made = Course.objects.create(
            code=code, title=f"Course {code}", modality=Modality.CLASSROOM, cost_per_person=100
        )
        for competency, level in outcomes.items():
            LearningOutcome.objects.create(
                course=made, competency=competency, raises_to_level=level
            )
    return EmployeeFactory.create(
        unit=world.org.claims,
        manager=world.org.claims_manager_employee,
        job_profile=world.handler,
        first_name="Sam",
        last_name="Unseen",
    )


def page(user, url, **query):
    client = Client()
    client.force_login(user)
    response = client.get(url, query)
    assert response.status_code == 200
    return response


def test_a_person_never_assessed_is_warned_about_on_the_person_pages(gap_world, sam):
    coordinator = gap_world.org.coordinator
    for name in ("insights:person-gaps", "insights:person-recommendations"):
        text = page(coordinator, reverse(name, args=[sam.pk])).content.decode()
        assert "0 of 2 requirements assessed" in text
        assert "Nobody has assessed Sam Unseen yet" in text
        assert 'role="alert"' in text


def test_a_person_page_counts_the_unassessed_by_default_and_can_leave_them_out(gap_world, sam):
    coordinator = gap_world.org.coordinator
    counted = recommend_for_person(coordinator, sam)
    assert (counted.assessed, counted.required_in_all) == (0, 2)
    assert {item.offer.code for item in counted.offers} == {"HAND", "NEGO"}
    left_out = recommend_for_person(coordinator, sam, unassessed=Unassessed.LEAVE_OUT)
    assert left_out.gaps == [] and left_out.offers == []
    response = page(
        coordinator,
        reverse("insights:person-recommendations", args=[sam.pk]),
        unassessed="leave-out",
    )
    assert response.context["result"].offers == []
    assert "left out" in response.content.decode()


def test_team_and_unit_recommendations_leave_the_unassessed_out_by_default(gap_world, sam):
    coordinator = gap_world.org.coordinator
    clara = gap_world.org.claims_manager_employee
    team = recommend_for_team(coordinator, clara)
    assert [(g.competency_name, g.current_level, g.people) for g in team.gaps] == [
        ("Negotiation", 1, 1)
    ]
    assert (team.assessed, team.required_in_all) == (2, 4)  # Mo's 2 of 2, Sam's 0 of 2
    counted = recommend_for_team(coordinator, clara, unassessed=Unassessed.COUNT)
    assert {(g.competency_name, g.current_level) for g in counted.gaps} == {
        ("Negotiation", 1),
        ("Negotiation", 0),
        ("Claims handling", 0),
    }
    unit = recommend_for_unit(coordinator, gap_world.org.claims)
    assert all(g.current_level > 0 for g in unit.gaps)
    response = page(coordinator, reverse("insights:team-recommendations", args=[clara.pk]))
    text = response.content.decode()
    assert "2 of 4 requirements assessed" in text
    assert "Claims handling" not in text


def test_gap_pages_show_coverage_and_default_to_leaving_the_unassessed_out(gap_world, sam):
    coordinator = gap_world.org.coordinator
    org = gap_world.org
    # Claims with Motor claims: Clara 1 of 2 assessed, Mo 2 of 2, Sam 0 of 2.
    unit = page(coordinator, reverse("insights:unit-gaps", args=[org.claims.pk]))
    assert "3 of 6 requirements assessed" in unit.content.decode()
    summary = unit.context["gaps"].summary
    assert (summary.requirements, summary.left_out) == (3, 3)
    counted = page(
        coordinator, reverse("insights:unit-gaps", args=[org.claims.pk]), unassessed="count"
    )
    assert counted.context["gaps"].summary.requirements == 6
    team = page(coordinator, reverse("insights:team-gaps", args=[org.claims_manager_employee.pk]))
    assert "2 of 4 requirements assessed" in team.content.decode()
    overview = page(coordinator, reverse("insights:gap-overview"))
    assert "requirements assessed" in overview.content.decode()


def test_exports_carry_the_coverage_and_the_choice(gap_world, sam):
    coordinator = gap_world.org.coordinator
    clara = gap_world.org.claims_manager_employee
    response = page(
        coordinator,
        reverse("insights:team-recommendations", args=[clara.pk]),
        export="csv",
    )
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    assert rows and {row["Requirements assessed"] for row in rows} == {"2 of 4"}
    assert {row["Unassessed requirements"] for row in rows} == {"left out"}
    response = page(
        coordinator,
        reverse("insights:unit-gaps", args=[gap_world.org.group.pk]),
        export="csv",
        table="units",
    )
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    claims = next(row for row in rows if row["Unit"] == "Claims")
    assert (claims["Requirements"], claims["Assessed"]) == ("6", "3")
    assert claims["Unassessed requirements"] == "left out"


def test_the_api_gap_endpoints_say_the_coverage_and_take_the_switch(gap_world, sam):
    token = issue_api_token(acting_user=gap_world.org.coordinator, name="t")[1]
    headers = {"Authorization": f"Bearer {token}"}
    api = Client()
    person = api.get(f"/api/v1/employees/{sam.pk}/gaps", headers=headers).json()
    assert person["coverage"] == {"assessed": 0, "requirements": 2, "unassessed": "count"}
    unit = api.get(f"/api/v1/org-units/{gap_world.org.claims.pk}/gaps", headers=headers).json()
    assert unit["summary"]["coverage"]["assessed"] == 3
    assert unit["summary"]["coverage"]["unassessed"] == "leave-out"
    counted = api.get(
        f"/api/v1/org-units/{gap_world.org.claims.pk}/gaps?unassessed=count", headers=headers
    ).json()
    assert counted["summary"]["requirements"] == 6
    recommended = api.get(
        f"/api/v1/employees/{sam.pk}/recommendations?unassessed=leave-out", headers=headers
    ).json()
    assert recommended["items"] == [] and recommended["coverage"]["assessed"] == 0
    assert api.get(
        f"/api/v1/org-units/{gap_world.org.claims.pk}/gaps?unassessed=maybe", headers=headers
    ).status_code in (400, 422)
    assert Decimal(recommended["cost"]) == 0
