"""An agreed level is not rewritten by one party, nor backdated (issue 11, defect 3).

Once a level is agreed, a change needs a new agreement of both parties with a reason, kept in
history; assessment dates are plausible (not before the person started, not in the future).
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from milepost.accounts.models import Notification
from milepost.lib.tabular import ImportFailed
from milepost.people.models import AgreedLevelChange, Assessment
from milepost.people.services import (
    answer_agreed_change,
    current_agreed,
    propose_agreed_change,
    record_assessment,
    withdraw_agreed_change,
)
from milepost.reviews.importers import import_assessments_csv
from milepost.reviews.models import ReviewParticipant
from milepost.reviews.services import Rating, open_review_cycle, submit_review_ratings

pytestmark = pytest.mark.django_db

OPENS = datetime.date(2026, 3, 2)


def open_cycle(org, name: str):
    """A cycle over Claims that opened on OPENS and is still open."""
    return open_review_cycle(
        acting_user=org.coordinator,
        name=name,
        units=[org.claims],
        opens_on=OPENS,
        self_assessment_due=OPENS + datetime.timedelta(days=14),
        manager_assessment_due=OPENS + datetime.timedelta(days=28),
        closes_on=timezone.localdate() + datetime.timedelta(days=30),
    )


@pytest.fixture
def agreed_review(org, claims_profile) -> ReviewParticipant:
    """The motor handler's review with self, manager and agreed sheets in (negotiation at 3)."""
    cycle = open_cycle(org, "2026 annual review")
    review = cycle.participants.get(employee=org.motor_handler)
    sheets = (
        (org.employee_user, "self", 4),
        (org.claims_manager, "manager", 2),
        (org.claims_manager, "agreed", 3),
    )
    for user, kind, level in sheets:
        submit_review_ratings(
            acting_user=user,
            participant=review,
            kind=kind,
            ratings=[
                Rating(claims_profile.negotiation.pk, level),
                Rating(claims_profile.fraud_awareness.pk, 2),
            ],
        )
    review.refresh_from_db()
    return review


def agreed_level(employee, competency) -> int | None:
    agreed = current_agreed(employee, competency)
    return None if agreed is None else agreed.level


def sheet(profile, level: int) -> list[Rating]:
    return [Rating(profile.negotiation.pk, level), Rating(profile.fraud_awareness.pk, 2)]


def test_an_agreed_review_takes_no_second_agreed_sheet(org, claims_profile, agreed_review):
    with pytest.raises(ValidationError, match="was agreed on"):
        submit_review_ratings(
            acting_user=org.claims_manager,
            participant=agreed_review,
            kind="agreed",
            ratings=sheet(claims_profile, 1),
        )
    assert agreed_level(org.motor_handler, claims_profile.negotiation) == 3


def test_an_agreed_review_takes_no_new_self_sheet(org, claims_profile, agreed_review):
    with pytest.raises(ValidationError, match="was agreed on"):
        submit_review_ratings(
            acting_user=org.employee_user,
            participant=agreed_review,
            kind="self",
            ratings=sheet(claims_profile, 5),
        )


def test_a_manager_cannot_record_a_new_agreed_level_alone(org, claims_profile, agreed_review):
    with pytest.raises(ValidationError) as caught:
        record_assessment(
            acting_user=org.claims_manager,
            employee=org.motor_handler,
            competency=claims_profile.negotiation,
            kind="agreed",
            level=1,
            assessed_on=timezone.localdate(),
        )
    assert "propose a change" in caught.value.message_dict["kind"][0]
    assert agreed_level(org.motor_handler, claims_profile.negotiation) == 3


def test_the_api_refuses_a_lone_agreed_rewrite_with_a_422(
    org, claims_profile, agreed_review, login
):
    response = login(org.claims_manager).post(
        f"/api/v1/employees/{org.motor_handler.pk}/assessments",
        {"competency_id": claims_profile.negotiation.pk, "kind": "agreed", "level": 1},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["kind"]


@pytest.mark.parametrize(
    ("kind", "day", "words"),
    [
        ("agreed", datetime.date(1900, 1, 1), "before 1970-01-01"),
        ("self", datetime.date(1, 1, 1), "before 1970-01-01"),
        ("manager", datetime.date(2019, 5, 1), "before Mo Handler started (2020-01-06)"),
        ("manager", timezone.localdate() + datetime.timedelta(days=1), "in the future"),
    ],
)
def test_implausible_dates_are_refused(org, claims_profile, kind, day, words):
    org.motor_handler.start_date = datetime.date(2020, 1, 6) if "started" in words else None
    org.motor_handler.save()
    user = org.employee_user if kind == "self" else org.claims_manager
    with pytest.raises(ValidationError) as caught:
        record_assessment(
            acting_user=user,
            employee=org.motor_handler,
            competency=claims_profile.negotiation,
            kind=kind,
            level=3,
            assessed_on=day,
        )
    assert words in caught.value.message_dict["assessed_on"][0]
    assert not Assessment.objects.exists()


def test_a_review_sheet_dated_before_the_cycle_opened_is_refused(org, claims_profile):
    cycle = open_cycle(org, "Spring")
    with pytest.raises(ValidationError, match="before the cycle opened"):
        submit_review_ratings(
            acting_user=org.employee_user,
            participant=cycle.participants.get(employee=org.motor_handler),
            kind="self",
            ratings=sheet(claims_profile, 3),
            assessed_on=datetime.date(2025, 6, 1),
        )


def test_the_import_refuses_a_rating_dated_before_the_person_started(
    tmp_path: Path, org, claims_profile
):
    org.motor_handler.start_date = datetime.date(2020, 1, 6)
    org.motor_handler.save()
    framework = claims_profile.negotiation.framework
    path = tmp_path / "ratings.csv"
    path.write_text(
        "employee_id,framework_code,competency_code,kind,level,assessed_on\n"
        f"{org.motor_handler.employee_id},{framework.code},{claims_profile.negotiation.code},"
        "agreed,3,1900-01-01\n"
    )
    with pytest.raises(ImportFailed) as caught:
        import_assessments_csv(path, acting_user=org.coordinator)
    assert "ratings.csv, row 2, field assessed_on" in "\n".join(caught.value.errors)
    assert "before Mo Handler started" in "\n".join(caught.value.errors)


def test_a_change_needs_the_other_party_and_keeps_history(org, claims_profile, agreed_review):
    negotiation = claims_profile.negotiation
    change = propose_agreed_change(
        acting_user=org.claims_manager,
        employee=org.motor_handler,
        competency=negotiation,
        to_level=1,
        reason="Three complaints upheld since the review.",
    )
    assert (change.from_level, change.to_level) == (3, 1)
    # Nothing moves until the employee agrees; they are asked in their inbox.
    assert agreed_level(org.motor_handler, negotiation) == 3
    assert Notification.objects.filter(user=org.employee_user, message__contains="from 3 to 1")
    # Neither the proposer nor a third party may answer for the employee.
    for outsider in (org.claims_manager, org.coordinator):
        with pytest.raises(PermissionDenied):
            answer_agreed_change(acting_user=outsider, change=change, agree=True)
    answer_agreed_change(acting_user=org.employee_user, change=change, agree=True)
    change.refresh_from_db()
    assert change.status == AgreedLevelChange.Status.CONFIRMED
    assert change.answered_by == org.employee_user
    agreed = current_agreed(org.motor_handler, negotiation)
    assert agreed is not None and agreed.level == 1 and agreed == change.assessment
    assert "Three complaints upheld" in agreed.note
    history = Assessment.objects.filter(
        employee=org.motor_handler, competency=negotiation, kind="agreed"
    )
    assert sorted(history.values_list("level", flat=True)) == [1, 3]


def test_the_employee_may_propose_and_the_manager_decline(org, claims_profile, agreed_review):
    change = propose_agreed_change(
        acting_user=org.employee_user,
        employee=org.motor_handler,
        competency=claims_profile.negotiation,
        to_level=4,
        reason="I now lead the negotiation clinic.",
    )
    with pytest.raises(PermissionDenied):
        answer_agreed_change(acting_user=org.employee_user, change=change, agree=True)
    answer_agreed_change(acting_user=org.claims_manager, change=change, agree=False)
    assert agreed_level(org.motor_handler, claims_profile.negotiation) == 3
    change.refresh_from_db()
    assert change.status == AgreedLevelChange.Status.DECLINED
    with pytest.raises(ValidationError, match="already declined"):
        answer_agreed_change(acting_user=org.claims_manager, change=change, agree=True)


def test_a_change_needs_a_reason_a_new_level_and_no_other_open_change(
    org, claims_profile, agreed_review
):
    negotiation = claims_profile.negotiation
    with pytest.raises(ValidationError) as caught:
        propose_agreed_change(
            acting_user=org.claims_manager,
            employee=org.motor_handler,
            competency=negotiation,
            to_level=3,
            reason="",
        )
    assert set(caught.value.message_dict) == {"to_level", "reason"}
    change = propose_agreed_change(
        acting_user=org.claims_manager,
        employee=org.motor_handler,
        competency=negotiation,
        to_level=2,
        reason="Two files reopened in May.",
    )
    with pytest.raises(ValidationError, match="already waiting"):
        propose_agreed_change(
            acting_user=org.employee_user,
            employee=org.motor_handler,
            competency=negotiation,
            to_level=4,
            reason="I disagree with the manager.",
        )
    with pytest.raises(PermissionDenied):
        withdraw_agreed_change(acting_user=org.employee_user, change=change)
    withdraw_agreed_change(acting_user=org.claims_manager, change=change)
    change.refresh_from_db()
    assert change.status == AgreedLevelChange.Status.WITHDRAWN


def test_only_the_two_parties_propose(org, claims_profile, agreed_review):
    with pytest.raises(PermissionDenied):
        propose_agreed_change(
            acting_user=org.executive,
            employee=org.motor_handler,
            competency=claims_profile.negotiation,
            to_level=1,
            reason="The numbers say so, apparently.",
        )


def test_the_employee_page_proposes_and_answers(org, claims_profile, agreed_review, client):
    page = reverse("people:employee-detail", args=[org.motor_handler.pk])
    client.force_login(org.claims_manager)
    assert "Propose a change to an agreed level" in client.get(page).content.decode()
    response = client.post(
        reverse("people:agreed-change-propose", args=[org.motor_handler.pk]),
        {
            "competency": claims_profile.negotiation.pk,
            "to_level": 2,
            "reason": "Reopened <b>two</b> files in May.",
        },
    )
    assert response.status_code == 302
    change = AgreedLevelChange.objects.get()
    client.force_login(org.employee_user)
    html = client.get(page).content.decode()
    assert "Reopened &lt;b&gt;two&lt;/b&gt; files" in html
    assert reverse("people:agreed-change-answer", args=[change.pk]) in html
    response = client.post(
        reverse("people:agreed-change-answer", args=[change.pk]), {"answer": "agree"}
    )
    assert response.status_code == 302
    assert agreed_level(org.motor_handler, claims_profile.negotiation) == 2
