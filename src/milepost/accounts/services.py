"""Writes for accounts: API tokens, notifications, organisation-unit paths."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from milepost.accounts.models import ApiToken, Notification, OrgUnit, User
from milepost.accounts.notifications import email_after_commit

DEFAULT_LIFETIME = object()  # the API_TOKEN_LIFETIME_DAYS setting


def issue_api_token(
    *,
    acting_user: User,
    name: str,
    scope: str = ApiToken.Scope.READ_WRITE,
    lifetime_days: int | object | None = DEFAULT_LIFETIME,
) -> tuple[ApiToken, str]:
    """Create a token for `acting_user`; the raw value is returned once and never stored.

    It expires after `lifetime_days` (the API_TOKEN_LIFETIME_DAYS setting unless given; None:
    never) and reads only or reads and writes (`scope`).
    """
    days: object = lifetime_days
    if lifetime_days is DEFAULT_LIFETIME:
        days = settings.API_TOKEN_LIFETIME_DAYS or None  # 0: no expiry by default
    errors = {}
    if scope not in ApiToken.Scope.values:
        choices = ", ".join(ApiToken.Scope.values)
        errors["scope"] = [f"'{scope}' is not a scope: use one of {choices}."]
    if days is not None and (not isinstance(days, int) or days < 1):
        errors["lifetime_days"] = ["A token lives at least 1 day (or choose no expiry)."]
    if errors:
        raise ValidationError(errors)
    expires_at = None
    if isinstance(days, int):
        expires_at = timezone.now() + datetime.timedelta(days=days)
    return ApiToken.issue(user=acting_user, name=name[:100], scope=scope, expires_at=expires_at)


def revoke_api_token(*, acting_user: User, token_id: int) -> None:
    deleted, _ = ApiToken.objects.filter(user=acting_user, pk=token_id).delete()
    if not deleted:
        raise Http404("No such token.")


def notify(*, recipient: User, message: str, url: str = "") -> Notification:
    """Put a message in `recipient`'s in-app inbox, and email it after commit if they want."""
    note = Notification.objects.create(user=recipient, message=message[:500], url=url[:300])
    email_after_commit([note])
    return note


def notify_many(messages: Iterable[tuple[User | int, str, str]]) -> int:
    """Put many (user or user id, message, url) messages in inboxes with one insert; each is
    emailed after commit to recipients who want email."""
    rows = [
        Notification(
            user_id=user if isinstance(user, int) else user.pk,
            message=message[:500],
            url=url[:300],
        )
        for user, message, url in messages
    ]
    created = Notification.objects.bulk_create(rows, batch_size=1000)
    email_after_commit(created)
    return len(rows)


@transaction.atomic
def set_email_notifications(*, acting_user: User, enabled: bool) -> None:
    """Whether `acting_user`'s notifications are also sent to their email address."""
    acting_user.email_notifications = enabled
    acting_user.save(update_fields=["email_notifications"])


def mark_notifications_read(*, acting_user: User, notification_ids: list[int] | None = None) -> int:
    """Mark some (or, with None, all) of `user`'s unread notifications read; returns how many."""
    unread = Notification.objects.filter(user=acting_user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())


@transaction.atomic
def rebuild_unit_paths() -> int:
    """Recompute every unit's materialised path from the parent links (after a bulk import).

    Raises ValueError naming a unit that sits in a cycle.
    """
    units = list(OrgUnit.objects.only("pk", "code", "parent_id", "path", "depth"))
    by_id = {unit.pk: unit for unit in units}
    resolved: dict[int, tuple[str, int]] = {}

    def resolve(unit: OrgUnit) -> tuple[str, int]:
        chain: list[OrgUnit] = []
        seen: set[int] = set()
        current: OrgUnit | None = unit
        while current is not None and current.pk not in resolved:
            if current.pk in seen:
                raise ValueError(f"unit '{current.code}' is in a cycle of parent units")
            seen.add(current.pk)
            chain.append(current)
            current = by_id.get(current.parent_id) if current.parent_id else None
        base_path, base_depth = resolved[current.pk] if current is not None else ("/", -1)
        for node in reversed(chain):
            base_path, base_depth = f"{base_path}{node.pk}/", base_depth + 1
            resolved[node.pk] = (base_path, base_depth)
        return resolved[unit.pk]

    changed = []
    for unit in units:
        path, depth = resolve(unit)
        if (unit.path, unit.depth) != (path, depth):
            unit.path, unit.depth = path, depth
            changed.append(unit)
    OrgUnit.objects.bulk_update(changed, ["path", "depth"], batch_size=500)
    return len(changed)
