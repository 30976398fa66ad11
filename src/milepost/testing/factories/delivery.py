"""Factories for delivery: events with sessions, facilitators and enrolments."""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from milepost.delivery.models import (
    Enrolment,
    EnrolmentStatus,
    Event,
    EventStatus,
    Facilitator,
    Session,
)
from milepost.testing.factories.people import EmployeeFactory

NEXT_MONTH = datetime.datetime(2027, 1, 12, 9, 30, tzinfo=datetime.UTC)


class EventFactory(DjangoModelFactory):
    """A scheduled event with room for ten (add sessions with SessionFactory)."""

    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Calm calls, run {n}")
    status = EventStatus.SCHEDULED
    capacity = 10


class FacilitatorFactory(DjangoModelFactory):
    class Meta:
        model = Facilitator

    name = factory.Sequence(lambda n: f"Facilitator {n}")


class SessionFactory(DjangoModelFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    starts_at = NEXT_MONTH
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + datetime.timedelta(hours=7))
    venue = "Manchester office"
    room = "Training room 2"


class EnrolmentFactory(DjangoModelFactory):
    """A booked employee."""

    class Meta:
        model = Enrolment

    event = factory.SubFactory(EventFactory)
    employee = factory.SubFactory(EmployeeFactory)
    status = EnrolmentStatus.BOOKED
