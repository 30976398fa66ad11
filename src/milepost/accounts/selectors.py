"""Reads for accounts, narrowed to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from milepost.accounts.access import AnyUser, unit_filter
from milepost.accounts.models import Notification, OrgUnit


def visible_units(user: AnyUser) -> QuerySet[OrgUnit]:
    units = OrgUnit.objects.all()
    scope = unit_filter(user)
    return units if scope is None else units.filter(scope)


def home_summary(user: AnyUser) -> dict[str, Any]:
    """Counts for the start page, each limited to what the user may see."""
    from milepost.frameworks.models import Competency, Framework, JobProfile
    from milepost.people.selectors import visible_employees

    return {
        "frameworks": Framework.objects.count(),
        "competencies": Competency.objects.exclude(kind=Competency.Kind.GROUP).count(),
        "job_profiles": JobProfile.objects.filter(is_active=True).count(),
        "units": visible_units(user).count(),
        "employees": visible_employees(user).count(),
    }


def notifications_of(user: AnyUser) -> QuerySet[Notification]:
    """The user's own notifications, newest first (nobody reads another's inbox)."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def unread_notification_count(user: AnyUser) -> int:
    return notifications_of(user).filter(read_at__isnull=True).count()
