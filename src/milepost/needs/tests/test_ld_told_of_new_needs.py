"""The L&D team (coordinators) hears of each need raised: in the inbox, and by email if wanted."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from milepost.accounts.models import Notification, Role
from milepost.needs.models import Need
from milepost.needs.services import submit_need
from milepost.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

ANGRY_CALLERS = (
    "Our claims handlers struggle with angry callers since the new policy wording; "
    "calls escalate and end in complaints."
)


def test_every_coordinator_is_told_in_the_inbox_and_by_email_when_a_need_is_raised(
    org, login, django_capture_on_commit_callbacks
):
    second = UserFactory.create(username="coordinator.two", role=Role.COORDINATOR)
    UserFactory.create(username="gone", role=Role.COORDINATOR, is_active=False)
    form = {
        "title": "Angry callers",
        "description": ANGRY_CALLERS,
        "unit": org.motor_team.pk,
        "people_affected": "25",
        "urgency": "3",
        "impact": "4",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = login(org.employee_user).post(reverse("needs:need-create"), form)
    assert response.status_code == 302
    need = Need.objects.get()
    told = Notification.objects.filter(url=reverse("needs:need-detail", args=[need.pk]))
    assert sorted(told.values_list("user__username", flat=True)) == [
        "coordinator",
        "coordinator.two",
    ]
    message = told.get(user=org.coordinator).message
    assert "Angry callers" in message and "Motor claims" in message
    assert sorted(email.to[0] for email in mail.outbox) == sorted(
        [org.coordinator.email, second.email]
    )


def test_a_coordinator_raising_a_need_is_not_told_of_their_own_need(org):
    submit_need(
        acting_user=org.coordinator,
        title="Angry callers",
        description=ANGRY_CALLERS,
        unit=org.motor_team,
        suggest=False,
    )
    assert not Notification.objects.filter(user=org.coordinator).exists()


def test_a_coordinator_who_turned_email_off_still_finds_it_in_the_inbox(
    org, django_capture_on_commit_callbacks
):
    org.coordinator.email_notifications = False
    org.coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        submit_need(
            acting_user=org.employee_user,
            title="Angry callers",
            description=ANGRY_CALLERS,
            unit=org.motor_team,
            suggest=False,
        )
    assert Notification.objects.filter(user=org.coordinator).count() == 1
    assert mail.outbox == []
