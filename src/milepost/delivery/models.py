"""Delivery: events and their sessions, enrolment with waitlists, attendance and completion
(issue 14; docs/delivery.md).

The chain continues here: a proposal's solution item (or a need, a theme, or simply the
catalogue) -> event -> sessions -> enrolments -> attendance -> completion, which later feeds the
evidence log, certificates, badges and evaluation. Every link is declared on the delivery side.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from milepost.catalogue.models import Course
from milepost.clients.models import Client
from milepost.needs.models import DemandTheme, Need
from milepost.people.models import Employee
from milepost.proposals.models import ProposalItem

TITLE_MAX = 300


class EventStatus(models.TextChoices):
    INTEREST = "interest", "Interest list (no date yet)"
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"
    COMPLETED = "completed", "Completed"


class Event(models.Model):
    """A run of a catalogue course, or a bespoke event from a proposal, with one or more
    sessions. Without sessions it is an interest list: people register interest, which counts as
    demand."""

    title = models.CharField(max_length=TITLE_MAX)
    course = models.ForeignKey(
        Course, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    proposal_item = models.ForeignKey(
        ProposalItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        help_text="The proposal's solution item this event delivers.",
    )
    need = models.ForeignKey(
        Need, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    theme = models.ForeignKey(
        DemandTheme, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    description = models.TextField(blank=True)
    status = models.CharField(
        max_length=16, choices=EventStatus.choices, default=EventStatus.INTEREST, db_index=True
    )
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text="Places; empty for no limit."
    )
    needs_approval = models.BooleanField(
        default=False, help_text="A line manager approves each request before a place is booked."
    )
    assesses = models.BooleanField(default=False, help_text="Attendance records a pass or a fail.")
    clients = models.ManyToManyField(
        Client,
        blank=True,
        related_name="events",
        help_text="Outside employers whose people may be enrolled (none: internal only).",
    )
    uid = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, help_text="The iCalendar UID."
    )
    sequence = models.PositiveIntegerField(
        default=0, help_text="The iCalendar SEQUENCE: raised at every change sent out."
    )
    cancel_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Facilitator(models.Model):
    """Who runs sessions: a colleague with a login, or someone from an external provider."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="facilitator",
    )
    name = models.CharField(max_length=200)
    organisation = models.CharField(
        max_length=200, blank=True, help_text="The external provider; empty for a colleague."
    )
    email = models.EmailField(blank=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})" if self.organisation else self.name


class Session(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64, default="Europe/London")
    venue = models.CharField(max_length=300, blank=True)
    room = models.CharField(max_length=200, blank=True)
    online_url = models.URLField(max_length=500, blank=True)
    facilitators = models.ManyToManyField(Facilitator, blank=True, related_name="sessions")

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.starts_at:%d %b %Y %H:%M}"


class CostCategory(models.TextChoices):
    FACILITATOR = "facilitator", "Facilitator"
    VENUE = "venue", "Venue"
    MATERIALS = "materials", "Materials"
    TRAVEL = "travel", "Travel"
    PARTICIPANTS_TIME = "participants_time", "Participants' time"
    OTHER = "other", "Other"


class EventCost(models.Model):
    """One line of the event's fully loaded cost."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="costs")
    category = models.CharField(max_length=24, choices=CostCategory.choices)
    label = models.CharField(max_length=200, blank=True)
    amount = models.DecimalField(
        max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="event_cost_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.amount}"


class EnrolmentStatus(models.TextChoices):
    INTERESTED = "interested", "Interested"
    REQUESTED = "requested", "Requested"
    APPROVED = "approved", "Approved"
    BOOKED = "booked", "Booked"
    WAITLISTED = "waitlisted", "Waitlisted"
    CANCELLED = "cancelled", "Cancelled by the person"
    EVENT_CANCELLED = "event_cancelled", "Cancelled with the event"
    DECLINED = "declined", "Declined"
    NO_SHOW = "no_show", "No-show"
    PARTIAL = "partial", "Partly attended"
    ATTENDED = "attended", "Attended"


# Statuses that hold one of the event's places.
HOLDS_A_PLACE = frozenset(
    {
        EnrolmentStatus.BOOKED,
        EnrolmentStatus.NO_SHOW,
        EnrolmentStatus.PARTIAL,
        EnrolmentStatus.ATTENDED,
    }
)
# Statuses a person is still "on" the event with (not cancelled, declined or finished).
ACTIVE = frozenset(
    {
        EnrolmentStatus.INTERESTED,
        EnrolmentStatus.REQUESTED,
        EnrolmentStatus.APPROVED,
        EnrolmentStatus.BOOKED,
        EnrolmentStatus.WAITLISTED,
    }
)


class Result(models.TextChoices):
    NONE = "", "Not assessed"
    PASS = "pass", "Pass"
    FAIL = "fail", "Fail"


class Enrolment(models.Model):
    """A person on an event: an employee, or one of an outside employer's people (a guest)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="enrolments")
    employee = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.CASCADE, related_name="enrolments"
    )
    client = models.ForeignKey(
        Client,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="enrolments",
        help_text="The outside employer a guest comes from.",
    )
    guest_name = models.CharField(max_length=200, blank=True)
    guest_email = models.EmailField(blank=True)
    status = models.CharField(max_length=16, choices=EnrolmentStatus.choices, db_index=True)
    result = models.CharField(max_length=4, choices=Result.choices, blank=True, default="")
    waitlisted_at = models.DateTimeField(
        null=True, blank=True, help_text="The waitlist is served in this order."
    )
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(employee__isnull=False, client__isnull=True, guest_name="")
                | Q(employee__isnull=True, client__isnull=False) & ~Q(guest_name=""),
                name="enrolment_is_an_employee_or_a_guest",
            ),
            models.UniqueConstraint(
                fields=["event", "employee"],
                condition=Q(employee__isnull=False),
                name="one_enrolment_per_employee",
            ),
            models.UniqueConstraint(
                fields=["event", "client", "guest_email"],
                condition=Q(employee__isnull=True) & ~Q(guest_email=""),
                name="one_enrolment_per_guest_email",
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "waitlisted_at"])]

    def __str__(self) -> str:
        return f"{self.person_name} on {self.event}"

    @property
    def person_name(self) -> str:
        if self.employee is not None:
            return f"{self.employee.first_name} {self.employee.last_name}"
        return self.guest_name


class EnrolmentChange(models.Model):
    """An enrolment's history: every status it went through, who moved it and why."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="changes")
    status = models.CharField(max_length=16, choices=EnrolmentStatus.choices)
    note = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.enrolment}: {self.get_status_display()}"


class AttendanceMark(models.TextChoices):
    ATTENDED = "attended", "Attended"
    PARTIAL = "partial", "Partly attended"
    NO_SHOW = "no_show", "No-show"


class Attendance(models.Model):
    """The facilitator's register: one mark per person per session."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    mark = models.CharField(max_length=16, choices=AttendanceMark.choices)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["session", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="one_mark_a_session")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.person_name}: {self.get_mark_display()}"
