"""Recommended training for one person's gaps: the optimiser's choice from the live catalogue."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from milepost.catalogue.models import Course, LearningOutcome, Modality
from milepost.insights.recommendations import recommend_for_person

pytestmark = pytest.mark.django_db


def course(code, cost, outcomes, active=True, *, per_run="0", places=None):
    made = Course.objects.create(
        code=code,
        title=f"Course {code}",
        modality=Modality.CLASSROOM,
        cost_per_person=Decimal(cost),
        cost_per_run=Decimal(per_run),
        places_per_run=places,
        is_active=active,
    )
    for competency, level in outcomes.items():
        LearningOutcome.objects.create(course=made, competency=competency, raises_to_level=level)
    return made


@pytest.fixture
def handler_gaps(gap_world):
    """The claims manager: handling agreed at 2 of 3; negotiation unassessed, 2 required."""
    return gap_world


def test_the_cheapest_set_that_closes_every_gap_is_chosen_and_explained(handler_gaps):
    world = handler_gaps
    both = course("BOTH", "900", {world.handling: 3, world.negotiation: 2})
    course("HAND", "300", {world.handling: 3})
    course("NEGO", "400", {world.negotiation: 2})
    course("OFF", "50", {world.handling: 3}, active=False)
    result = recommend_for_person(world.org.coordinator, world.org.claims_manager_employee)
    chosen = {item.offer.code for item in result.offers}
    assert chosen == {"HAND", "NEGO"}  # 700 beats the 900 all-in-one; the inactive one is out
    assert result.cost == Decimal("700")
    assert result.share_closed == pytest.approx(1.0)
    closes = {
        item.offer.code: [(c.competency_name, c.from_level, c.to_level) for c in item.closes]
        for item in result.offers
    }
    assert closes["HAND"] == [("Claims handling", 2, 3)]
    assert closes["NEGO"] == [("Negotiation", 0, 2)]
    assert result.result is not None and result.result.greedy_cost >= 700
    assert both.pk not in {item.offer.pk for item in result.offers}


def test_a_budget_keeps_the_most_valuable_item_that_fits(handler_gaps):
    world = handler_gaps
    course("HAND", "300", {world.handling: 3})
    course("NEGO", "400", {world.negotiation: 2})
    result = recommend_for_person(
        world.org.coordinator, world.org.claims_manager_employee, budget=Decimal("450")
    )
    assert result.cost <= Decimal("450")
    assert len(result.offers) == 1


def test_a_run_only_course_costs_one_person_their_seats_share_not_nothing(handler_gaps):
    world = handler_gaps
    course("HAND", "300", {world.handling: 3})
    course("INHOUSE", "0", {world.handling: 3}, per_run="1200", places=12)
    employee = world.org.claims_manager_employee
    result = recommend_for_person(world.org.coordinator, employee)
    handling = [item for item in result.offers if item.offer.code in {"HAND", "INHOUSE"}]
    assert [(item.offer.code, item.cost) for item in handling] == [("INHOUSE", Decimal("100"))]
    Course.objects.filter(code="INHOUSE").update(places_per_run=None)  # nobody shares the run
    result = recommend_for_person(world.org.coordinator, employee)
    assert [(item.offer.code, item.cost) for item in result.offers] == [("HAND", Decimal("300"))]


def test_gaps_no_offer_raises_are_flagged_as_gaps_in_the_catalogue(handler_gaps):
    world = handler_gaps
    course("LOW", "100", {world.handling: 2})  # not above the agreed level 2
    result = recommend_for_person(world.org.coordinator, world.org.claims_manager_employee)
    assert {gap.competency_name for gap in result.uncovered} == {"Claims handling", "Negotiation"}
    assert result.offers == []


def test_the_page_shows_the_set_and_exports_it(handler_gaps, login):
    world = handler_gaps
    course("HAND", "300", {world.handling: 3})
    url = reverse("insights:person-recommendations", args=[world.org.claims_manager_employee.pk])
    page = login(world.org.claims_manager).get(url)
    assert page.status_code == 200
    content = page.content.decode()
    assert "Course HAND" in content
    assert "Negotiation" in content  # no offer for it: a gap in the catalogue
    export = login(world.org.claims_manager).get(url, {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert rows[1][:3] == ["course", "HAND", "Course HAND"]
    assert rows[1][4:7] == ["Claims handling", "2", "3"]


def test_a_negative_budget_is_a_form_error_not_a_crash(handler_gaps, login):
    world = handler_gaps
    url = reverse("insights:person-recommendations", args=[world.org.claims_manager_employee.pk])
    page = login(world.org.coordinator).get(url, {"budget": "-5"})
    assert page.status_code == 200
    assert "greater than or equal to 0" in page.content.decode()


def test_someone_without_a_profile_gets_an_explanation(gap_world, login):
    employee = gap_world.org.underwriter
    employee.job_profile = None
    employee.save()
    url = reverse("insights:person-recommendations", args=[employee.pk])
    page = login(gap_world.org.coordinator).get(url)
    assert "has no job profile" in page.content.decode()
