"""Clients: who the training function serves, who owns each one, the stakeholders around it,
the journey from first contact to renewal, what happened with it, and how happy it is.

A client is either one of the group's own business units (internal, linked to an organisation
unit so its people, gaps and needs are the unit's) or an outside employer (external). The
training function's own stakeholder map has no client (see StakeholderMap).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse

from milepost.accounts.models import OrgUnit, Role
from milepost.engines import stakeholders as grid

NAME_MAX = 200
OWNER_ROLES = frozenset({Role.ACCOUNT_MANAGER, Role.COORDINATOR, Role.ADMIN})


class Kind(models.TextChoices):
    INTERNAL = "internal", "Business unit (internal)"
    EXTERNAL = "external", "Employer (external)"


class SizeBand(models.TextChoices):
    MICRO = "micro", "1-9 people"
    SMALL = "small", "10-49 people"
    MEDIUM = "medium", "50-249 people"
    LARGE = "large", "250-999 people"
    ENTERPRISE = "enterprise", "1,000 people or more"


class HealthBand(models.TextChoices):
    GOOD = "good", "Good"
    WATCH = "watch", "Watch"
    AT_RISK = "at_risk", "At risk"


# --- the journey template (data, not code) -------------------------------------------------------


class JourneyTemplate(models.Model):
    """An ordered set of stages every client walks; one is the default for new clients."""

    name = models.CharField(max_length=NAME_MAX, unique=True)
    is_default = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_journey"
            )
        ]

    def __str__(self) -> str:
        return self.name


class JourneyStage(models.Model):
    template = models.ForeignKey(JourneyTemplate, on_delete=models.CASCADE, related_name="stages")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=NAME_MAX)
    exit_criteria = models.TextField(
        blank=True, help_text="What must be true before the client moves on."
    )
    usual_role = models.CharField(
        max_length=32,
        choices=Role.choices,
        default=Role.ACCOUNT_MANAGER,
        help_text="The role normally responsible at this stage.",
    )

    class Meta:
        ordering = ["template", "position"]
        constraints = [
            models.UniqueConstraint(fields=["template", "position"], name="stage_position_unique"),
            models.UniqueConstraint(fields=["template", "name"], name="stage_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


# --- clients, owners, contacts -------------------------------------------------------------------


class Client(models.Model):
    kind = models.CharField(max_length=16, choices=Kind.choices, db_index=True)
    name = models.CharField(max_length=NAME_MAX)
    unit = models.OneToOneField(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="client",
        help_text="For a business unit: the organisation unit it is.",
    )
    sector = models.CharField(max_length=100, blank=True, db_index=True)
    size_band = models.CharField(max_length=16, choices=SizeBand.choices, blank=True)
    address = models.TextField(blank=True)
    website = models.URLField(blank=True)
    notes = models.TextField(blank=True, help_text="Internal notes: never shown to the client.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_clients",
        help_text="The one person accountable for this client.",
    )
    journey = models.ForeignKey(JourneyTemplate, on_delete=models.PROTECT, related_name="clients")
    stage = models.ForeignKey(
        JourneyStage, null=True, blank=True, on_delete=models.PROTECT, related_name="clients"
    )
    # Kept by the services (interactions, surveys, needs) and refreshed nightly, so the list can
    # sort and filter 5,000 clients without computing anything (docs/clients.md, health).
    last_contact_at = models.DateTimeField(null=True, blank=True, editable=False)
    health_score = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    health_band = models.CharField(
        max_length=16, choices=HealthBand.choices, blank=True, editable=False, db_index=True
    )
    health_parts = models.JSONField(default=dict, blank=True, editable=False)
    health_checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = [Lower("name"), "pk"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="client_name_unique_ci"),
            models.CheckConstraint(
                condition=Q(kind="internal", unit__isnull=False)
                | Q(kind="external", unit__isnull=True),
                name="client_internal_has_unit",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "is_active"]),
            models.Index(fields=["health_score"]),
            models.Index(fields=["last_contact_at"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("clients:detail", args=[self.pk])

    @property
    def is_internal(self) -> bool:
        return self.kind == Kind.INTERNAL


class OwnerChange(models.Model):
    """Who owned a client from when, and why it changed (the history of accountability)."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="owner_changes")
    previous_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    new_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.client}: owner changed on {self.changed_at:%Y-%m-%d}"


class Contact(models.Model):
    """A person at a client. An employer contact's login belongs to exactly one client."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=NAME_MAX)
    job_title = models.CharField(max_length=NAME_MAX, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    marketing_consent = models.BooleanField(
        default=False, help_text="They agreed to hear about new courses and events."
    )
    consent_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="client_contact",
        help_text="Their login to the client portal, if they have one.",
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = [Lower("name"), "pk"]
        constraints = [
            models.UniqueConstraint(
                "client",
                Lower("email"),
                condition=~Q(email=""),
                name="contact_email_unique_per_client",
            )
        ]

    def __str__(self) -> str:
        return self.name


# --- journey per client ------------------------------------------------------------------------


class StageResponsibility(models.Model):
    """Who takes responsibility for this client at this stage of its journey."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="responsibilities")
    stage = models.ForeignKey(JourneyStage, on_delete=models.CASCADE, related_name="+")
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="client_responsibilities",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "stage"], name="one_responsible_per_stage")
        ]

    def __str__(self) -> str:
        return f"{self.client}: {self.stage}"


class StageChange(models.Model):
    """The client's path through its journey, with dates."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.ForeignKey(
        JourneyStage, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_stage = models.ForeignKey(JourneyStage, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.client}: {self.to_stage}"


# --- interactions --------------------------------------------------------------------------------


class InteractionKind(models.TextChoices):
    MEETING = "meeting", "Meeting"
    CALL = "call", "Call"
    VISIT = "visit", "Visit"
    EMAIL = "email", "Email"
    FOCUS_GROUP = "focus_group", "Focus group"
    CONSULTANCY = "consultancy", "Consultancy session"


class Interaction(models.Model):
    """Something that happened with a client, with the next step it leads to.

    Needs link to interactions from their side (`Need.interactions`), and so will proposals,
    events and evaluations: the apps above clients own their links.
    """

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="interactions")
    kind = models.CharField(max_length=16, choices=InteractionKind.choices)
    occurred_at = models.DateTimeField(db_index=True)
    summary = models.TextField()
    internal_only = models.BooleanField(
        default=False, help_text="Kept from the client's contacts in their portal."
    )
    contacts = models.ManyToManyField(Contact, blank=True, related_name="interactions")
    colleagues = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="client_interactions"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    next_step = models.CharField(max_length=500, blank=True)
    next_step_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="client_next_steps",
    )
    next_step_due = models.DateField(null=True, blank=True)
    next_step_done_at = models.DateTimeField(null=True, blank=True)
    next_step_reminded_on = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["client", "-occurred_at"]),
            models.Index(fields=["next_step_owner", "next_step_due"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} with {self.client}"

    @property
    def has_open_next_step(self) -> bool:
        return bool(self.next_step) and self.next_step_done_at is None


# --- stakeholder maps ----------------------------------------------------------------------------


class MapStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "Waiting for colleagues"
    SIGNED_OFF = "signed_off", "Signed off"


class StakeholderMap(models.Model):
    """One map for the training function itself (no client) and one per client."""

    client = models.OneToOneField(
        Client, null=True, blank=True, on_delete=models.CASCADE, related_name="stakeholder_map"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=16, choices=MapStatus.choices, default=MapStatus.DRAFT)
    version = models.PositiveIntegerField(default=1)
    agreement_share = models.PositiveSmallIntegerField(
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Per cent of the colleagues asked who must agree before it is signed off.",
    )
    review_by = models.DateField(null=True, blank=True)
    signed_off_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["client"], condition=Q(client__isnull=True), name="one_own_map"
            )
        ]

    def __str__(self) -> str:
        return f"Stakeholder map of {self.client or 'our organisation'}"


class BodyType(models.TextChoices):
    AWARDING_BODY = "awarding_body", "Awarding body"
    REGULATOR = "regulator", "Regulator"
    FUNDING_AGENCY = "funding_agency", "Funding agency"
    SECTOR_COUNCIL = "sector_council", "Sector council"
    SUPPLIER = "supplier", "Supplier or partner"
    OTHER = "other", "Other organisation"


class Stakeholder(models.Model):
    """A client contact, an internal person or a named outside body, rated on the grid."""

    map = models.ForeignKey(StakeholderMap, on_delete=models.CASCADE, related_name="stakeholders")
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="stakeholder_entries"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="stakeholder_entries",
    )
    body_name = models.CharField(max_length=NAME_MAX, blank=True)
    body_type = models.CharField(max_length=32, choices=BodyType.choices, blank=True)
    power = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    interest = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    legitimate = models.BooleanField(default=False, help_text="Their claim on us is legitimate.")
    urgent = models.BooleanField(default=False, help_text="Their claim calls for quick attention.")
    wants = models.TextField(blank=True, help_text="What they want from us.")
    engagement = models.TextField(blank=True, help_text="How we engage them.")
    shared_with_client = models.BooleanField(
        default=False, help_text="The client's contacts see this entry in their portal."
    )

    class Meta:
        ordering = ["-power", "-interest", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(contact__isnull=False, person__isnull=True, body_name="")
                    | Q(contact__isnull=True, person__isnull=False, body_name="")
                    | (Q(contact__isnull=True, person__isnull=True) & ~Q(body_name=""))
                ),
                name="stakeholder_is_one_thing",
            ),
            models.CheckConstraint(
                condition=Q(power__gte=1, power__lte=5, interest__gte=1, interest__lte=5),
                name="stakeholder_ratings_1_5",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if self.contact is not None:
            return self.contact.name
        if self.person is not None:
            return self.person.get_full_name() or self.person.username
        return self.body_name

    @property
    def kind_label(self) -> str:
        if self.contact_id is not None:
            return "Client contact"
        if self.person_id is not None:
            return "Colleague"
        return self.get_body_type_display() or "Outside body"

    @property
    def quadrant(self) -> grid.Quadrant:
        return grid.quadrant(self.power, self.interest)

    @property
    def salience(self) -> grid.Salience:
        return grid.salience(self.power, self.legitimate, self.urgent)


class MapVersion(models.Model):
    """A snapshot of a map put to colleagues; the map's version history."""

    map = models.ForeignKey(StakeholderMap, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    stakeholders = models.JSONField(default=list)  # name, kind, power, interest, flags, quadrant
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    signed_off_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["map", "number"], name="map_version_unique")]

    def __str__(self) -> str:
        return f"{self.map}, version {self.number}"


class ReviewAnswer(models.TextChoices):
    PENDING = "pending", "Not answered yet"
    AGREED = "agreed", "Agreed"
    CHALLENGED = "challenged", "Challenged"


class MapReview(models.Model):
    """A colleague asked to confirm a version of the map, or challenge it with a comment."""

    version = models.ForeignKey(MapVersion, on_delete=models.CASCADE, related_name="reviews")
    colleague = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="map_reviews"
    )
    answer = models.CharField(
        max_length=16, choices=ReviewAnswer.choices, default=ReviewAnswer.PENDING
    )
    comment = models.TextField(blank=True)
    asked_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "colleague"], name="one_review_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.colleague} on {self.version}: {self.get_answer_display()}"


# --- service satisfaction ------------------------------------------------------------------------

SURVEY_ITEMS = (
    ("met_needs", "The training met the needs we set out"),
    ("easy", "You were easy to work with"),
    ("results", "We see the results in our work"),
    ("value", "The service was good value"),
)


class SurveyInvitation(models.Model):
    """One contact's unique link to the satisfaction survey; it works once, until it expires."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="survey_invitations")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return f"Survey for {self.contact} at {self.client}"


class SurveyResponse(models.Model):
    invitation = models.OneToOneField(
        SurveyInvitation, on_delete=models.CASCADE, related_name="response"
    )
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="survey_responses")
    recommend = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(10)],
        help_text="0-10: how likely they are to recommend us.",
    )
    items = models.JSONField(default=dict)  # SURVEY_ITEMS key -> 1..5
    comment = models.TextField(blank=True)
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-answered_at", "-pk"]
        indexes = [models.Index(fields=["client", "-answered_at"])]

    def __str__(self) -> str:
        return f"{self.client}: {self.recommend}/10"
