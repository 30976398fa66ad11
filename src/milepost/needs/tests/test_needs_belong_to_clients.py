"""Needs belong to clients: the employer's, or the business unit's (issue 12, item 8)."""

from __future__ import annotations

from typing import Any

import pytest

from milepost.accounts.models import Role
from milepost.needs.selectors import visible_needs
from milepost.needs.services import submit_need
from milepost.testing.factories import (
    ClientFactory,
    InternalClientFactory,
    NeedFactory,
    PortalContactFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def clients(org: Any) -> dict[str, Any]:
    harbour = ClientFactory.create(name="Harbour Brokers")
    PortalContactFactory.create(client=harbour, user=org.employer_contact)
    return {
        "harbour": harbour,
        "northgate": ClientFactory.create(name="Northgate Insurance"),
        "claims": InternalClientFactory.create(name="Claims", unit=org.claims),
    }


def test_a_need_belongs_to_the_employer_or_the_business_unit_that_raised_it(org, clients):
    employer_need = submit_need(
        acting_user=org.employer_contact,
        title="Brokers mis-sell add-ons",
        description="Our brokers sell add-ons customers do not need and complaints follow.",
        unit=None,
        suggest=False,
    )
    team_need = submit_need(
        acting_user=org.claims_manager,
        title="Motor team calls",
        description="The motor team struggles with angry callers since the price rise.",
        unit=org.motor_team,  # below Claims: the nearest internal client above it
        suggest=False,
    )
    other_need = submit_need(
        acting_user=org.underwriting_manager,
        title="Cyber pricing",
        description="Underwriters need to price cyber risks for small businesses.",
        unit=org.underwriting,  # not a client
        suggest=False,
    )
    assert employer_need.client == clients["harbour"]
    assert team_need.client == clients["claims"]
    assert other_need.client is None
    assert list(clients["harbour"].needs.all()) == [employer_need]


def test_an_employer_contact_sees_their_organisations_needs_and_no_others(org, clients):
    colleague = UserFactory.create(role=Role.EMPLOYER_CONTACT)
    colleague_need = NeedFactory.create(client=clients["harbour"], requester=colleague, unit=None)
    other_need = NeedFactory.create(client=clients["northgate"], unit=None)
    seen = set(visible_needs(org.employer_contact))
    assert colleague_need in seen
    assert other_need not in seen
