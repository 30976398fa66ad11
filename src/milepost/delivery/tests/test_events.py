"""Events from the chain: an accepted proposal's training items become events to schedule."""

from __future__ import annotations

import pytest

from milepost.delivery.models import Event, EventStatus
from milepost.proposals.models import ItemKind, ProposalStatus
from milepost.proposals.services.proposals import accept_proposal
from milepost.testing.factories import (
    BusinessIssueFactory,
    ClientFactory,
    CourseFactory,
    InternalClientFactory,
    PortalContactFactory,
    ProposalFactory,
    ProposalItemFactory,
)

pytestmark = pytest.mark.django_db


def _sent(client, **sponsor):
    issue = BusinessIssueFactory.create(client=client)
    proposal = ProposalFactory.create(client=client, status=ProposalStatus.SENT, **sponsor)
    proposal.issues.set([issue])
    course = CourseFactory.create(title="De-escalating difficult calls")
    ProposalItemFactory.create(
        proposal=proposal, kind=ItemKind.COURSE, course=course, title=course.title, people=24
    )
    ProposalItemFactory.create(proposal=proposal, kind=ItemKind.NON_TRAINING, title="Scripts")
    return proposal, course


def test_accepting_makes_an_interest_list_for_each_training_item(org) -> None:
    client = InternalClientFactory.create(unit=org.claims, owner=org.coordinator)
    proposal, course = _sent(client, sponsor_user=org.claims_manager)
    accept_proposal(acting_user=org.claims_manager, proposal=proposal)
    event = Event.objects.get()
    assert (event.title, event.course, event.capacity) == (course.title, course, 24)
    assert event.status == EventStatus.INTEREST and not event.sessions.exists()
    assert event.proposal_item is not None and event.proposal_item.proposal == proposal
    assert not event.clients.exists()  # an internal client's people are employees


def test_an_outside_employers_event_is_open_to_that_employer(org) -> None:
    client = ClientFactory.create(name="Harbour")
    contact = PortalContactFactory.create(client=client, user=org.employer_contact)
    proposal, _ = _sent(client, sponsor_contact=contact)
    accept_proposal(acting_user=org.employer_contact, proposal=proposal)
    assert list(Event.objects.get().clients.all()) == [client]
