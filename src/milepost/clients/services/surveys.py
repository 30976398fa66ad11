"""Service satisfaction: the owner sends a client's contacts a one-time survey link; a contact
answers it once, before it expires (docs/clients.md, surveys).

A link carries a random token; only its SHA-256 digest is stored, so a copy of the database
cannot answer anyone's survey. Answering needs no login: the token is the respondent.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from milepost.accounts.models import User
from milepost.clients.models import (
    SURVEY_ITEMS,
    Client,
    Contact,
    SurveyInvitation,
    SurveyResponse,
)
from milepost.clients.services.clients import require_editor
from milepost.clients.services.health import refresh_health

INVITATION_DAYS = 30
SURVEY_STAGE = "Service review"  # the stage of the shipped journey where surveys belong
COMMENT_MAX = 5000
TOKEN_BYTES = 32


class SurveyLinkError(Exception):
    """A survey link that cannot be answered: unknown (or tampered with), used, or expired."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason  # "unknown", "answered" or "expired"
        self.message = message


@dataclass
class SentSurvey:
    invitations: list[SurveyInvitation] = field(default_factory=list)
    already_invited: list[Contact] = field(default_factory=list)  # an open link in hand
    without_email: list[Contact] = field(default_factory=list)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def stage_warning(client: Client) -> str:
    """What to tell the sender when the client is not at the service-review stage ('' if it is)."""
    if client.stage is not None and client.stage.name == SURVEY_STAGE:
        return ""
    where = f"at {client.stage.name}" if client.stage is not None else "at no stage yet"
    return (
        f"{client.name} is {where}, not at {SURVEY_STAGE}: a survey usually follows delivery. "
        "You can still send it."
    )


def survey_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("clients:survey-answer", args=[token])


def issue_invitation(
    *, client: Client, contact: Contact, sent_by: User | None, now: datetime.datetime | None = None
) -> tuple[SurveyInvitation, str]:
    """A new invitation and its raw token (shown once, in the email; never stored)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    moment = now or timezone.now()
    invitation = SurveyInvitation.objects.create(
        client=client,
        contact=contact,
        token_digest=token_digest(token),
        sent_by=sent_by,
        expires_at=moment + datetime.timedelta(days=INVITATION_DAYS),
    )
    return invitation, token


def _email(client: Client, contact: Contact, sender: User, token: str) -> EmailMessage:
    sender_name = sender.get_full_name() or sender.username
    body = (
        f"Dear {contact.name},\n\n"
        f"Thank you for working with us. How satisfied is {client.name} with the training "
        "service? Five short questions and room for a comment; it takes two minutes:\n\n"
        f"{survey_url(token)}\n\n"
        f"The link is yours alone, works once and expires in {INVITATION_DAYS} days.\n\n"
        f"{sender_name}\n"
    )
    return EmailMessage(
        subject=f"How are we doing? A short survey for {client.name}",
        body=body,
        to=[contact.email],
        reply_to=[sender.email] if sender.email else None,
    )


@transaction.atomic
def send_survey(*, acting_user: User, client: Client) -> SentSurvey:
    """Email each active contact of `client` with an email address a unique survey link.

    Contacts still holding an open link are skipped. Any stage is allowed (stage_warning says
    when it is not the service review). Nothing is kept if an email cannot be sent."""
    require_editor(acting_user, client)
    now = timezone.now()
    contacts = list(client.contacts.filter(is_active=True).order_by("name", "pk"))
    open_ids = set(
        SurveyInvitation.objects.filter(
            client=client, answered_at__isnull=True, expires_at__gt=now
        ).values_list("contact_id", flat=True)
    )
    sent = SentSurvey()
    messages = []
    for contact in contacts:
        if not contact.email:
            sent.without_email.append(contact)
        elif contact.pk in open_ids:
            sent.already_invited.append(contact)
        else:
            invitation, token = issue_invitation(
                client=client, contact=contact, sent_by=acting_user, now=now
            )
            sent.invitations.append(invitation)
            messages.append(_email(client, contact, acting_user, token))
    if not sent.invitations:
        if sent.already_invited:
            raise ValidationError(
                f"Every contact of {client.name} with an email address already has an open "
                "survey link; a new one can be sent when theirs is answered or expires."
            )
        raise ValidationError(
            f"{client.name} has no active contact with an email address: add one first."
        )
    try:
        get_connection().send_messages(messages)
    except OSError as exc:  # SMTP down: keep nothing, say so
        raise ValidationError(f"The survey emails could not be sent ({exc}); try again.") from exc
    return sent


def open_invitation(token: str, *, now: datetime.datetime | None = None) -> SurveyInvitation:
    """The invitation a link stands for, if it can still be answered (SurveyLinkError if not)."""
    invitation = (
        SurveyInvitation.objects.select_related("client", "contact")
        .filter(token_digest=token_digest(token))
        .first()
    )
    return _check(invitation, now or timezone.now())


def _check(invitation: SurveyInvitation | None, now: datetime.datetime) -> SurveyInvitation:
    if invitation is None:
        raise SurveyLinkError(
            "unknown",
            "This survey link is not valid. Check that the whole link was copied from the email.",
        )
    if invitation.answered_at is not None:
        raise SurveyLinkError(
            "answered", "This survey has already been answered. Thank you for your answers."
        )
    if invitation.expires_at <= now:
        raise SurveyLinkError(
            "expired",
            f"This survey link expired on {timezone.localtime(invitation.expires_at):%d %B %Y}. "
            "Ask your contact at the training team for a new one.",
        )
    return invitation


def clean_answers(
    *, recommend: int | None, items: dict[str, int | None], comment: str
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if recommend is None or not 0 <= recommend <= 10:
        errors["recommend"] = "Choose a number from 0 (not at all likely) to 10 (extremely likely)."
    for key, label in SURVEY_ITEMS:
        value = items.get(key)
        if value is None or not 1 <= value <= 5:
            errors[key] = f"'{label}': choose from 1 (strongly disagree) to 5 (strongly agree)."
    if len(comment) > COMMENT_MAX:
        errors["comment"] = f"Keep the comment under {COMMENT_MAX:,} characters."
    return errors


@transaction.atomic
def answer_survey(
    *, token: str, recommend: int | None, items: dict[str, int | None], comment: str = ""
) -> SurveyResponse:
    """Record the answers a link's holder gave, once; refreshes the client's health.

    The invitation row is locked while answering, so two submissions racing each other give one
    response and one SurveyLinkError("answered")."""
    now = timezone.now()
    invitation = _check(
        SurveyInvitation.objects.select_for_update()
        .filter(token_digest=token_digest(token))
        .first(),
        now,
    )
    comment = comment.strip()
    errors = clean_answers(recommend=recommend, items=items, comment=comment)
    if errors:
        raise ValidationError(errors)
    assert recommend is not None
    response = SurveyResponse.objects.create(
        invitation=invitation,
        client_id=invitation.client_id,
        recommend=recommend,
        items={key: items[key] for key, _ in SURVEY_ITEMS},
        comment=comment,
    )
    invitation.answered_at = now
    invitation.save(update_fields=["answered_at"])
    refresh_health(client=Client.objects.get(pk=invitation.client_id))
    return response
