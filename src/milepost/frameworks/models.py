"""Competency frameworks (any depth), proficiency scales and job profiles."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models


class Source(models.TextChoices):
    CUSTOM = "custom", "Custom"
    ESCO = "esco", "ESCO"
    ONET = "onet", "O*NET"
    CSV = "csv", "CSV import"


class ProficiencyScale(models.Model):
    """An ordered scale of levels, e.g. 'Core 1-5' from Awareness to Expert."""

    name = models.CharField(max_length=100, unique=True)
    min_level = models.PositiveSmallIntegerField(default=1)
    max_level = models.PositiveSmallIntegerField(default=5)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.min_level >= self.max_level:
            raise ValidationError("The lowest level must be below the highest level.")

    def check_level(self, level: int) -> None:
        if not self.min_level <= level <= self.max_level:
            raise ValidationError(
                f"level {level} is not on scale '{self.name}' ({self.min_level}-{self.max_level})"
            )


class ScaleLevel(models.Model):
    scale = models.ForeignKey(ProficiencyScale, on_delete=models.CASCADE, related_name="levels")
    value = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["scale", "value"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "value"], name="unique_scale_level"),
        ]

    def __str__(self) -> str:
        return f"{self.value} {self.name}"


class Framework(models.Model):
    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.CUSTOM)
    version = models.CharField(max_length=32, blank=True)
    scale = models.ForeignKey(ProficiencyScale, on_delete=models.PROTECT, related_name="frameworks")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Competency(models.Model):
    """A competency, skill, knowledge item or grouping node in a framework tree.

    `path` is the materialised path of primary keys from the root ("/12/40/77/"), so a
    subtree is one prefix query and the tree renders in order without recursion.
    `code` is the framework's own identifier (an ESCO URI, an O*NET element id, or a
    customer's code) and is what imports match on.
    """

    class Kind(models.TextChoices):
        GROUP = "group", "Group"
        COMPETENCE = "competence", "Skill / competence"
        KNOWLEDGE = "knowledge", "Knowledge"
        BEHAVIOUR = "behaviour", "Behavioural competency"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="competencies")
    code = models.CharField(max_length=255)
    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.COMPETENCE)
    alt_labels = models.TextField(blank=True, help_text="One alternative label a line.")
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    path = models.CharField(max_length=2000, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    sort_key = models.CharField(max_length=300, blank=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["framework", "path"]
        verbose_name_plural = "competencies"
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="unique_competency_code"),
        ]
        indexes = [models.Index(fields=["framework", "parent"])]

    def __str__(self) -> str:
        return self.name

    @property
    def alt_label_list(self) -> list[str]:
        return [label for label in self.alt_labels.splitlines() if label.strip()]

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]


class CompetencyLevel(models.Model):
    """What a competency looks like at one level of the scale, with behavioural indicators."""

    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    indicators = models.TextField(blank=True, help_text="One behavioural indicator a line.")

    class Meta:
        ordering = ["competency", "level"]
        constraints = [
            models.UniqueConstraint(fields=["competency", "level"], name="unique_competency_level"),
        ]

    def __str__(self) -> str:
        return f"{self.competency} @ {self.level}"

    @property
    def indicator_list(self) -> list[str]:
        return [line for line in self.indicators.splitlines() if line.strip()]


class JobProfile(models.Model):
    code = models.CharField(max_length=255, unique=True)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    alt_titles = models.TextField(blank=True, help_text="One alternative title a line.")
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.CUSTOM)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Importance(models.IntegerChoices):
    MINIMAL = 1, "Minimal"
    LOW = 2, "Low"
    MODERATE = 3, "Moderate"
    HIGH = 4, "High"
    CRITICAL = 5, "Critical"


class JobProfileRequirement(models.Model):
    job_profile = models.ForeignKey(
        JobProfile, on_delete=models.CASCADE, related_name="requirements"
    )
    competency = models.ForeignKey(
        Competency, on_delete=models.CASCADE, related_name="requirements"
    )
    required_level = models.PositiveSmallIntegerField()
    importance = models.PositiveSmallIntegerField(
        choices=Importance.choices, default=Importance.MODERATE
    )
    essential = models.BooleanField(default=True)

    class Meta:
        ordering = ["job_profile", "-essential", "-importance", "competency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["job_profile", "competency"], name="unique_profile_requirement"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job_profile}: {self.competency} @ {self.required_level}"
