"""Needs: what the business says it needs, mapped to competencies and grouped into themes."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from milepost.accounts.models import OrgUnit
from milepost.clients.models import Client, Interaction
from milepost.frameworks.models import Competency

DESCRIPTION_MIN = 15
DESCRIPTION_MAX = 5000


class Urgency(models.IntegerChoices):
    LOW = 1, "Low"
    MEDIUM = 2, "Medium"
    HIGH = 3, "High"
    CRITICAL = 4, "Critical"


class Impact(models.IntegerChoices):
    MINOR = 1, "Minor"
    MODERATE = 2, "Moderate"
    SIGNIFICANT = 3, "Significant"
    MAJOR = 4, "Major"
    SEVERE = 5, "Severe"


class Status(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    TRIAGED = "triaged", "Triaged"
    PLANNED = "planned", "Planned"
    IN_DELIVERY = "in_delivery", "In delivery"
    DELIVERED = "delivered", "Delivered"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_STATUSES = (Status.SUBMITTED, Status.TRIAGED, Status.PLANNED, Status.IN_DELIVERY)
# Where a need may go next. Declined needs can be reopened; delivered ones are final.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.SUBMITTED: frozenset({Status.TRIAGED, Status.PLANNED, Status.DECLINED}),
    Status.TRIAGED: frozenset({Status.PLANNED, Status.DECLINED}),
    Status.PLANNED: frozenset({Status.TRIAGED, Status.IN_DELIVERY, Status.DECLINED}),
    Status.IN_DELIVERY: frozenset({Status.PLANNED, Status.DELIVERED}),
    Status.DELIVERED: frozenset(),
    Status.DECLINED: frozenset({Status.TRIAGED}),
    # Only the requester withdraws a need (needs.services.withdraw_need); it is final.
    Status.WITHDRAWN: frozenset(),
}
# Where the requester may still withdraw their need: before anything is planned for it.
WITHDRAWABLE_STATUSES = (Status.SUBMITTED, Status.TRIAGED)
# Statuses that mean the training function has committed to training for the need.
PLANNED_OR_LATER = (Status.PLANNED, Status.IN_DELIVERY, Status.DELIVERED)


class Source(models.TextChoices):
    FORM = "form", "Web form"
    API = "api", "API"
    SURVEY = "survey", "Survey"
    FOCUS_GROUP = "focus_group", "Focus group"
    CONSULTANCY = "consultancy", "Consultancy"


class DemandTheme(models.Model):
    """Needs from several requesters or units that ask for the same thing."""

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Need(models.Model):
    """One need, in the requester's own words, with the business issue behind it."""

    title = models.CharField(max_length=200)
    description = models.TextField(help_text="The need in your own words.")
    business_issue = models.TextField(
        blank=True, help_text="The business problem or goal behind the need."
    )
    unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="needs"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="needs"
    )
    requester_name = models.CharField(
        max_length=200, blank=True, help_text="Who raised it, when entered on their behalf."
    )
    # The client the need belongs to: the employer contact's own client, or the internal client
    # whose unit holds the need's unit (set by the services; docs/clients.md).
    client = models.ForeignKey(
        Client, null=True, blank=True, on_delete=models.SET_NULL, related_name="needs"
    )
    interactions = models.ManyToManyField(Interaction, blank=True, related_name="needs")
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.FORM)
    people_affected = models.PositiveIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(1_000_000)]
    )
    urgency = models.PositiveSmallIntegerField(choices=Urgency.choices, default=Urgency.MEDIUM)
    impact = models.PositiveSmallIntegerField(choices=Impact.choices, default=Impact.MODERATE)
    wanted_by = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    decline_reason = models.TextField(blank=True)
    theme = models.ForeignKey(
        DemandTheme, null=True, blank=True, on_delete=models.SET_NULL, related_name="needs"
    )
    # float32 sentence embedding of title + description (None when no dense model is installed).
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    first_response_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def next_statuses(self) -> frozenset[str]:
        """The statuses this need may move to from where it is (TRANSITIONS)."""
        return TRANSITIONS[self.status]

    @property
    def can_withdraw(self) -> bool:
        """The requester may still take the need back (nothing is planned for it yet)."""
        return self.status in WITHDRAWABLE_STATUSES

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def requested_by(self) -> str:
        return self.requester_name or str(self.requester)

    @property
    def text(self) -> str:
        """What the matching engine reads."""
        return f"{self.title}. {self.description} {self.business_issue}".strip()


# A suggestion's fit (0..1) reads as strong from 70 %, fair from 50 %, weak below.
STRONG_FIT = 0.7
FAIR_FIT = 0.5


def fit_word(fit: float) -> str:
    """Strong, fair or weak: how well a competency fits a need, in a word."""
    return "strong" if fit >= STRONG_FIT else "fair" if fit >= FAIR_FIT else "weak"


class NeedCompetency(models.Model):
    """A competency a need is about: suggested by the engine, confirmed or added by people."""

    class Origin(models.TextChoices):
        SUGGESTED = "suggested", "Suggested"
        ADDED = "added", "Added by the coordinator"

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="mappings")
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="+")
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.SUGGESTED)
    rank = models.PositiveSmallIntegerField(default=0)
    # How well the competency fits the need, 0..1 (needs.matching.fit_from_score); None when added.
    score = models.FloatField(null=True, blank=True)
    matched_terms = models.CharField(max_length=500, blank=True)
    confirmed_by_requester = models.BooleanField(default=False)
    accepted = models.BooleanField(
        default=False, help_text="Accepted by the coordinator: part of the need's mapping."
    )

    class Meta:
        ordering = ["rank", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["need", "competency"], name="unique_need_competency")
        ]

    def __str__(self) -> str:
        return f"{self.need} -> {self.competency}"

    @property
    def matched_term_list(self) -> list[str]:
        return [term for term in self.matched_terms.split(",") if term]

    @property
    def fit_percent(self) -> int | None:
        return None if self.score is None else round(100 * self.score)

    @property
    def fit_word(self) -> str:
        return "" if self.score is None else fit_word(self.score)

    @property
    def counts(self) -> bool:
        """Part of the mapping used by themes and the board: anyone said yes to it."""
        return self.accepted or self.confirmed_by_requester


class StatusChange(models.Model):
    """Every status change of a need, with who made it and why: never rewritten."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.need}: {self.from_status or 'new'} -> {self.to_status}"


class PriorityWeights(models.Model):
    """The weights of the demand board's priority score (one row; see docs/needs.md)."""

    impact = models.FloatField(default=0.4, validators=[MinValueValidator(0)])
    urgency = models.FloatField(default=0.3, validators=[MinValueValidator(0)])
    people = models.FloatField(default=0.2, validators=[MinValueValidator(0)])
    breadth = models.FloatField(
        default=0.1,
        validators=[MinValueValidator(0)],
        help_text="How many units ask for the same thing (themes).",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name_plural = "priority weights"

    def __str__(self) -> str:
        return (
            f"impact {self.impact}, urgency {self.urgency}, people {self.people}, "
            f"breadth {self.breadth}"
        )

    @classmethod
    def current(cls) -> PriorityWeights:
        weights = cls.objects.order_by("pk").first()
        return weights if weights is not None else cls()


class PlannedTraining(models.Model):
    """An entry of the training plan. Pull when it answers a need or a theme, push otherwise.

    Moving a need or theme to "planned" creates its entry; coordinators add push entries
    (training nobody asked for) by hand. The pull ratio is the share of entries with a need
    or theme. The delivery module will hang its events on these entries.
    """

    title = models.CharField(max_length=200)
    need = models.ForeignKey(
        Need, null=True, blank=True, on_delete=models.SET_NULL, related_name="plan_entries"
    )
    theme = models.ForeignKey(
        DemandTheme, null=True, blank=True, on_delete=models.SET_NULL, related_name="plan_entries"
    )
    unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    starts_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "planned training"

    def __str__(self) -> str:
        return self.title

    @property
    def is_pull(self) -> bool:
        return self.need_id is not None or self.theme_id is not None
