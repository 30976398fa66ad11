"""Business issues, consultancy and proposals: every training solution tied to the business issue
it answers (issue 13; docs/proposals.md once the pages land).

The chain is one line of foreign keys: client -> business issue -> engagement -> proposal ->
solution item -> (planned training, and later events and evaluations).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from milepost.catalogue.models import Course, Qualification, Track
from milepost.clients.models import Client, Contact, Interaction
from milepost.frameworks.models import Competency
from milepost.needs.models import DemandTheme, Need, PlannedTraining

TITLE_MAX = 300


class Priority(models.IntegerChoices):
    HIGH = 1, "High"
    MEDIUM = 2, "Medium"
    LOW = 3, "Low"


class IssueStatus(models.TextChoices):
    OPEN = "open", "Open"
    ADDRESSING = "addressing", "Being addressed"
    RESOLVED = "resolved", "Resolved"
    DROPPED = "dropped", "Dropped"


class BusinessIssue(models.Model):
    """A client's issue in business terms, with the metrics that show it moving."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="business_issues")
    title = models.CharField(
        max_length=TITLE_MAX,
        help_text="In business terms: 'motor claims complaints up 30 % since the new wording'.",
    )
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        Contact,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_issues",
        help_text="Who owns the issue at the client.",
    )
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.MEDIUM)
    status = models.CharField(
        max_length=16, choices=IssueStatus.choices, default=IssueStatus.OPEN, db_index=True
    )
    drop_reason = models.TextField(blank=True)
    needs = models.ManyToManyField(Need, blank=True, related_name="business_issues")
    themes = models.ManyToManyField(DemandTheme, blank=True, related_name="business_issues")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["priority", "-created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Metric(models.Model):
    """How an issue is measured: from a baseline on a date to a target by a date."""

    issue = models.ForeignKey(BusinessIssue, on_delete=models.CASCADE, related_name="metrics")
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=50, blank=True, help_text="%, complaints a month, days...")
    baseline_value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    baseline_on = models.DateField(null=True, blank=True)
    target_value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    target_on = models.DateField(null=True, blank=True)
    data_source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(baseline_on__isnull=True)
                | Q(target_on__isnull=True)
                | Q(target_on__gt=models.F("baseline_on")),
                name="metric_target_after_baseline",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def missing(self) -> list[str]:
        """What the proposal rule still needs of this metric (empty when it is complete)."""
        wanted = [
            ("baseline value", self.baseline_value),
            ("baseline date", self.baseline_on),
            ("target value", self.target_value),
            ("target date", self.target_on),
        ]
        return [label for label, value in wanted if value is None]


class EngagementStatus(models.TextChoices):
    OPEN = "open", "Under way"
    FINDINGS = "findings", "Findings agreed"
    CLOSED = "closed", "Closed"


class Engagement(models.Model):
    """Consultancy with an engaged manager, worked through a performance analysis
    (performance consulting; action mapping): goal, should versus actual, causes, options."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="engagements")
    title = models.CharField(max_length=TITLE_MAX)
    sponsor = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="engagements"
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    issues = models.ManyToManyField(BusinessIssue, related_name="engagements")
    business_goal = models.TextField(blank=True, help_text="The measurable business goal.")
    should_do = models.TextField(blank=True, help_text="What people should be doing.")
    actually_do = models.TextField(blank=True, help_text="What they actually do.")
    capability = models.ManyToManyField(
        Competency, blank=True, related_name="+", help_text="Causes in skills and knowledge."
    )
    capability_notes = models.TextField(blank=True)
    cause_tools = models.TextField(blank=True)
    cause_process = models.TextField(blank=True)
    cause_incentives = models.TextField(blank=True)
    cause_information = models.TextField(blank=True)
    non_training_options = models.TextField(blank=True)
    interactions = models.ManyToManyField(Interaction, blank=True, related_name="engagements")
    status = models.CharField(
        max_length=16, choices=EngagementStatus.choices, default=EngagementStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENT = "sent", "Sent"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    SUPERSEDED = "superseded", "Superseded by a new version"


# Where a proposal may go from where it is (the services enforce who may move it).
PROPOSAL_TRANSITIONS: dict[str, frozenset[str]] = {
    ProposalStatus.DRAFT: frozenset({ProposalStatus.SENT, ProposalStatus.WITHDRAWN}),
    ProposalStatus.SENT: frozenset(
        {
            ProposalStatus.ACCEPTED,
            ProposalStatus.DECLINED,
            ProposalStatus.WITHDRAWN,
            ProposalStatus.SUPERSEDED,
        }
    ),
    ProposalStatus.ACCEPTED: frozenset(),
    ProposalStatus.DECLINED: frozenset({ProposalStatus.SUPERSEDED}),
    ProposalStatus.WITHDRAWN: frozenset(),
    ProposalStatus.SUPERSEDED: frozenset(),
}


class Proposal(models.Model):
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="proposals")
    title = models.CharField(max_length=TITLE_MAX)
    number = models.PositiveIntegerField(default=1, help_text="The version number.")
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_version"
    )
    engagement = models.ForeignKey(
        Engagement, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    sponsor_contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    sponsor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sponsored_proposals",
        help_text="An internal sponsor (a line manager of the client's unit).",
    )
    issues = models.ManyToManyField(BusinessIssue, related_name="proposals")
    status = models.CharField(
        max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT, db_index=True
    )
    learning_objectives = models.TextField(blank=True)
    evaluation_plan = models.TextField(blank=True)
    forecast_benefit = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    benefit_assumptions = models.TextField(blank=True)
    timeline = models.TextField(blank=True)
    responsibilities = models.TextField(blank=True)
    risks = models.TextField(blank=True)
    decline_reason = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"

    @property
    def next_statuses(self) -> frozenset[str]:
        return PROPOSAL_TRANSITIONS[self.status]

    @property
    def is_editable(self) -> bool:
        """Only a draft changes; a sent proposal changes by a new version."""
        return self.status == ProposalStatus.DRAFT


class ItemKind(models.TextChoices):
    COURSE = "course", "Catalogue course"
    QUALIFICATION = "qualification", "Qualification"
    TRACK = "track", "Training track"
    BESPOKE = "bespoke", "Bespoke event"
    NON_TRAINING = "non_training", "Non-training action"


class ProposalItem(models.Model):
    """One part of the solution, naming the issues and metrics it answers."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=16, choices=ItemKind.choices)
    course = models.ForeignKey(
        Course, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    qualification = models.ForeignKey(
        Qualification, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    track = models.ForeignKey(
        Track, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=TITLE_MAX)
    description = models.TextField(blank=True)
    people = models.PositiveIntegerField(default=1)
    cost = models.DecimalField(
        max_digits=14, decimal_places=2, default=Decimal("0.00"), validators=[MinValueValidator(0)]
    )
    issues = models.ManyToManyField(BusinessIssue, related_name="proposal_items")
    metrics = models.ManyToManyField(Metric, blank=True, related_name="proposal_items")
    competencies = models.ManyToManyField(Competency, blank=True, related_name="+")
    plan_entry = models.OneToOneField(
        PlannedTraining,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposal_item",
        help_text="The training plan entry made when the proposal was accepted.",
    )

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(cost__gte=0), name="item_cost_not_negative")
        ]

    def __str__(self) -> str:
        return self.title


class CostLine(models.Model):
    """A cost beyond the items: facilitator, venue, materials, travel, participants' time."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="cost_lines")
    label = models.CharField(max_length=200)
    amount = models.DecimalField(max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="cost_line_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.amount}"


class ProposalEvent(models.Model):
    """The proposal's history: sent, accepted, declined (with the reason), withdrawn, new
    version."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=16, choices=ProposalStatus.choices)
    note = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.proposal}: {self.get_status_display()}"
