"""Needs by client: the demand board's and the needs list's Client filter, the needs API's
`client` filter and the Client column of the needs exports."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client as Browser
from django.urls import reverse

from milepost.accounts.services import issue_api_token
from milepost.clients.models import Client
from milepost.needs.models import Need
from milepost.testing.factories import ClientFactory, InternalClientFactory

pytestmark = pytest.mark.django_db

BOARD = reverse("needs:board")
NEED_LIST = reverse("needs:need-list")


def need_of(org, client: Client, title: str) -> Need:
    return Need.objects.create(
        title=title,
        description=f"{title}: people struggle with this since the spring.",
        unit=client.unit or org.underwriting,
        requester=org.coordinator,
        client=client,
    )


@pytest.fixture
def clients(org) -> dict[str, Client]:
    claims = InternalClientFactory.create(name="Claims", unit=org.claims, owner=org.coordinator)
    harbour = ClientFactory.create(name="Harbour <b>Brokers</b>")
    ClientFactory.create(name="Quiet Ltd")  # no needs: not a choice
    need_of(org, claims, "Calmer calls")
    need_of(org, harbour, "Broker onboarding")
    return {"claims": claims, "harbour": harbour}


def titles_on_board(response) -> list[str]:
    return [row.title for row in response.context["page_obj"].object_list]


def test_board_filters_by_client_and_offers_only_clients_with_needs(org, login, clients):
    browser = login(org.coordinator)

    everything = browser.get(BOARD)
    harbour_only = browser.get(BOARD, {"client": clients["harbour"].pk})

    assert sorted(titles_on_board(everything)) == ["Broker onboarding", "Calmer calls"]
    assert titles_on_board(harbour_only) == ["Broker onboarding"]
    choices = [str(c) for c in everything.context["form"].fields["client"].queryset]
    assert choices == ["Claims", "Harbour <b>Brokers</b>"]
    assert b"Harbour &lt;b&gt;Brokers&lt;/b&gt;" in everything.content  # escaped in the option


def test_a_line_manager_gets_only_the_clients_of_needs_they_see(org, login, clients):
    response = login(org.claims_manager).get(BOARD)

    assert [str(c) for c in response.context["form"].fields["client"].queryset] == ["Claims"]
    refused = login(org.claims_manager).get(BOARD, {"client": clients["harbour"].pk})
    assert titles_on_board(refused) == []
    assert "client" in refused.context["form"].errors


def test_needs_list_filters_by_client_and_its_export_names_the_client(org, login, clients):
    browser = login(org.coordinator)

    page = browser.get(NEED_LIST, {"client": clients["claims"].pk})
    export = browser.get(NEED_LIST, {"export": "csv"})

    assert [need.title for need in page.context["page_obj"]] == ["Calmer calls"]
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert {row["Title"]: row["Client"] for row in rows} == {
        "Calmer calls": "Claims",
        "Broker onboarding": "Harbour <b>Brokers</b>",
    }


def test_needs_api_filters_by_client(org, clients):
    token = issue_api_token(acting_user=org.coordinator, name="test")[1]

    response = Browser().get(
        "/api/v1/needs",
        {"client": clients["harbour"].pk},
        headers={"Authorization": f"Bearer {token}"},
    )

    assert response.status_code == 200
    assert [need["title"] for need in response.json()["items"]] == ["Broker onboarding"]
