"""A small client book on the shared small organisation (conftest.py at the root)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from milepost.accounts.models import Role, User
from milepost.clients.models import Client, Contact
from milepost.testing.factories import (
    ClientFactory,
    InternalClientFactory,
    PortalContactFactory,
    UserFactory,
)


@dataclass
class ClientBook:
    """Claims and Underwriting as internal clients; two employers, one with a portal login."""

    account_manager: User
    other_account_manager: User
    quality_lead: User
    claims: Client
    underwriting: Client
    harbour: Client  # owned by account_manager; its contact has a portal login
    northgate: Client  # owned by other_account_manager
    harbour_contact: Contact
    northgate_contact: Contact


@pytest.fixture
def book(org: Any) -> ClientBook:
    am = UserFactory.create(
        username="am", role=Role.ACCOUNT_MANAGER, first_name="Ann", last_name="Mills"
    )
    other = UserFactory.create(
        username="am2", role=Role.ACCOUNT_MANAGER, first_name="Ola", last_name="Ng"
    )
    harbour = ClientFactory.create(name="Harbour Brokers", owner=am)
    northgate = ClientFactory.create(name="Northgate Insurance", owner=other, sector="Insurance")
    return ClientBook(
        account_manager=am,
        other_account_manager=other,
        quality_lead=UserFactory.create(username="ql", role=Role.QUALITY_LEAD),
        claims=InternalClientFactory.create(name="Claims", unit=org.claims, owner=org.coordinator),
        underwriting=InternalClientFactory.create(
            name="Underwriting", unit=org.underwriting, owner=am
        ),
        harbour=harbour,
        northgate=northgate,
        harbour_contact=PortalContactFactory.create(
            client=harbour, name="Hana Harbour", user=org.employer_contact
        ),
        northgate_contact=PortalContactFactory.create(client=northgate, name="Nick Gate"),
    )
