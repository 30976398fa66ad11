"""Review cycles: opening with a scope, self / manager / agreed ratings, progress, closing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from milepost.people.models import Assessment
from milepost.reviews.models import ReviewCycle, ReviewParticipant
from milepost.reviews.selectors import cycle_progress, reviews_waiting_for_manager
from milepost.reviews.services import (
    Rating,
    close_review_cycle,
    open_review_cycle,
    send_review_reminders,
    submit_review_ratings,
)
from milepost.testing.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

OPENS = datetime.date(2026, 3, 2)
DATES = {
    "opens_on": OPENS,
    "self_assessment_due": OPENS + datetime.timedelta(days=14),
    "manager_assessment_due": OPENS + datetime.timedelta(days=28),
    "closes_on": OPENS + datetime.timedelta(days=42),
}


def open_cycle(org, *, name="2026 annual review", units=None, job_profiles=(), user=None, **dates):
    return open_review_cycle(
        acting_user=user or org.coordinator,
        name=name,
        units=[org.claims] if units is None else units,
        job_profiles=job_profiles,
        **{**DATES, **dates},
    )


def ratings(profile, negotiation=3, fraud=2, comment=""):
    return [
        Rating(profile.negotiation.pk, negotiation, comment),
        Rating(profile.fraud_awareness.pk, fraud, comment),
    ]


@pytest.fixture
def cycle(org, claims_profile) -> ReviewCycle:
    return open_cycle(org)


@pytest.fixture
def review(cycle, org) -> ReviewParticipant:
    return cycle.participants.get(employee=org.motor_handler)


# --- opening ---------------------------------------------------------------------------------


def test_opening_enrols_people_in_the_units_below_who_hold_a_profile(org, claims_profile):
    cycle = open_cycle(org)
    enrolled = set(cycle.participants.values_list("employee_id", flat=True))
    # The claims manager has no job profile; the underwriter is outside Claims.
    assert enrolled == {org.motor_handler.pk}
    assert cycle.participants.get().job_profile == claims_profile.job_profile


def test_opening_by_job_profile_takes_holders_in_every_unit(org, claims_profile):
    cycle = open_cycle(org, units=[], job_profiles=[claims_profile.job_profile])
    enrolled = set(cycle.participants.values_list("employee_id", flat=True))
    assert enrolled == {org.motor_handler.pk, org.underwriter.pk}


def test_inactive_employees_are_not_enrolled(org, claims_profile):
    EmployeeFactory(unit=org.motor_team, job_profile=claims_profile.job_profile, is_active=False)
    assert open_cycle(org).participants.count() == 1


def test_a_scope_with_no_profile_holders_names_the_scope(org):
    with pytest.raises(ValidationError) as error:
        open_cycle(org, units=[org.underwriting])
    assert "Nobody to review in Underwriting" in str(error.value)
    assert not ReviewCycle.objects.exists()


def test_dates_out_of_order_and_no_scope_are_field_errors(org, claims_profile):
    with pytest.raises(ValidationError) as error:
        open_cycle(org, units=[], closes_on=OPENS - datetime.timedelta(days=1))
    fields = error.value.message_dict
    assert "closes_on" in fields
    assert "units" in fields
    assert not ReviewCycle.objects.exists()


def test_a_cycle_name_is_used_once(org, claims_profile):
    open_cycle(org)
    with pytest.raises(ValidationError, match="already exists"):
        open_cycle(org, name="2026 Annual Review")


@pytest.mark.parametrize("who", ["claims_manager", "employee_user", "executive"])
def test_only_coordinators_open_cycles(org, claims_profile, who):
    with pytest.raises(PermissionDenied):
        open_cycle(org, user=getattr(org, who))


# --- the three steps -------------------------------------------------------------------------


def test_employee_self_assesses_then_manager_assesses_then_they_agree(org, claims_profile, review):
    assert review.stage == ReviewParticipant.Stage.SELF
    submit_review_ratings(
        acting_user=org.employee_user,
        participant=review,
        kind="self",
        ratings=ratings(claims_profile, 4, 3, "I led the fraud workshop"),
    )
    assert review.stage == ReviewParticipant.Stage.MANAGER
    submit_review_ratings(
        acting_user=org.claims_manager,
        participant=review,
        kind="manager",
        ratings=ratings(claims_profile, 2, 2),
    )
    assert review.stage == ReviewParticipant.Stage.AGREEMENT
    submit_review_ratings(
        acting_user=org.claims_manager,
        participant=review,
        kind="agreed",
        ratings=ratings(claims_profile, 3, 2),
    )
    review.refresh_from_db()
    assert review.stage == ReviewParticipant.Stage.AGREED
    rows = Assessment.objects.filter(employee=org.motor_handler, cycle=review.cycle)
    assert rows.count() == 6
    assert set(rows.values_list("source", flat=True)) == {Assessment.Source.REVIEW}
    agreed = rows.get(kind="agreed", competency=claims_profile.negotiation)
    assert (agreed.level, agreed.assessed_by) == (3, org.claims_manager)
    own = rows.get(kind="self", competency=claims_profile.negotiation)
    assert own.note == "I led the fraud workshop"


def test_agreement_before_both_ratings_is_refused(org, claims_profile, review):
    with pytest.raises(ValidationError, match="self-assessment and manager's assessment"):
        submit_review_ratings(
            acting_user=org.claims_manager,
            participant=review,
            kind="agreed",
            ratings=ratings(claims_profile),
        )


def test_a_rating_off_the_scale_names_the_competency_and_writes_nothing(
    org, claims_profile, review
):
    with pytest.raises(ValidationError) as error:
        submit_review_ratings(
            acting_user=org.employee_user,
            participant=review,
            kind="self",
            ratings=ratings(claims_profile, 9),
        )
    assert "Negotiation: level 9 is not on scale 'Core 1-5' (1-5)" in error.value.messages
    assert not Assessment.objects.exists()
    review.refresh_from_db()
    assert review.self_submitted_at is None


def test_a_competency_not_on_the_profile_is_refused(org, claims_profile, review):
    extra = Rating(claims_profile.customer_care.pk, 3)
    with pytest.raises(ValidationError) as error:
        submit_review_ratings(
            acting_user=org.employee_user,
            participant=review,
            kind="self",
            ratings=[*ratings(claims_profile), extra],
        )
    assert (
        "competency 'Customer care' is not on the job profile 'Claims handler' this review is "
        "against" in error.value.messages
    )
    assert not Assessment.objects.exists()


def test_every_competency_must_be_rated(org, claims_profile, review):
    with pytest.raises(ValidationError, match="missing: Fraud awareness"):
        submit_review_ratings(
            acting_user=org.employee_user,
            participant=review,
            kind="self",
            ratings=[Rating(claims_profile.negotiation.pk, 3)],
        )


def test_employee_cannot_give_the_manager_rating(org, claims_profile, review):
    with pytest.raises(PermissionDenied):
        submit_review_ratings(
            acting_user=org.employee_user,
            participant=review,
            kind="manager",
            ratings=ratings(claims_profile),
        )


def test_manager_of_another_unit_cannot_see_the_review(org, claims_profile, review):
    with pytest.raises(Http404):
        submit_review_ratings(
            acting_user=org.underwriting_manager,
            participant=review,
            kind="manager",
            ratings=ratings(claims_profile),
        )


def test_a_closed_cycle_takes_no_more_ratings(org, claims_profile, cycle, review):
    close_review_cycle(acting_user=org.coordinator, cycle=cycle)
    with pytest.raises(ValidationError, match="is closed"):
        submit_review_ratings(
            acting_user=org.employee_user,
            participant=review,
            kind="self",
            ratings=ratings(claims_profile),
        )
    with pytest.raises(ValidationError, match="already closed"):
        close_review_cycle(acting_user=org.coordinator, cycle=cycle)


# --- progress --------------------------------------------------------------------------------


def test_progress_counts_people_at_each_stage_and_overdue_steps(org, claims_profile):
    second = EmployeeFactory.create(
        unit=org.motor_team,
        job_profile=claims_profile.job_profile,
        manager=org.claims_manager_employee,
    )
    cycle = open_cycle(org)
    review = cycle.participants.get(employee=org.motor_handler)
    submit_review_ratings(
        acting_user=org.employee_user,
        participant=review,
        kind="self",
        ratings=ratings(claims_profile),
    )
    after_self_deadline = DATES["self_assessment_due"] + datetime.timedelta(days=1)
    progress = cycle_progress(org.coordinator, cycle, after_self_deadline)
    counts = {stage.stage: stage.count for stage in progress.stages}
    assert progress.total == 2
    assert counts == {"self": 1, "manager": 1, "agreement": 0, "agreed": 0}
    assert (progress.self_overdue, progress.manager_overdue) == (1, 0)
    waiting = reviews_waiting_for_manager(org.claims_manager)
    assert [r.employee for r in waiting] == [org.motor_handler]
    assert second.pk in cycle.participants.values_list("employee_id", flat=True)


# --- the pages -------------------------------------------------------------------------------


def test_coordinator_opens_a_cycle_on_the_web_form(org, claims_profile, login):
    response = login(org.coordinator).post(
        reverse("reviews:review-cycle-create"),
        {
            "name": "Claims mid-year",
            "opens_on": "2026-06-01",
            "self_assessment_due": "2026-06-15",
            "manager_assessment_due": "2026-06-29",
            "closes_on": "2026-07-10",
            "units": [org.claims.pk],
        },
    )
    cycle = ReviewCycle.objects.get(name="Claims mid-year")
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("reviews:review-cycle", args=[cycle.pk])
    assert cycle.participants.count() == 1


def test_the_web_form_shows_why_a_cycle_cannot_open(org, login):
    response = login(org.coordinator).post(
        reverse("reviews:review-cycle-create"),
        {
            "name": "Underwriting review",
            "opens_on": "2026-06-01",
            "self_assessment_due": "2026-06-15",
            "manager_assessment_due": "2026-06-29",
            "closes_on": "2026-07-10",
            "units": [org.underwriting.pk],
        },
    )
    assert response.status_code == 200
    assert "Nobody to review in Underwriting" in response.content.decode()


def test_employee_submits_the_self_assessment_on_the_review_page(
    org, claims_profile, review, login
):
    client = login(org.employee_user)
    page = client.get(reverse("reviews:review", args=[review.pk]))
    assert "Your self-assessment" in page.content.decode()
    assert "Manager's assessment" not in page.content.decode()
    data = {
        "kind": "self",
        f"self-level_{claims_profile.negotiation.pk}": "4",
        f"self-comment_{claims_profile.negotiation.pk}": "Settled the Hollis claim",
        f"self-level_{claims_profile.fraud_awareness.pk}": "2",
        f"self-comment_{claims_profile.fraud_awareness.pk}": "",
    }
    response = client.post(reverse("reviews:review-submit", args=[review.pk]), data)
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.self_submitted_at is not None
    assert Assessment.objects.get(kind="self", competency=claims_profile.negotiation).level == 4


def test_an_off_scale_level_on_the_page_shows_the_error(org, claims_profile, review, login):
    data = {
        "kind": "self",
        f"self-level_{claims_profile.negotiation.pk}": "7",
        f"self-level_{claims_profile.fraud_awareness.pk}": "2",
    }
    response = login(org.employee_user).post(
        reverse("reviews:review-submit", args=[review.pk]), data
    )
    assert response.status_code == 200
    assert "Negotiation: level 7 is not on scale" in response.content.decode()
    assert not Assessment.objects.exists()


def test_cycle_page_filters_by_stage_and_exports(org, claims_profile, cycle, review, login):
    client = login(org.coordinator)
    waiting = client.get(reverse("reviews:review-cycle", args=[cycle.pk]), {"stage": "self"})
    assert [p.pk for p in waiting.context["page_obj"]] == [review.pk]
    agreed = client.get(reverse("reviews:review-cycle", args=[cycle.pk]), {"stage": "agreed"})
    assert list(agreed.context["page_obj"]) == []
    export = client.get(reverse("reviews:review-cycle", args=[cycle.pk]), {"export": "csv"})
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert org.motor_handler.employee_id in text
    assert "Waiting for self-assessment" in text


def test_review_pages_keep_a_fixed_number_of_queries(
    org, claims_profile, cycle, review, login, django_assert_max_num_queries
):
    client = login(org.coordinator)
    for _ in range(5):
        EmployeeFactory(unit=org.motor_team, job_profile=claims_profile.job_profile)
    with django_assert_max_num_queries(16):
        client.get(reverse("reviews:review-cycle", args=[cycle.pk]))
    with django_assert_max_num_queries(16):
        client.get(reverse("reviews:review", args=[review.pk]))


# --- the inbox -------------------------------------------------------------------------------


def test_each_step_tells_whoever_acts_next(org, claims_profile, review):
    org.motor_handler.refresh_from_db()
    assert list(org.employee_user.notifications.values_list("message", flat=True)) == [
        "2026 annual review is open: please self-assess by 16 Mar 2026."
    ]
    submit_review_ratings(
        acting_user=org.employee_user,
        participant=review,
        kind="self",
        ratings=ratings(claims_profile),
    )
    to_manager = org.claims_manager.notifications.get()
    assert to_manager.message == (
        "Mo Handler has self-assessed in 2026 annual review: your assessment is due by 30 Mar 2026."
    )
    assert to_manager.url == reverse("reviews:review", args=[review.pk])
    for kind in ("manager", "agreed"):
        submit_review_ratings(
            acting_user=org.claims_manager,
            participant=review,
            kind=kind,
            ratings=ratings(claims_profile),
        )
    latest = org.employee_user.notifications.first()
    assert latest is not None
    assert latest.message == "Your agreed levels in 2026 annual review are recorded."


def test_reminders_go_to_late_employees_and_late_managers_only(org, claims_profile, cycle):
    on_time = DATES["self_assessment_due"]
    assert send_review_reminders(acting_user=org.coordinator, cycle=cycle, today=on_time) == 0
    late = DATES["manager_assessment_due"] + datetime.timedelta(days=1)
    assert send_review_reminders(acting_user=org.coordinator, cycle=cycle, today=late) == 2
    assert org.employee_user.notifications.filter(message__startswith="Reminder").exists()
    assert org.claims_manager.notifications.get().message == (
        "Reminder: your assessment of Mo Handler in 2026 annual review was due on 30 Mar 2026."
    )
    with pytest.raises(PermissionDenied):
        send_review_reminders(acting_user=org.claims_manager, cycle=cycle, today=late)
