"""A saved self-assessment says whether it can still change, and until when."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from milepost.reviews.services import (
    Rating,
    close_review_cycle,
    open_review_cycle,
    submit_review_ratings,
)

pytestmark = pytest.mark.django_db

OPENS = datetime.date(2026, 3, 2)


@pytest.fixture
def review(org, claims_profile):
    cycle = open_review_cycle(
        acting_user=org.coordinator,
        name="2026 annual review",
        units=[org.claims],
        opens_on=OPENS,
        self_assessment_due=datetime.date(2026, 3, 16),
        manager_assessment_due=datetime.date(2026, 3, 30),
        closes_on=datetime.date(2026, 4, 24),
    )
    participant = cycle.participants.get(employee=org.motor_handler)
    submit_review_ratings(
        acting_user=org.employee_user,
        participant=participant,
        kind="self",
        ratings=[
            Rating(claims_profile.negotiation.pk, 3, ""),
            Rating(claims_profile.fraud_awareness.pk, 2, ""),
        ],
    )
    return participant


def test_a_saved_self_assessment_says_it_can_change_until_the_cycle_closes(org, review, login):
    page = login(org.employee_user).get(reverse("reviews:review", args=[review.pk]))
    content = page.content.decode()
    assert "You can change this until the cycle closes on 24 Apr 2026." in content
    assert "Saved on" in content


def test_after_the_cycle_closes_it_says_the_self_assessment_is_locked(org, review, login):
    close_review_cycle(acting_user=org.coordinator, cycle=review.cycle)
    content = login(org.employee_user).get(reverse("reviews:review", args=[review.pk]))
    text = content.content.decode()
    assert "Your self-assessment is locked: the cycle is closed." in text
    assert "Submit self-assessment" not in text
    assert "You can change this" not in text


def test_once_the_levels_are_agreed_it_says_the_self_assessment_is_locked(
    org, claims_profile, review, login
):
    rated = [
        Rating(claims_profile.negotiation.pk, 3, ""),
        Rating(claims_profile.fraud_awareness.pk, 2, ""),
    ]
    for kind in ("manager", "agreed"):
        submit_review_ratings(
            acting_user=org.claims_manager, participant=review, kind=kind, ratings=rated
        )
    text = login(org.employee_user).get(reverse("reviews:review", args=[review.pk]))
    content = text.content.decode()
    assert "Your self-assessment is locked: the levels were agreed on" in content
    assert "Submit self-assessment" not in content
    assert "You can change this" not in content
