"""Enrolment: requests, approval, places and the waitlist, cancellations.

Every change to who holds a place locks the event's row first (`select_for_update`), then counts
the places held inside the same transaction, so two people taking the last place at the same
moment, or a cancellation racing a booking, leave exactly one booked and the other waitlisted.
SQLite takes its write lock when the transaction begins (`transaction_mode: IMMEDIATE` in
settings), which serialises the same steps there.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from milepost.accounts.access import (
    can_approve_employee,
    can_enrol_employee,
    can_enrol_guest,
    can_manage_events,
    require,
)
from milepost.accounts.models import User
from milepost.accounts.services import notify
from milepost.clients.models import Client
from milepost.delivery.models import (
    ACTIVE,
    HOLDS_A_PLACE,
    Enrolment,
    EnrolmentChange,
    EnrolmentStatus,
    Event,
    EventStatus,
)
from milepost.people.models import Employee

ENROL_DENIED = (
    "You can enrol yourself, the people of the units you manage (line managers), your own "
    "organisation's people on events open to it (employer contacts), or anyone (coordinators)."
)


def event_url(event_id: int) -> str:
    """The event's page, for inbox messages ('' until the delivery pages are mounted)."""
    try:
        return reverse("delivery:event-detail", args=[event_id])
    except NoReverseMatch:
        return ""


def locked_event(event: Event) -> Event:
    """The event's row, locked until the transaction ends."""
    return Event.objects.select_for_update().get(pk=event.pk)


def places_held(event: Event) -> int:
    return event.enrolments.filter(status__in=HOLDS_A_PLACE).count()


def places_left(event: Event) -> int | None:
    """Free places (None: no limit)."""
    if event.capacity is None:
        return None
    return max(event.capacity - places_held(event), 0)


def record_status(
    enrolment: Enrolment, status: str, by: User | None, note: str = "", **fields: object
) -> Enrolment:
    enrolment.status = status
    for name, value in fields.items():
        setattr(enrolment, name, value)
    enrolment.save(update_fields=["status", *fields, "updated_at"])
    EnrolmentChange.objects.create(enrolment=enrolment, status=status, by=by, note=note)
    return enrolment


def tell_person(enrolment: Enrolment, message: str) -> None:
    """The person's inbox (and email, if they want it); guests hear through their contact."""
    employee = enrolment.employee
    if employee is not None and employee.user_id is not None:
        assert employee.user is not None
        notify(
            recipient=employee.user,
            message=message,
            url=event_url(enrolment.event_id),
        )


def _place(event: Event, enrolment: Enrolment, by: User | None, note: str = "") -> Enrolment:
    """Book a place if one is free, else join the end of the waitlist. Hold the event's lock."""
    left = places_left(event)
    if left is None or left > 0:
        return record_status(enrolment, EnrolmentStatus.BOOKED, by, note, waitlisted_at=None)
    return record_status(
        enrolment, EnrolmentStatus.WAITLISTED, by, note, waitlisted_at=timezone.now()
    )


def _promote(event: Event, by: User | None) -> list[Enrolment]:
    """Give freed places to the waitlist, first come first served, and tell each person.
    Hold the event's lock."""
    promoted: list[Enrolment] = []
    left = places_left(event)
    if left == 0 or event.status != EventStatus.SCHEDULED:
        return promoted
    waiting = event.enrolments.filter(status=EnrolmentStatus.WAITLISTED).order_by(
        "waitlisted_at", "pk"
    )
    if left is not None:
        waiting = waiting[:left]
    for enrolment in waiting.select_related("employee__user"):
        record_status(
            enrolment, EnrolmentStatus.BOOKED, by, "A place was freed.", waitlisted_at=None
        )
        tell_person(enrolment, f"A place came free: you are booked on {event}.")
        promoted.append(enrolment)
    return promoted


def _check_open(event: Event) -> None:
    if event.status in {EventStatus.CANCELLED, EventStatus.COMPLETED}:
        raise ValidationError(f"{event} is {event.get_status_display().lower()}; enrol on a run.")


@transaction.atomic
def enrol_employee(
    *, acting_user: User, event: Event, employee: Employee, note: str = ""
) -> Enrolment:
    """Put `employee` on `event`: registered interest while it has no date; a request when the
    event needs a manager's approval and the person asks for themselves; otherwise a place, or
    the waitlist when it is full. Enrolling someone already on it is refused; someone who
    cancelled or was declined is enrolled again."""
    require(
        can_enrol_employee(acting_user, employee_id=employee.pk, unit_path=employee.unit.path),
        ENROL_DENIED,
    )
    event = locked_event(event)
    _check_open(event)
    if not employee.is_active:
        raise ValidationError({"employee": f"{employee} has left the organisation."})
    existing = Enrolment.objects.filter(event=event, employee=employee).first()
    if existing is not None and existing.status in ACTIVE:
        raise ValidationError(
            {"employee": f"{employee} is already on it ({existing.get_status_display().lower()})."}
        )
    if existing is None:
        enrolment = Enrolment(event=event, employee=employee, enrolled_by=acting_user)
    else:
        enrolment = existing
        enrolment.result = ""
    if event.status == EventStatus.INTEREST:
        enrolment.status = EnrolmentStatus.INTERESTED
        enrolment.save()
        EnrolmentChange.objects.create(
            enrolment=enrolment, status=enrolment.status, by=acting_user, note=note
        )
        return enrolment
    asks_for_self = acting_user.pk is not None and employee.user_id == acting_user.pk
    if event.needs_approval and asks_for_self and not can_manage_events(acting_user):
        enrolment.status = EnrolmentStatus.REQUESTED
        enrolment.save()
        EnrolmentChange.objects.create(
            enrolment=enrolment, status=enrolment.status, by=acting_user, note=note
        )
        _tell_manager(enrolment)
        return enrolment
    enrolment.status = EnrolmentStatus.REQUESTED  # placed just below
    enrolment.save()
    return _place(event, enrolment, acting_user, note)


def _tell_manager(enrolment: Enrolment) -> None:
    employee = enrolment.employee
    manager = employee.manager if employee is not None else None
    if manager is not None and manager.user_id is not None:
        assert manager.user is not None
        notify(
            recipient=manager.user,
            message=f"{enrolment.person_name} asks for a place on {enrolment.event}.",
            url=event_url(enrolment.event_id),
        )


@transaction.atomic
def enrol_guest(
    *,
    acting_user: User,
    event: Event,
    client: Client,
    name: str,
    email: str = "",
    note: str = "",
) -> Enrolment:
    """One of an outside employer's people, on an event open to that employer."""
    require(can_enrol_guest(acting_user, client_id=client.pk), ENROL_DENIED)
    event = locked_event(event)
    _check_open(event)
    errors: dict[str, str] = {}
    if not event.clients.filter(pk=client.pk).exists():
        errors["event"] = f"{event} is not open to {client}."
    name, email = name.strip(), email.strip().lower()
    if not name:
        errors["name"] = "Give the person's name."
    elif len(name) > 200:
        errors["name"] = "Keep the name to 200 characters."
    if (
        email
        and event.enrolments.filter(client=client, guest_email=email, status__in=ACTIVE).exists()
    ):
        errors["email"] = f"{email} is already on {event}."
    if errors:
        raise ValidationError(errors)
    enrolment = Enrolment.objects.filter(event=event, client=client, guest_email=email).first()
    if enrolment is None or not email:
        enrolment = Enrolment(event=event, client=client, guest_email=email)
    enrolment.guest_name = name
    enrolment.enrolled_by = acting_user
    if event.status == EventStatus.INTEREST:
        enrolment.status = EnrolmentStatus.INTERESTED
        enrolment.save()
        EnrolmentChange.objects.create(
            enrolment=enrolment, status=enrolment.status, by=acting_user, note=note
        )
        return enrolment
    enrolment.status = EnrolmentStatus.REQUESTED
    enrolment.save()
    return _place(event, enrolment, acting_user, note)


def _require_approver(user: User, enrolment: Enrolment) -> None:
    employee = enrolment.employee
    if employee is None:
        require(can_manage_events(user), "Only coordinators approve a guest's request.")
        return
    if not can_approve_employee(user, employee_id=employee.pk, unit_path=employee.unit.path):
        raise PermissionDenied(
            "Only the person's line manager or a coordinator approves a request for a place."
        )


@transaction.atomic
def approve(*, acting_user: User, enrolment: Enrolment, note: str = "") -> Enrolment:
    """Approve a request: a place if one is free, else the waitlist."""
    _require_approver(acting_user, enrolment)
    event = locked_event(enrolment.event)
    enrolment = Enrolment.objects.get(pk=enrolment.pk)
    if enrolment.status != EnrolmentStatus.REQUESTED:
        raise ValidationError(
            f"This enrolment is {enrolment.get_status_display().lower()}, not a request."
        )
    record_status(enrolment, EnrolmentStatus.APPROVED, acting_user, note)
    placed = _place(event, enrolment, acting_user)
    tell_person(
        placed, f"Your place on {event} was approved: {placed.get_status_display().lower()}."
    )
    return placed


@transaction.atomic
def decline(*, acting_user: User, enrolment: Enrolment, reason: str) -> Enrolment:
    _require_approver(acting_user, enrolment)
    locked_event(enrolment.event)
    enrolment = Enrolment.objects.get(pk=enrolment.pk)
    if enrolment.status != EnrolmentStatus.REQUESTED:
        raise ValidationError("Only a request can be declined.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the request is declined."})
    record_status(enrolment, EnrolmentStatus.DECLINED, acting_user, reason.strip())
    tell_person(enrolment, f"Your request for {enrolment.event} was declined: {reason.strip()}")
    return enrolment


def _may_cancel(user: User, enrolment: Enrolment) -> bool:
    if enrolment.employee is not None:
        employee = enrolment.employee
        return can_enrol_employee(user, employee_id=employee.pk, unit_path=employee.unit.path)
    assert enrolment.client_id is not None
    return can_enrol_guest(user, client_id=enrolment.client_id)


@transaction.atomic
def cancel(*, acting_user: User, enrolment: Enrolment, note: str = "") -> Enrolment:
    """The person (or whoever enrolled them) cancels; a freed place goes to the waitlist."""
    require(_may_cancel(acting_user, enrolment), ENROL_DENIED)
    event = locked_event(enrolment.event)
    enrolment = Enrolment.objects.get(pk=enrolment.pk)
    if enrolment.status not in ACTIVE:
        raise ValidationError(
            f"This enrolment is {enrolment.get_status_display().lower()}; nothing to cancel."
        )
    record_status(
        enrolment, EnrolmentStatus.CANCELLED, acting_user, note.strip(), waitlisted_at=None
    )
    _promote(event, acting_user)
    return enrolment


@transaction.atomic
def set_capacity(*, acting_user: User, event: Event, capacity: int | None) -> Event:
    """Change the number of places: never below the places already held; more places go to
    the waitlist at once."""
    require(can_manage_events(acting_user), "Only coordinators change an event's places.")
    event = locked_event(event)
    held = places_held(event)
    if capacity is not None and capacity < held:
        raise ValidationError(
            {
                "capacity": f"{held} places are already booked; cancel some before lowering to "
                f"{capacity}."
            }
        )
    if capacity is not None and capacity < 1:
        raise ValidationError({"capacity": "An event has at least one place."})
    event.capacity = capacity
    event.save(update_fields=["capacity", "updated_at"])
    _promote(event, acting_user)
    return event


def waitlist(event: Event) -> QuerySet[Enrolment]:
    return event.enrolments.filter(status=EnrolmentStatus.WAITLISTED).order_by(
        "waitlisted_at", "pk"
    )
