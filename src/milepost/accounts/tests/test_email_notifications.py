"""Notifications by email beside the in-app inbox: sent after commit, when the person wants them."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from milepost.accounts.models import Notification
from milepost.accounts.notifications import emails_held
from milepost.accounts.services import notify, notify_many
from milepost.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@override_settings(SITE_URL="https://milepost.example.com")
def test_notify_emails_the_recipient_after_commit_with_an_absolute_link(
    django_capture_on_commit_callbacks,
):
    clara = UserFactory.create(username="clara", email="clara@example.test")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipient=clara, message="Your need “Calm callers” is now planned.", url="/needs/7/")
        assert mail.outbox == []  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["clara@example.test"]
    assert "Calm callers" in email.subject
    assert "https://milepost.example.com/needs/7/" in email.body
    assert "https://milepost.example.com/accounts/notifications/settings/" in email.body
    assert Notification.objects.filter(user=clara).count() == 1


def test_no_email_when_the_person_turned_emails_off_or_has_no_address(
    django_capture_on_commit_callbacks,
):
    quiet = UserFactory.create(username="quiet", email_notifications=False)
    nowhere = UserFactory.create(username="nowhere", email="")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=quiet, message="Hello")
        notify(recipient=nowhere, message="Hello")
    assert mail.outbox == []
    assert Notification.objects.count() == 2  # the inbox still has both


def test_a_rolled_back_notification_sends_no_email(django_capture_on_commit_callbacks):
    clara = UserFactory.create(username="clara")
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(recipient=clara, message="Never happened")
        raise RuntimeError("the write failed")
    assert mail.outbox == []


def test_notify_many_emails_each_recipient_who_wants_it(django_capture_on_commit_callbacks):
    ann = UserFactory.create(username="ann")
    bob = UserFactory.create(username="bob", email_notifications=False)
    with django_capture_on_commit_callbacks(execute=True):
        notify_many([(ann, "Cycle open", "/people/reviews/1/"), (bob.pk, "Cycle open", "")])
    assert [email.to for email in mail.outbox] == [[ann.email]]


def test_emails_held_sends_nothing_but_keeps_the_inbox(django_capture_on_commit_callbacks):
    ann = UserFactory.create(username="ann")
    with django_capture_on_commit_callbacks(execute=True), emails_held():
        notify(recipient=ann, message="Built by the demo")
        notify_many([(ann, "Built by the demo too", "")])
    assert mail.outbox == []
    assert Notification.objects.filter(user=ann).count() == 2


def test_settings_page_turns_emails_off_and_on(org, login):
    client = login(org.employee_user)
    page = client.get(reverse("notification-settings"))
    assert page.status_code == 200
    assert org.employee_user.email.encode() in page.content
    assert client.post(reverse("notification-settings"), {}).status_code == 302
    org.employee_user.refresh_from_db()
    assert org.employee_user.email_notifications is False
    client.post(reverse("notification-settings"), {"email_notifications": "on"})
    org.employee_user.refresh_from_db()
    assert org.employee_user.email_notifications is True


def test_settings_page_says_when_there_is_no_address_to_send_to(login):
    nowhere = UserFactory.create(username="nowhere", email="")
    page = login(nowhere).get(reverse("notification-settings"))
    assert b"no email address" in page.content


def test_a_message_with_line_breaks_still_makes_a_one_line_subject(
    django_capture_on_commit_callbacks,
):
    ann = UserFactory.create(username="ann")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=ann, message="New need: \u201cAngry\r\ncallers\u201d")
    assert mail.outbox[0].subject == "Milepost: New need: \u201cAngry callers\u201d"
    assert "Angry\r\ncallers" in mail.outbox[0].body
