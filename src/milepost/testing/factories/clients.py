"""Factories for clients: employers and business units, contacts, interactions, maps."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from milepost.accounts.models import Role
from milepost.clients.models import (
    Client,
    Contact,
    Interaction,
    InteractionKind,
    JourneyTemplate,
    Kind,
    Stakeholder,
    StakeholderMap,
)
from milepost.clients.services import clients as services
from milepost.testing.factories.accounts import OrgUnitFactory, UserFactory


def default_journey() -> JourneyTemplate:
    """The shipped employer journey (written again if a transactional test's flush wiped the
    rows migration clients/0002 made)."""
    return services.default_journey()


class ClientFactory(DjangoModelFactory):
    """An outside employer with an account manager as owner, at the journey's first stage."""

    class Meta:
        model = Client

    kind = Kind.EXTERNAL
    name = factory.Sequence(lambda n: f"Employer {n} Ltd")
    sector = "Insurance broking"
    owner = factory.SubFactory(UserFactory, role=Role.ACCOUNT_MANAGER)
    journey = factory.LazyFunction(default_journey)
    stage = factory.LazyAttribute(lambda client: client.journey.stages.order_by("position").first())


class InternalClientFactory(ClientFactory):
    """A business unit of our own group as a client."""

    kind = Kind.INTERNAL
    name = factory.Sequence(lambda n: f"Business unit {n}")
    unit = factory.SubFactory(OrgUnitFactory)
    sector = ""


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    client = factory.SubFactory(ClientFactory)
    name = factory.Faker("name")
    job_title = "Operations manager"
    email = factory.Sequence(lambda n: f"contact{n}@employer.test")


class PortalContactFactory(ContactFactory):
    """A contact with an employer contact's login to their client's portal."""

    user = factory.SubFactory(UserFactory, role=Role.EMPLOYER_CONTACT)


class InteractionFactory(DjangoModelFactory):
    class Meta:
        model = Interaction

    client = factory.SubFactory(ClientFactory)
    kind = InteractionKind.MEETING
    occurred_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=3))
    summary = "Talked through their new claims process and what the team finds hard."
    recorded_by = factory.LazyAttribute(lambda interaction: interaction.client.owner)


class StakeholderMapFactory(DjangoModelFactory):
    class Meta:
        model = StakeholderMap

    client = factory.SubFactory(ClientFactory)
    owner = factory.LazyAttribute(lambda m: m.client.owner if m.client else None)


class StakeholderFactory(DjangoModelFactory):
    """An outside body on a map (use contact= or person= for the other kinds)."""

    class Meta:
        model = Stakeholder

    map = factory.SubFactory(StakeholderMapFactory)
    body_name = factory.Sequence(lambda n: f"Awarding body {n}")
    body_type = "awarding_body"
    power = 4
    interest = 3
