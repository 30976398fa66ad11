"""Review cycles: who is reviewed when, each step's progress, objectives and development plans."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from milepost.accounts.models import OrgUnit
from milepost.frameworks.models import Competency, JobProfile
from milepost.people.models import Employee


class ReviewCycle(models.Model):
    """A performance review round: chosen units and/or job profiles, with deadlines.

    Its participants are fixed when it opens, so later moves do not change who was reviewed.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    units = models.ManyToManyField(
        OrgUnit, blank=True, related_name="review_cycles", help_text="Each with the units below it."
    )
    job_profiles = models.ManyToManyField(JobProfile, blank=True, related_name="review_cycles")
    opens_on = models.DateField()
    self_assessment_due = models.DateField()
    manager_assessment_due = models.DateField()
    closes_on = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opens_on", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class ReviewParticipant(models.Model):
    """One employee in one review cycle, with when each step was done."""

    class Stage(models.TextChoices):
        SELF = "self", "Waiting for self-assessment"
        MANAGER = "manager", "Waiting for the manager"
        AGREEMENT = "agreement", "Waiting for agreement"
        AGREED = "agreed", "Agreed"

    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="participants")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="reviews")
    job_profile = models.ForeignKey(
        JobProfile, on_delete=models.PROTECT, related_name="+", help_text="As at the cycle's start."
    )
    self_submitted_at = models.DateTimeField(null=True, blank=True)
    manager_submitted_at = models.DateTimeField(null=True, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cycle", "employee__last_name", "employee__first_name", "employee_id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "employee"], name="unique_cycle_participant")
        ]

    def __str__(self) -> str:
        return f"{self.cycle}: {self.employee}"

    @property
    def stage(self) -> str:
        if self.agreed_at:
            return self.Stage.AGREED
        if not self.self_submitted_at:
            return self.Stage.SELF
        if not self.manager_submitted_at:
            return self.Stage.MANAGER
        return self.Stage.AGREEMENT

    def get_stage_display(self) -> str:
        return str(self.Stage(self.stage).label)


class Objective(models.Model):
    """A weighted objective for one employee, usually within a review cycle."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ACHIEVED = "achieved", "Achieved"
        DROPPED = "dropped", "Dropped"

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="objectives")
    cycle = models.ForeignKey(
        ReviewCycle, null=True, blank=True, on_delete=models.SET_NULL, related_name="objectives"
    )
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    weight = models.PositiveSmallIntegerField(help_text="Share of the cycle's objectives, in %.")
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done, 0-100.")
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["employee", "cycle", "-weight", "title"]

    def __str__(self) -> str:
        return f"{self.employee}: {self.title}"


class DevelopmentPlanItem(models.Model):
    """A step to raise one competency to a target level, for one employee."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="development_items"
    )
    cycle = models.ForeignKey(
        ReviewCycle,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="development_items",
    )
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    target_level = models.PositiveSmallIntegerField()
    action = models.CharField(max_length=500, help_text="What will be done: course, project...")
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PLANNED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["employee", "status", "due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.employee}: {self.competency} to {self.target_level}"
