"""Reads for the home page and the audit trail, each narrowed to what the user may see."""

from __future__ import annotations

import datetime
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from milepost.accounts import audit
from milepost.accounts.access import AnyUser, can_view_audit_trail
from milepost.accounts.selectors import visible_units
from milepost.frameworks.models import Competency, Framework, JobProfile
from milepost.people.selectors import visible_employees


def home_summary(user: AnyUser) -> dict[str, Any]:
    """Counts for the start page, each limited to what the user may see."""
    return {
        "frameworks": Framework.objects.count(),
        "competencies": Competency.objects.exclude(kind=Competency.Kind.GROUP).count(),
        "job_profiles": JobProfile.objects.filter(is_active=True).count(),
        "units": visible_units(user).count(),
        "employees": visible_employees(user).count(),
    }


def audit_entries(
    user: AnyUser,
    *,
    model: type[Model] | None = None,
    kind: str = "",
    actor: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    text: str = "",
) -> QuerySet[LogEntry]:
    """The audit trail, newest first, for those who may read it (nothing for anyone else).

    `actor` matches a user name, name or e-mail; `text` the object's name as it was recorded;
    `since` and `until` are days in the site's time zone, both included.
    """
    if not can_view_audit_trail(user):
        return LogEntry.objects.none()
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")
    if model is not None:
        entries = entries.filter(content_type=ContentType.objects.get_for_model(model))
    if kind:
        entries = entries.filter(audit.kind_filter(kind))
    if actor:
        entries = entries.filter(
            Q(actor__username__icontains=actor)
            | Q(actor__first_name__icontains=actor)
            | Q(actor__last_name__icontains=actor)
            | Q(actor_email__icontains=actor)
        )
    zone = timezone.get_current_timezone()
    if since is not None:
        entries = entries.filter(
            timestamp__gte=datetime.datetime.combine(since, datetime.time.min, tzinfo=zone)
        )
    if until is not None:
        next_day = until + datetime.timedelta(days=1)
        entries = entries.filter(
            timestamp__lt=datetime.datetime.combine(next_day, datetime.time.min, tzinfo=zone)
        )
    if text:
        entries = entries.filter(object_repr__icontains=text)
    return entries
