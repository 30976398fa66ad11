"""Employees and their dated competency assessments (the evidence log)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from milepost.accounts.models import OrgUnit
from milepost.frameworks.models import Competency, JobProfile


class Employee(models.Model):
    employee_id = models.CharField("employee ID", max_length=64, unique=True)
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    email = models.EmailField(blank=True, db_index=True)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="employees")
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    job_title = models.CharField(max_length=300, blank=True)
    job_profile = models.ForeignKey(
        JobProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="employees"
    )
    start_date = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    left_on = models.DateField(
        null=True,
        blank=True,
        help_text="When they left (set on deactivation); retention counts from here.",
    )
    erased_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When their personal data was erased (docs/privacy.md); figures are kept.",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employee",
    )

    class Meta:
        ordering = ["last_name", "first_name", "employee_id"]
        indexes = [models.Index(fields=["unit", "last_name"])]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A leaver's date starts the retention clock (settings.RETENTION_LEAVER_DAYS).
        left_on = self.left_on
        if not self.is_active and left_on is None:
            self.left_on = timezone.localdate()
        elif self.is_active and left_on is not None:
            self.left_on = None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and self.left_on != left_on:
            kwargs["update_fields"] = {*update_fields, "left_on"}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Assessment(models.Model):
    """One rating of one competency for one employee, on one date, by one person.

    Assessments are append-only: a new rating is a new row, so the history of every
    employee-competency pair is kept. The current level of a kind is its latest row.
    """

    class Kind(models.TextChoices):
        SELF = "self", "Self"
        MANAGER = "manager", "Manager"
        AGREED = "agreed", "Agreed"

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="assessments")
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="assessments")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    level = models.PositiveSmallIntegerField()
    assessed_on = models.DateField()
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assessments_made",
    )

    class Source(models.TextChoices):
        DIRECT = "direct", "Recorded directly"
        REVIEW = "review", "Review cycle"
        IMPORT = "import", "Import"
        TRAINING = "training", "Training completion"

    note = models.TextField(blank=True)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.DIRECT)
    cycle = models.ForeignKey(
        "reviews.ReviewCycle",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments",
        help_text="The review cycle this rating was given in, if any.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["employee", "competency", "kind", "-assessed_on", "-created_at"]
        indexes = [
            models.Index(fields=["employee", "competency", "kind", "assessed_on"]),
            models.Index(fields=["competency", "kind"]),
        ]

    def __str__(self) -> str:
        return f"{self.employee} / {self.competency}: {self.kind} {self.level}"


class AgreedLevelChange(models.Model):
    """A proposed change to an agreed level: once a level is agreed, changing it needs the
    other party's agreement and a reason. The proposal, the answer and who gave them are kept;
    a confirmed change writes a new agreed `Assessment` (the old one stays in the history)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Waiting for the other party"
        CONFIRMED = "confirmed", "Agreed by both"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="agreed_level_changes"
    )
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="+")
    from_level = models.PositiveSmallIntegerField()
    to_level = models.PositiveSmallIntegerField()
    reason = models.TextField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_note = models.TextField(blank=True)
    assessment = models.OneToOneField(
        Assessment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreed_change",
        help_text="The agreed rating written when both parties agreed.",
    )

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "competency"],
                condition=models.Q(status="proposed"),
                name="one_open_agreed_change_per_competency",
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee} / {self.competency}: {self.from_level} -> {self.to_level}"
