"""Reads for accounts, narrowed to what the user may see."""

from __future__ import annotations

from django.db.models import QuerySet

from milepost.accounts.access import AnyUser, unit_filter
from milepost.accounts.models import Notification, OrgUnit


def visible_units(user: AnyUser) -> QuerySet[OrgUnit]:
    units = OrgUnit.objects.all()
    scope = unit_filter(user)
    return units if scope is None else units.filter(scope)


def notifications_of(user: AnyUser) -> QuerySet[Notification]:
    """The user's own notifications, newest first (nobody reads another's inbox)."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def unread_notification_count(user: AnyUser) -> int:
    return notifications_of(user).filter(read_at__isnull=True).count()
