"""Objectives (weighted, with progress) and development plan items (competency, target level)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from milepost.reviews.models import DevelopmentPlanItem, Objective
from milepost.reviews.services import (
    add_development_item,
    add_objective,
    set_development_item_status,
    update_objective_progress,
)

pytestmark = pytest.mark.django_db


def objective(org, weight, title="Cut claim cycle time", user=None):
    return add_objective(
        acting_user=user or org.claims_manager,
        employee=org.motor_handler,
        title=title,
        weight=weight,
    )


def test_objectives_weigh_at_most_100_percent_together(org, claims_profile):
    objective(org, 60)
    objective(org, 40, "Coach a new starter")
    with pytest.raises(ValidationError) as error:
        objective(org, 10, "One more")
    assert "already weigh 100 %: 10 % more would make 110 %" in str(error.value)
    assert Objective.objects.count() == 2


def test_dropped_objectives_free_their_weight(org, claims_profile):
    first = objective(org, 80)
    update_objective_progress(
        acting_user=org.claims_manager, objective=first, progress=10, status="dropped"
    )
    assert objective(org, 50, "Replacement").weight == 50


def test_employee_updates_their_own_progress_but_does_not_set_objectives(org, claims_profile):
    own = objective(org, 50)
    update_objective_progress(acting_user=org.employee_user, objective=own, progress=100)
    own.refresh_from_db()
    assert (own.progress, own.status) == (100, Objective.Status.ACHIEVED)
    with pytest.raises(PermissionDenied):
        objective(org, 10, "My own idea", user=org.employee_user)


def test_progress_outside_0_to_100_is_refused(org, claims_profile):
    with pytest.raises(ValidationError, match="between 0 and 100"):
        update_objective_progress(
            acting_user=org.claims_manager, objective=objective(org, 50), progress=120
        )


def test_development_item_targets_a_competency_of_the_profile(org, claims_profile):
    item = add_development_item(
        acting_user=org.employee_user,
        employee=org.motor_handler,
        competency=claims_profile.negotiation,
        target_level=4,
        action="Advanced negotiation course",
    )
    assert (item.competency, item.target_level, item.created_by) == (
        claims_profile.negotiation,
        4,
        org.employee_user,
    )
    set_development_item_status(acting_user=org.claims_manager, item=item, status="done")
    item.refresh_from_db()
    assert item.status == DevelopmentPlanItem.Status.DONE


def test_development_item_off_the_profile_or_off_the_scale_is_refused(org, claims_profile):
    with pytest.raises(ValidationError, match="'Customer care' is not on Mo Handler's job profile"):
        add_development_item(
            acting_user=org.claims_manager,
            employee=org.motor_handler,
            competency=claims_profile.customer_care,
            target_level=3,
            action="Course",
        )
    with pytest.raises(ValidationError, match="level 8 is not on scale"):
        add_development_item(
            acting_user=org.claims_manager,
            employee=org.motor_handler,
            competency=claims_profile.negotiation,
            target_level=8,
            action="Course",
        )
    assert not DevelopmentPlanItem.objects.exists()


def test_employee_page_shows_objectives_and_plan_and_takes_new_ones(org, claims_profile, login):
    client = login(org.claims_manager)
    response = client.post(
        reverse("reviews:objective-create", args=[org.motor_handler.pk]),
        {"title": "Reduce reopened claims", "weight": "30"},
    )
    assert response.status_code == 302
    client.post(
        reverse("reviews:development-create", args=[org.motor_handler.pk]),
        {"competency": claims_profile.negotiation.pk, "target_level": "4", "action": "Mentoring"},
    )
    page = client.get(reverse("people:employee-detail", args=[org.motor_handler.pk]))
    content = page.content.decode()
    assert "Reduce reopened claims" in content
    assert "Mentoring" in content


def test_a_weight_over_the_limit_on_the_page_is_a_message_not_a_crash(org, claims_profile, login):
    objective(org, 90)
    client = login(org.claims_manager)
    response = client.post(
        reverse("reviews:objective-create", args=[org.motor_handler.pk]),
        {"title": "Too much", "weight": "20"},
        follow=True,
    )
    assert "would make 110 %" in response.content.decode()
    assert not Objective.objects.filter(title="Too much").exists()
