"""What the gap analytics keep in the database: the structure token of the cached engine and a
short log of employees whose place changed."""

from __future__ import annotations

import datetime

from django.db import models, transaction
from django.utils import timezone


class GapStructure(models.Model):
    """One row whose `token` changes whenever the organisation's structure changes.

    Structure means what the gap engine is built from apart from agreed levels and the place of
    known employees (`EmployeeChange`): new and deleted employees, the unit tree, active job
    profiles and their requirements. Every web worker compares the token with the one its
    cached engine was built at and reloads when they differ; a random token (not a counter)
    stays unique even when a transaction that bumped it is rolled back.
    """

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "gap analysis structure version"

    def __str__(self) -> str:
        return f"structure {self.token} ({self.changed_at:%Y-%m-%d %H:%M})"


class EmployeeChange(models.Model):
    """One row per save that changed an employee's unit, job profile or active flag.

    Append-only: each web worker reads the rows above the highest id it has applied and moves
    those people in its cached engine (`GapEngine.set_employee`) instead of reloading it. The
    row only names the employee (no foreign key, so deleting an employee never touches it); the
    worker reads their current unit and profile. Rows older than `RETENTION` are deleted by the
    writer; a worker that has not looked for half that time reloads instead of trusting them.
    """

    RETENTION = datetime.timedelta(days=1)

    employee_id = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "gap analysis employee change"

    def __str__(self) -> str:
        return f"employee {self.employee_id} changed ({self.created_at:%Y-%m-%d %H:%M})"

    @classmethod
    def record(cls, employee_id: int) -> EmployeeChange:
        """Log a change of one employee's place and prune rows past `RETENTION`."""
        now = timezone.now()
        with transaction.atomic():  # one commit for both when the caller is in autocommit
            cls.objects.filter(created_at__lt=now - cls.RETENTION).delete()
            return cls.objects.create(employee_id=employee_id, created_at=now)
