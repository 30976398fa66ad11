"""Notifications by email, beside the in-app inbox.

`services.notify` and `notify_many` write the inbox rows; once the transaction commits, the
recipients who want email (`User.email_notifications`, with an address) are sent one each, by a
background task so a slow mail server never holds a page up. `emails_held()` stops the sending
for bulk writes that are not news to anyone (building the demo).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django_tasks import task

from milepost.accounts.models import Notification

logger = logging.getLogger(__name__)

_held: ContextVar[bool] = ContextVar("milepost_emails_held", default=False)
SUBJECT_LENGTH = 78


@contextmanager
def emails_held() -> Iterator[None]:
    """Inside this block notifications reach the inbox only: no email is sent."""
    token = _held.set(True)
    try:
        yield
    finally:
        _held.reset(token)


def email_after_commit(notifications: Sequence[Notification]) -> None:
    """Queue the emails of these new inbox rows for when the current transaction commits."""
    if _held.get():
        return
    ids = [note.pk for note in notifications if note.pk is not None]
    if ids:
        transaction.on_commit(lambda: send_notification_emails.enqueue(notification_ids=ids))


def absolute_url(path: str) -> str:
    """A link for outside the browser: SITE_URL in front of a path of this site."""
    if not path or "://" in path:
        return path
    return settings.SITE_URL.rstrip("/") + path


def _email(note: Notification) -> EmailMessage:
    # A header cannot hold a line break (a need's title may, through the API).
    subject = " ".join(f"Milepost: {note.message}".split())
    if len(subject) > SUBJECT_LENGTH:
        subject = subject[: SUBJECT_LENGTH - 1].rstrip() + "…"
    lines = [f"Hello {note.user.first_name or note.user.username},", "", note.message]
    if note.url:
        lines += ["", f"Open it in Milepost: {absolute_url(note.url)}"]
    lines += [
        "",
        "--",
        "You receive this because email notifications are on for your Milepost account.",
        f"Turn them off: {absolute_url(reverse('notification-settings'))}",
    ]
    return EmailMessage(subject=subject, body="\n".join(lines), to=[note.user.email])


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    """Email these notifications to recipients who still want email; returns how many went."""
    notes = (
        Notification.objects.filter(
            pk__in=notification_ids, user__email_notifications=True, user__is_active=True
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )
    emails = [_email(note) for note in notes]
    if not emails:
        return 0
    try:
        return get_connection().send_messages(emails) or 0
    except Exception:
        logger.exception(
            "Could not email notifications %s; check the EMAIL_* settings (docs/deploying.md).",
            notification_ids,
        )
        raise
