"""Enrolment: places, the waitlist served in order, approvals, cancellations, capacity, and no
overbooking when people race for the last place (real threads on PostgreSQL)."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from milepost.accounts.models import Notification, Role
from milepost.delivery.models import Enrolment, EnrolmentStatus, Event, EventStatus
from milepost.delivery.services import enrolment as enrolment_services
from milepost.delivery.services import events as event_services
from milepost.testing.factories import (
    ClientFactory,
    CourseFactory,
    EmployeeFactory,
    EventFactory,
    FacilitatorFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

START = datetime.datetime(2027, 1, 12, 9, 30, tzinfo=datetime.UTC)
Status = EnrolmentStatus


def _team(org, n: int):
    return [
        EmployeeFactory.create(unit=org.motor_team, manager=org.claims_manager_employee)
        for _ in range(n)
    ]


def test_a_full_event_waitlists_and_a_cancellation_promotes_the_first_in_line(org) -> None:
    event = EventFactory.create(capacity=2)
    first, second, third, fourth = _team(org, 4)
    enrol = enrolment_services.enrol_employee
    a = enrol(acting_user=org.claims_manager, event=event, employee=first)
    b = enrol(acting_user=org.claims_manager, event=event, employee=second)
    c = enrol(acting_user=org.claims_manager, event=event, employee=third)
    d = enrol(acting_user=org.claims_manager, event=event, employee=fourth)
    assert [a.status, b.status, c.status, d.status] == [Status.BOOKED] * 2 + [Status.WAITLISTED] * 2

    third.user = UserFactory.create(username="third", role=Role.EMPLOYEE)
    third.save()
    enrolment_services.cancel(acting_user=org.claims_manager, enrolment=a, note="Off sick")
    statuses = dict(Enrolment.objects.values_list("employee_id", "status"))
    assert statuses == {
        first.pk: Status.CANCELLED,
        second.pk: Status.BOOKED,
        third.pk: Status.BOOKED,  # first in line
        fourth.pk: Status.WAITLISTED,
    }
    told = Notification.objects.get(user=third.user)
    assert "A place came free" in told.message
    history = list(Enrolment.objects.get(pk=c.pk).changes.values_list("status", flat=True))
    assert history == [Status.WAITLISTED, Status.BOOKED]


def test_an_interest_list_counts_interest_until_it_gets_a_date(org) -> None:
    event = event_services.create_event(acting_user=org.coordinator, title="Cyber risk for SMEs")
    assert event.status == EventStatus.INTEREST
    mo = enrolment_services.enrol_employee(
        acting_user=org.employee_user, event=event, employee=org.motor_handler
    )
    assert mo.status == Status.INTERESTED
    _, warnings = event_services.add_session(
        acting_user=org.coordinator,
        event=event,
        starts_at=START,
        ends_at=START + datetime.timedelta(hours=3),
        venue="Online",
        online_url="https://meet.example/cyber",
    )
    event.refresh_from_db()
    assert event.status == EventStatus.SCHEDULED and warnings == []
    assert event.sequence == 1
    assert Notification.objects.filter(user=org.employee_user, message__contains="now has a date")


def test_a_request_waits_for_the_line_manager_when_the_event_asks(org) -> None:
    event = EventFactory.create(capacity=5, needs_approval=True)
    request = enrolment_services.enrol_employee(
        acting_user=org.employee_user, event=event, employee=org.motor_handler
    )
    assert request.status == Status.REQUESTED
    assert Notification.objects.filter(user=org.claims_manager, message__contains="asks for")
    with pytest.raises(PermissionDenied):
        enrolment_services.approve(acting_user=org.employee_user, enrolment=request)
    with pytest.raises(PermissionDenied):
        enrolment_services.approve(acting_user=org.underwriting_manager, enrolment=request)
    booked = enrolment_services.approve(acting_user=org.claims_manager, enrolment=request)
    assert booked.status == Status.BOOKED
    assert list(booked.changes.values_list("status", flat=True)) == [
        Status.REQUESTED,
        Status.APPROVED,
        Status.BOOKED,
    ]
    with pytest.raises(ValidationError, match="not a request"):
        enrolment_services.approve(acting_user=org.claims_manager, enrolment=booked)


def test_declining_a_request_needs_a_reason(org) -> None:
    event = EventFactory.create(needs_approval=True)
    request = enrolment_services.enrol_employee(
        acting_user=org.employee_user, event=event, employee=org.motor_handler
    )
    with pytest.raises(ValidationError, match="Say why"):
        enrolment_services.decline(acting_user=org.claims_manager, enrolment=request, reason=" ")
    declined = enrolment_services.decline(
        acting_user=org.claims_manager, enrolment=request, reason="Peak claims month"
    )
    assert declined.status == Status.DECLINED
    again = enrolment_services.enrol_employee(
        acting_user=org.claims_manager, event=event, employee=org.motor_handler
    )
    assert again.pk == declined.pk and again.status == Status.BOOKED


def test_who_may_enrol_whom(org) -> None:
    event = EventFactory.create()
    with pytest.raises(PermissionDenied):  # someone else's person
        enrolment_services.enrol_employee(
            acting_user=org.claims_manager, event=event, employee=org.underwriter
        )
    with pytest.raises(PermissionDenied):  # an employee enrols only themselves
        enrolment_services.enrol_employee(
            acting_user=org.employee_user, event=event, employee=org.claims_manager_employee
        )
    with pytest.raises(PermissionDenied):
        enrolment_services.enrol_employee(
            acting_user=org.executive, event=event, employee=org.motor_handler
        )
    enrolment_services.enrol_employee(
        acting_user=org.coordinator, event=event, employee=org.underwriter
    )
    with pytest.raises(ValidationError, match="already on it"):
        enrolment_services.enrol_employee(
            acting_user=org.coordinator, event=event, employee=org.underwriter
        )
    assert Enrolment.objects.count() == 1


def test_guests_only_on_events_open_to_their_employer(org) -> None:
    harbour = ClientFactory.create(name="Harbour")
    event = EventFactory.create(capacity=1)
    with pytest.raises(ValidationError, match="not open to Harbour"):
        enrolment_services.enrol_guest(
            acting_user=org.coordinator, event=event, client=harbour, name="Dan Driver"
        )
    event.clients.add(harbour)
    with pytest.raises(PermissionDenied):  # a contact of no client
        enrolment_services.enrol_guest(
            acting_user=org.employer_contact, event=event, client=harbour, name="Dan Driver"
        )
    first = enrolment_services.enrol_guest(
        acting_user=org.coordinator,
        event=event,
        client=harbour,
        name="Dan Driver",
        email="Dan@Harbour.example",
    )
    second = enrolment_services.enrol_guest(
        acting_user=org.coordinator, event=event, client=harbour, name="Eve Driver"
    )
    assert (first.status, second.status) == (Status.BOOKED, Status.WAITLISTED)
    with pytest.raises(ValidationError, match="already on"):
        enrolment_services.enrol_guest(
            acting_user=org.coordinator,
            event=event,
            client=harbour,
            name="Dan again",
            email="dan@harbour.example",
        )


def test_capacity_never_below_the_places_held_and_more_places_serve_the_waitlist(org) -> None:
    event = EventFactory.create(capacity=1)
    a, b, c = _team(org, 3)
    for person in (a, b, c):
        enrolment_services.enrol_employee(acting_user=org.coordinator, event=event, employee=person)
    with pytest.raises(ValidationError, match="1 places are already booked"):
        enrolment_services.set_capacity(acting_user=org.coordinator, event=event, capacity=0)
    enrolment_services.set_capacity(acting_user=org.coordinator, event=event, capacity=2)
    assert Enrolment.objects.filter(status=Status.BOOKED).count() == 2
    assert [e.employee for e in enrolment_services.waitlist(event)] == [c]


def test_cancelling_the_event_tells_everyone_on_it(org) -> None:
    event = EventFactory.create(capacity=1)
    mine = enrolment_services.enrol_employee(
        acting_user=org.employee_user, event=event, employee=org.motor_handler
    )
    with pytest.raises(ValidationError, match="Say why"):
        event_services.cancel_event(acting_user=org.coordinator, event=event, reason="")
    event_services.cancel_event(acting_user=org.coordinator, event=event, reason="Trainer ill")
    mine.refresh_from_db()
    assert mine.status == Status.EVENT_CANCELLED
    assert Event.objects.get(pk=event.pk).sequence == 1
    assert Notification.objects.filter(user=org.employee_user, message__contains="Trainer ill")
    with pytest.raises(ValidationError, match="cancelled"):
        enrolment_services.enrol_employee(
            acting_user=org.coordinator, event=event, employee=org.underwriter
        )


def test_sessions_refuse_bad_times_and_warn_about_clashes(org) -> None:
    trainer = FacilitatorFactory.create(name="Tess Trainer")
    busy = SessionFactory.create(starts_at=START, venue="Manchester office", room="Room 2")
    busy.facilitators.add(trainer)
    event = EventFactory.create()
    with pytest.raises(ValidationError) as refused:
        event_services.add_session(
            acting_user=org.coordinator,
            event=event,
            starts_at=START,
            ends_at=START - datetime.timedelta(hours=1),
            venue="Manchester office",
        )
    assert "ends_at" in refused.value.message_dict
    assert not event.sessions.exists()
    _, warnings = event_services.add_session(
        acting_user=org.coordinator,
        event=event,
        starts_at=START + datetime.timedelta(hours=1),
        ends_at=START + datetime.timedelta(hours=2),
        venue="Manchester office",
        room="Room 2",
        facilitators=[trainer],
    )
    assert len(warnings) == 2
    assert "Tess Trainer also runs" in warnings[0] and "Room 2 is booked" in warnings[1]
    with pytest.raises(PermissionDenied):
        event_services.add_session(
            acting_user=org.claims_manager,
            event=event,
            starts_at=START,
            ends_at=START + datetime.timedelta(hours=1),
            venue="x",
        )


def test_an_event_from_a_retired_course_is_refused_and_costs_add_up(org) -> None:
    retired = CourseFactory.create(is_active=False)
    with pytest.raises(ValidationError, match="retired"):
        event_services.create_event(acting_user=org.coordinator, course=retired)
    course = CourseFactory.create(places_per_run=12)
    event = event_services.create_event(acting_user=org.coordinator, course=course)
    assert event.title == course.title and event.capacity == 12
    event_services.add_cost(
        acting_user=org.coordinator, event=event, category="venue", amount="350"
    )
    event_services.add_cost(
        acting_user=org.coordinator, event=event, category="participants_time", amount="1200.50"
    )
    with pytest.raises(ValidationError, match="zero or more"):
        event_services.add_cost(
            acting_user=org.coordinator, event=event, category="travel", amount="-5"
        )
    with pytest.raises(ValidationError, match="not an amount"):
        event_services.add_cost(
            acting_user=org.coordinator, event=event, category="travel", amount="lots"
        )
    assert event_services.total_cost(event) == Decimal("1550.50")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks race on PostgreSQL; SQLite serialises writers (the PostgreSQL pass runs it)",
)
def test_racing_for_the_last_place_never_overbooks(org) -> None:
    """Eight threads take the last place at once while the holder of the other cancels: exactly
    the capacity is booked and everyone else is waitlisted."""
    event = EventFactory.create(capacity=2)
    holder = _team(org, 1)[0]
    first = enrolment_services.enrol_employee(
        acting_user=org.coordinator, event=event, employee=holder
    )
    racers = _team(org, 8)
    start = threading.Barrier(len(racers) + 1)
    errors: list[BaseException] = []

    def take(employee=None) -> None:
        try:
            start.wait()
            if employee is None:
                enrolment_services.cancel(acting_user=org.coordinator, enrolment=first)
            else:
                enrolment_services.enrol_employee(
                    acting_user=org.coordinator, event=event, employee=employee
                )
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(person,)) for person in racers]
    threads.append(threading.Thread(target=take))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    booked = Enrolment.objects.filter(event=event, status=Status.BOOKED).count()
    waiting = Enrolment.objects.filter(event=event, status=Status.WAITLISTED).count()
    cancelled = Enrolment.objects.filter(event=event, status=Status.CANCELLED).count()
    # Nine people for two places, one of whom cancelled: whichever came first, two are booked.
    assert (booked, waiting, cancelled) == (2, 6, 1)
