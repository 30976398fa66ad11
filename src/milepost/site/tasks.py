"""Background work that spans apps (django-tasks; `milepost db_worker` runs it in production)."""

from __future__ import annotations

from django_tasks import task

from milepost.site import privacy


@task()
def apply_retention_task() -> int:
    """Erase leavers past RETENTION_LEAVER_DAYS; returns how many were erased."""
    return len(privacy.apply_retention())
