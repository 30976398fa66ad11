"""The offer: courses, qualifications, their competency outcomes, and training tracks."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from milepost.accounts.models import OrgUnit, User
from milepost.frameworks.models import Competency, JobProfile

ZERO = Decimal("0")
MAX_PLACES_PER_RUN = 100_000  # a sanity bound: no run seats more


class Modality(models.TextChoices):
    CLASSROOM = "classroom", "Classroom"
    ONLINE = "online", "Online"
    BLENDED = "blended", "Blended"
    ON_THE_JOB = "on_the_job", "On the job"
    COACHING = "coaching", "Coaching"


class ProviderKind(models.TextChoices):
    INTERNAL = "internal", "Internal"
    EXTERNAL = "external", "External"


class LevelFramework(models.TextChoices):
    RQF = "RQF", "RQF (England, Wales and Northern Ireland)"
    EQF = "EQF", "EQF (European Qualifications Framework)"


class Course(models.Model):
    code = models.CharField(max_length=64, unique=True)
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    modality = models.CharField(max_length=16, choices=Modality.choices)
    duration_hours = models.DecimalField(
        max_digits=7, decimal_places=2, default=ZERO, validators=[MinValueValidator(ZERO)]
    )
    cost_per_person = models.DecimalField(
        max_digits=10, decimal_places=2, default=ZERO, validators=[MinValueValidator(ZERO)]
    )
    cost_per_run = models.DecimalField(
        max_digits=10, decimal_places=2, default=ZERO, validators=[MinValueValidator(ZERO)]
    )
    places_per_run = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PLACES_PER_RUN)],
        help_text="People one run can take; empty: no limit.",
    )
    provider_kind = models.CharField(
        max_length=16, choices=ProviderKind.choices, default=ProviderKind.INTERNAL
    )
    provider_name = models.CharField(max_length=200, blank=True)
    audience = models.TextField(blank=True, help_text="Who the course is for.")
    prerequisites = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="required_for"
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cost_per_person__gte=0)
                & Q(cost_per_run__gte=0)
                & Q(duration_hours__gte=0),
                name="course_costs_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(places_per_run__isnull=True) | Q(places_per_run__gte=1),
                name="course_places_per_run_at_least_1",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"


class Qualification(models.Model):
    code = models.CharField(max_length=64, unique=True)
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    awarding_body = models.CharField(max_length=200)
    level_framework = models.CharField(
        max_length=8, choices=LevelFramework.choices, default=LevelFramework.RQF
    )
    level = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    credits = models.PositiveIntegerField(null=True, blank=True)
    guided_learning_hours = models.PositiveIntegerField(null=True, blank=True)
    funding_eligible = models.BooleanField(default=False)
    funding_note = models.CharField(max_length=300, blank=True)
    validity_months = models.PositiveIntegerField(
        null=True, blank=True, help_text="Empty: the qualification does not expire."
    )
    renewal = models.TextField(blank=True, help_text="How the qualification is renewed.")
    cost_per_person = models.DecimalField(
        max_digits=10, decimal_places=2, default=ZERO, validators=[MinValueValidator(ZERO)]
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=1) & Q(level__lte=8), name="qualification_level_1_to_8"
            ),
            models.CheckConstraint(
                condition=Q(cost_per_person__gte=0), name="qualification_cost_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"

    @property
    def level_label(self) -> str:
        return f"{self.level_framework} {self.level}"


class LearningOutcome(models.Model):
    """What one course or qualification does for one competency: raises it to a level."""

    course = models.ForeignKey(
        Course, null=True, blank=True, on_delete=models.CASCADE, related_name="outcomes"
    )
    qualification = models.ForeignKey(
        Qualification, null=True, blank=True, on_delete=models.CASCADE, related_name="outcomes"
    )
    competency = models.ForeignKey(
        Competency, on_delete=models.CASCADE, related_name="learning_outcomes"
    )
    raises_to_level = models.PositiveSmallIntegerField()
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["competency__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(course__isnull=False) & Q(qualification__isnull=True))
                | (Q(course__isnull=True) & Q(qualification__isnull=False)),
                name="outcome_of_course_or_qualification",
            ),
            models.UniqueConstraint(fields=["course", "competency"], name="unique_course_outcome"),
            models.UniqueConstraint(
                fields=["qualification", "competency"], name="unique_qualification_outcome"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offer}: {self.competency} to {self.raises_to_level}"

    @property
    def offer(self) -> Course | Qualification | None:
        return self.course or self.qualification


class Track(models.Model):
    """An ordered route of courses and qualifications toward a job profile or competencies."""

    code = models.CharField(max_length=64, unique=True)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    job_profile = models.ForeignKey(
        JobProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="tracks"
    )
    competencies = models.ManyToManyField(Competency, blank=True, related_name="tracks")
    enforce_order = models.BooleanField(
        default=False, help_text="Learners take the steps in order; prerequisites come first."
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "code"]

    def __str__(self) -> str:
        return self.title


class TrackStep(models.Model):
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField()
    course = models.ForeignKey(
        Course, null=True, blank=True, on_delete=models.PROTECT, related_name="track_steps"
    )
    qualification = models.ForeignKey(
        Qualification,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="track_steps",
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["track", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(course__isnull=False) & Q(qualification__isnull=True))
                | (Q(course__isnull=True) & Q(qualification__isnull=False)),
                name="step_is_course_or_qualification",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.track} step {self.position}: {self.offer}"

    @property
    def offer(self) -> Course | Qualification | None:
        return self.course or self.qualification


class BookletPrint(models.Model):
    """One printing of the booklet PDF for one selection, made by a background task and kept
    (the PDF in the database, shared by web workers and the task worker) until the catalogue or
    the organisation's structure changes, when it turns stale."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for the printer"
        RUNNING = "running", "Printing"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    # The selection (catalogue.booklet.BookletOptions).
    unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.CASCADE)
    job_profile = models.ForeignKey(JobProfile, null=True, blank=True, on_delete=models.CASCADE)
    audience = models.CharField(max_length=200, blank=True)
    prices = models.BooleanField(default=False)

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    stage = models.CharField(max_length=200, blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    pages = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    stale = models.BooleanField(default=False)
    requested_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL)
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["stale", "status"], name="booklet_print_fresh")]

    def __str__(self) -> str:
        return f"Booklet print {self.pk} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def seconds(self) -> float | None:
        """How long the printing took (None until it is finished)."""
        if self.started_at is None or self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()
