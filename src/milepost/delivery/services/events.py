"""Events and their sessions: created from the catalogue, a proposal's solution item, a need or
a theme; scheduled by adding sessions; their fully loaded cost; cancelled with everyone on them
told."""

from __future__ import annotations

import datetime
import zoneinfo
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from milepost.accounts.access import EVENT_DENIED, can_manage_events, require
from milepost.accounts.models import User
from milepost.catalogue.costing import cost_for
from milepost.catalogue.models import Course
from milepost.clients.models import Client
from milepost.delivery.models import (
    ACTIVE,
    TITLE_MAX,
    CostCategory,
    EnrolmentStatus,
    Event,
    EventCost,
    EventStatus,
    Facilitator,
    Session,
)
from milepost.delivery.services.enrolment import locked_event, record_status, tell_person
from milepost.needs.models import DemandTheme, Need
from milepost.proposals.models import ItemKind, Proposal, ProposalItem, ProposalStatus


def _require_manager(user: User) -> None:
    require(can_manage_events(user), EVENT_DENIED)


@transaction.atomic
def create_event(
    *,
    acting_user: User,
    title: str = "",
    course: Course | None = None,
    proposal_item: ProposalItem | None = None,
    need: Need | None = None,
    theme: DemandTheme | None = None,
    capacity: int | None = None,
    needs_approval: bool = False,
    assesses: bool = False,
    description: str = "",
    clients: list[Client] | None = None,
) -> Event:
    """A new event (an interest list until it gets a session). From a proposal's item it takes
    the item's course, title, audience size and client; from a course its title and places."""
    _require_manager(acting_user)
    errors: dict[str, str] = {}
    if proposal_item is not None:
        proposal = proposal_item.proposal
        if proposal.status != ProposalStatus.ACCEPTED:
            errors["proposal_item"] = (
                f"The proposal \u201c{proposal.title}\u201d is "
                f"{proposal.get_status_display().lower()}; schedule events from an accepted one."
            )
        if proposal_item.kind == ItemKind.NON_TRAINING:
            errors["proposal_item"] = "A non-training action is not an event."
        course = course or proposal_item.course
        title = title or proposal_item.title
        if capacity is None:
            capacity = proposal_item.people
        if clients is None and proposal.client.unit_id is None:
            clients = [proposal.client]
    if course is not None:
        if not course.is_active:
            errors["course"] = f"{course} has been retired from the catalogue."
        title = title or course.title
        if capacity is None:
            capacity = course.places_per_run
    if need is not None and not title:
        title = need.title
    if theme is not None and not title:
        title = theme.title
    title = title.strip()
    if not title:
        errors["title"] = "Give the event a title."
    elif len(title) > TITLE_MAX:
        errors["title"] = f"Keep the title to {TITLE_MAX} characters."
    if capacity is not None and capacity < 1:
        errors["capacity"] = "An event has at least one place (leave it empty for no limit)."
    if errors:
        raise ValidationError(errors)
    event = Event.objects.create(
        title=title,
        course=course,
        proposal_item=proposal_item,
        need=need,
        theme=theme,
        capacity=capacity,
        needs_approval=needs_approval,
        assesses=assesses,
        description=description.strip(),
        created_by=acting_user,
    )
    if clients:
        event.clients.set(clients)
    return event


def events_from_proposal(proposal: Proposal) -> list[Event]:
    """An accepted proposal's training items become events to schedule: interest lists (no date
    yet) linked to their item, sized for the item's people, open to an outside client. Written
    for the accepting sponsor, who does not schedule events, so no access check here; the
    coordinators find them on the events to schedule."""
    events = []
    items = proposal.items.exclude(kind=ItemKind.NON_TRAINING).filter(events__isnull=True)
    for item in items.select_related("course"):
        event = Event.objects.create(
            title=item.title,
            course=item.course,
            proposal_item=item,
            capacity=item.people,
            description=item.description,
        )
        if proposal.client.unit_id is None:
            event.clients.add(proposal.client)
        events.append(event)
    return events


def overlaps(
    *,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    facilitators: list[Facilitator],
    venue: str,
    room: str,
    exclude: Session | None = None,
) -> list[str]:
    """Warnings (not errors): the same facilitator or the same room booked at the same time."""
    clash = Session.objects.filter(starts_at__lt=ends_at, ends_at__gt=starts_at).exclude(
        event__status=EventStatus.CANCELLED
    )
    if exclude is not None and exclude.pk is not None:
        clash = clash.exclude(pk=exclude.pk)
    warnings: list[str] = []
    if facilitators:
        for session in (
            clash.filter(facilitators__in=facilitators).distinct().select_related("event")
        ):
            names = ", ".join(str(f) for f in session.facilitators.all() if f in facilitators)
            warnings.append(
                f"{names} also runs \u201c{session.event}\u201d at "
                f"{session.starts_at:%d %b %Y %H:%M}."
            )
    if room.strip():
        for session in clash.filter(venue=venue.strip(), room=room.strip()).select_related("event"):
            warnings.append(
                f"{room.strip()} is booked for \u201c{session.event}\u201d at "
                f"{session.starts_at:%d %b %Y %H:%M}."
            )
    return warnings


@transaction.atomic
def add_session(
    *,
    acting_user: User,
    event: Event,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    time_zone: str = "Europe/London",
    venue: str = "",
    room: str = "",
    online_url: str = "",
    facilitators: list[Facilitator] | None = None,
) -> tuple[Session, list[str]]:
    """Add a session; the first one schedules an interest list (everyone interested is told).
    Returns the session and any overlap warnings."""
    _require_manager(acting_user)
    event = locked_event(event)
    errors: dict[str, str] = {}
    if event.status in {EventStatus.CANCELLED, EventStatus.COMPLETED}:
        raise ValidationError(f"{event} is {event.get_status_display().lower()}.")
    if time_zone not in zoneinfo.available_timezones():
        errors["time_zone"] = f"{time_zone!r} is not a time zone (e.g. Europe/London)."
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        errors["starts_at"] = "Give the start and end with their time zone."
    elif ends_at <= starts_at:
        errors["ends_at"] = (
            f"The session ends ({ends_at:%d %b %Y %H:%M}) before it starts "
            f"({starts_at:%d %b %Y %H:%M})."
        )
    if not venue.strip() and not online_url.strip():
        errors["venue"] = "Give a venue or an online link."
    if errors:
        raise ValidationError(errors)
    facilitators = list(facilitators or [])
    warnings = overlaps(
        starts_at=starts_at, ends_at=ends_at, facilitators=facilitators, venue=venue, room=room
    )
    session = Session.objects.create(
        event=event,
        starts_at=starts_at,
        ends_at=ends_at,
        time_zone=time_zone,
        venue=venue.strip(),
        room=room.strip(),
        online_url=online_url.strip(),
    )
    session.facilitators.set(facilitators)
    if event.status == EventStatus.INTEREST:
        event.status = EventStatus.SCHEDULED
        event.save(update_fields=["status", "updated_at"])
        for enrolment in event.enrolments.filter(status=EnrolmentStatus.INTERESTED).select_related(
            "employee__user"
        ):
            tell_person(enrolment, f"{event} now has a date: ask for a place.")
    Event.objects.filter(pk=event.pk).update(sequence=event.sequence + 1)
    return session, warnings


@transaction.atomic
def add_cost(
    *, acting_user: User, event: Event, category: str, amount: object, label: str = ""
) -> EventCost:
    _require_manager(acting_user)
    errors: dict[str, str] = {}
    if category not in CostCategory.values:
        errors["category"] = f"Category must be one of {', '.join(CostCategory.values)}."
    try:
        value = Decimal(str(amount).strip())
    except ArithmeticError:
        errors["amount"] = f"{amount!r} is not an amount."
        value = Decimal("0")
    if not errors.get("amount") and (not value.is_finite() or value < 0 or value >= 10**12):
        errors["amount"] = "An amount is zero or more, and below a trillion."
    if len(label) > 200:
        errors["label"] = "Keep the label to 200 characters."
    if errors:
        raise ValidationError(errors)
    return EventCost.objects.create(
        event=event, category=category, amount=value, label=label.strip()
    )


def total_cost(event: Event) -> Decimal:
    """The fully loaded cost: the cost lines, or the catalogue's costing rule for the places
    held when no line is recorded yet."""
    lines = sum((line.amount for line in event.costs.all()), Decimal("0"))
    if lines or event.course is None:
        return lines
    held = event.enrolments.filter(
        status__in=[EnrolmentStatus.BOOKED, EnrolmentStatus.ATTENDED, EnrolmentStatus.PARTIAL]
    ).count()
    return cost_for(event.course, max(held, 1))


@transaction.atomic
def cancel_event(*, acting_user: User, event: Event, reason: str) -> Event:
    """Cancel the event: everyone on it is moved to "cancelled with the event" and told."""
    _require_manager(acting_user)
    event = locked_event(event)
    if event.status in {EventStatus.CANCELLED, EventStatus.COMPLETED}:
        raise ValidationError(f"{event} is already {event.get_status_display().lower()}.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the event is cancelled."})
    event.status = EventStatus.CANCELLED
    event.cancel_reason = reason.strip()
    event.sequence += 1
    event.save(update_fields=["status", "cancel_reason", "sequence", "updated_at"])
    for enrolment in event.enrolments.filter(status__in=ACTIVE).select_related("employee__user"):
        record_status(enrolment, EnrolmentStatus.EVENT_CANCELLED, acting_user, reason.strip())
        tell_person(enrolment, f"{event} is cancelled: {reason.strip()}")
    return event


def upcoming(now: datetime.datetime) -> QuerySet[Event]:
    """Events with a session still to come."""
    return Event.objects.filter(Q(sessions__ends_at__gte=now)).distinct()
