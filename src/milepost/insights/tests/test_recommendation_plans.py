"""A recommendation leads somewhere: its items onto the person's development plan, or onto the
training plan for a team or a unit, in one POST."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from milepost.catalogue.models import Course, LearningOutcome, Modality
from milepost.needs.models import PlannedTraining
from milepost.reviews.models import DevelopmentPlanItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(gap_world):
    for code, outcomes, cost in (
        ("HAND", {gap_world.handling: 3}, "300"),
        ("NEGO", {gap_world.negotiation: 2}, "400"),
    ):
        made = Course.objects.create(
            code=code,
            title=f"Course {code}",
            modality=Modality.CLASSROOM,
            cost_per_person=Decimal(cost),
        )
        for competency, level in outcomes.items():
            LearningOutcome.objects.create(
                course=made, competency=competency, raises_to_level=level
            )
    return gap_world


def client_for(user, *, csrf=False):
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def test_a_persons_recommendation_goes_onto_their_development_plan_once(catalogue, login):
    org = catalogue.org
    clara = org.claims_manager_employee  # handling 2 of 3; negotiation not assessed (count)
    page = login(org.coordinator).get(reverse("insights:person-recommendations", args=[clara.pk]))
    plan_url = reverse("insights:person-recommendations-plan", args=[clara.pk])
    assert plan_url in page.content.decode()
    response = login(org.coordinator).post(plan_url, {"unassessed": "count"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith(
        reverse("people:employee-detail", args=[clara.pk])
    )
    items = DevelopmentPlanItem.objects.filter(employee=clara).order_by("action")
    assert [(i.competency.name, i.target_level, i.action) for i in items] == [
        ("Claims handling", 3, "Course HAND: Course HAND"),
        ("Negotiation", 2, "Course NEGO: Course NEGO"),
    ]
    login(org.coordinator).post(plan_url, {"unassessed": "count"})
    assert DevelopmentPlanItem.objects.filter(employee=clara).count() == 2  # not twice


def test_leaving_the_unassessed_out_plans_only_the_assessed_gap(catalogue, login):
    org = catalogue.org
    clara = org.claims_manager_employee
    plan_url = reverse("insights:person-recommendations-plan", args=[clara.pk])
    login(org.coordinator).post(plan_url, {"unassessed": "leave-out"})
    assert list(
        DevelopmentPlanItem.objects.filter(employee=clara).values_list(
            "competency__name", flat=True
        )
    ) == ["Claims handling"]


def test_only_people_who_plan_development_may_post_and_csrf_is_checked(catalogue, login):
    org = catalogue.org
    clara = org.claims_manager_employee
    plan_url = reverse("insights:person-recommendations-plan", args=[clara.pk])
    assert login(org.executive).post(plan_url).status_code == 403
    page = login(org.executive).get(reverse("insights:person-recommendations", args=[clara.pk]))
    assert plan_url not in page.content.decode()  # no button a role cannot follow
    assert client_for(org.coordinator, csrf=True).post(plan_url).status_code == 403
    assert not DevelopmentPlanItem.objects.exists()


def test_a_units_recommendation_goes_onto_the_training_plan(catalogue, login):
    org = catalogue.org
    unit_page = reverse("insights:unit-recommendations", args=[org.claims.pk])
    plan_url = reverse("insights:unit-recommendations-plan", args=[org.claims.pk])
    assert plan_url in login(org.coordinator).get(unit_page).content.decode()
    assert plan_url not in login(org.claims_manager).get(unit_page).content.decode()
    response = login(org.coordinator).post(plan_url, {"unassessed": "count"})
    assert response.headers["Location"] == reverse("needs:plan")
    entries = PlannedTraining.objects.order_by("title")
    assert [(e.title, e.unit, e.is_pull) for e in entries] == [
        ("Course HAND", org.claims, False),
        ("Course NEGO", org.claims, False),
    ]
    assert "Claims handling 2 to 3 (1 person)" in entries[0].note
    assert "Requirements assessed: 3 of 4" in entries[0].note
    login(org.coordinator).post(plan_url, {"unassessed": "count"})
    assert PlannedTraining.objects.count() == 2
    assert login(org.claims_manager).post(plan_url).status_code == 403


def test_a_teams_recommendation_goes_onto_the_training_plan_for_the_managers_unit(catalogue, login):
    org = catalogue.org
    clara = org.claims_manager_employee
    plan_url = reverse("insights:team-recommendations-plan", args=[clara.pk])
    login(org.coordinator).post(plan_url)  # Mo: negotiation 1 of 2
    assert [(e.title, e.unit) for e in PlannedTraining.objects.all()] == [
        ("Course NEGO", org.claims)
    ]
    assert login(org.executive).post(plan_url).status_code == 403
