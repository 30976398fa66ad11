"""The clients API: the same selectors and services as the pages, the one error shape."""

from __future__ import annotations

import json
from typing import Any

from django.db import connection
from django.test import Client as Browser
from django.test.utils import CaptureQueriesContext

from milepost.accounts.models import User
from milepost.accounts.services import issue_api_token
from milepost.clients.models import Client, HealthBand, Interaction
from milepost.clients.tests.conftest import ClientBook
from milepost.testing.factories import ClientFactory, ContactFactory, InteractionFactory

API = "/api/v1"


def call(user: User, method: str, path: str, body: Any = None, **query: Any) -> Any:
    token = issue_api_token(acting_user=user, name="test", scope="read_write")[1]
    headers = {"Authorization": f"Bearer {token}"}
    browser = Browser()
    if method == "GET":
        return browser.get(API + path, query, headers=headers)
    return browser.generic(
        method, API + path, json.dumps(body), "application/json", headers=headers
    )


def names(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["items"]]


def test_list_filters_by_kind_owner_stage_health_and_words(book: ClientBook, org: Any) -> None:
    stage = book.northgate.journey.stages.get(position=3)
    Client.objects.filter(pk=book.northgate.pk).update(stage=stage, health_band=HealthBand.AT_RISK)
    ClientFactory.create(name="Orphan Ltd", owner=None)
    reader = book.quality_lead

    everyone = call(reader, "GET", "/clients")
    assert everyone.json()["count"] == 5
    assert names(everyone) == ["Claims", "Harbour Brokers", "Northgate Insurance", "Orphan Ltd",
                               "Underwriting"]  # fmt: skip
    assert names(call(reader, "GET", "/clients", kind="internal")) == ["Claims", "Underwriting"]
    owned = call(reader, "GET", "/clients", owner=book.account_manager.pk)
    assert names(owned) == ["Harbour Brokers", "Underwriting"]
    assert names(call(reader, "GET", "/clients", owner="none")) == ["Orphan Ltd"]
    assert names(call(reader, "GET", "/clients", stage=stage.pk)) == ["Northgate Insurance"]
    assert names(call(reader, "GET", "/clients", health="at_risk")) == ["Northgate Insurance"]
    ContactFactory.create(client=book.harbour, name="Hana Second")
    # a contact's name, once however many of its contacts match
    assert names(call(reader, "GET", "/clients", q="hana")) == ["Harbour Brokers"]


def test_a_line_manager_lists_only_their_units_client(book: ClientBook, org: Any) -> None:
    assert names(call(org.claims_manager, "GET", "/clients")) == ["Claims"]
    assert call(org.claims_manager, "GET", f"/clients/{book.harbour.pk}").status_code == 404


def test_bad_filters_are_named_in_the_one_error_shape(book: ClientBook) -> None:
    response = call(book.quality_lead, "GET", "/clients", kind="partner", health="red", owner="x")

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"kind", "health", "owner"}


def test_client_detail_contacts_and_interactions(book: ClientBook) -> None:
    InteractionFactory.create(client=book.harbour, summary="Internal chat", internal_only=True)

    detail = call(book.quality_lead, "GET", f"/clients/{book.harbour.pk}").json()
    contacts = call(book.quality_lead, "GET", f"/clients/{book.harbour.pk}/contacts").json()
    timeline = call(book.quality_lead, "GET", f"/clients/{book.harbour.pk}/interactions").json()

    assert detail["name"] == "Harbour Brokers"
    assert detail["owner"]["username"] == "am"
    assert detail["stage"]["position"] == 1
    assert [c["name"] for c in contacts["items"]] == ["Hana Harbour"]
    assert contacts["items"][0]["has_portal_login"] is True
    assert [i["summary"] for i in timeline["items"]] == ["Internal chat"]


def test_an_account_manager_adds_a_client_and_owns_it(book: ClientBook) -> None:
    response = call(
        book.account_manager,
        "POST",
        "/clients",
        {"kind": "external", "name": "Quayside Logistics", "size_band": "medium"},
    )

    assert response.status_code == 201, response.content
    assert response.json()["owner"]["username"] == "am"
    assert Client.objects.get(name="Quayside Logistics").owner == book.account_manager


def test_create_errors_name_the_api_fields(book: ClientBook, org: Any) -> None:
    response = call(
        org.coordinator,
        "POST",
        "/clients",
        {"kind": "internal", "name": "harbour brokers", "unit_id": org.claims.pk},
    )

    assert response.status_code == 422
    fields = response.json()["fields"]
    assert "already exists" in fields["name"][0]
    assert fields["unit_id"] == ["Claims is already a client."]
    unknown = call(
        org.coordinator, "POST", "/clients", {"kind": "external", "name": "X", "owner_id": 99999}
    )
    assert unknown.json()["fields"] == {"owner_id": ["no user with id 99999."]}


def test_patch_changes_only_what_is_sent(book: ClientBook) -> None:
    response = call(
        book.account_manager, "PATCH", f"/clients/{book.harbour.pk}", {"sector": "Marine"}
    )

    assert response.status_code == 200, response.content
    book.harbour.refresh_from_db()
    assert book.harbour.sector == "Marine"
    assert book.harbour.name == "Harbour Brokers"
    refused = call(book.account_manager, "PATCH", f"/clients/{book.northgate.pk}", {"sector": "X"})
    assert refused.status_code == 403


def test_logging_an_interaction_links_the_clients_own_contacts_only(book: ClientBook) -> None:
    stranger = book.northgate_contact
    body = {
        "kind": "meeting",
        "occurred_at": "2026-02-01T10:00:00Z",
        "summary": "Workshop planning",
        "contact_ids": [book.harbour_contact.pk],
        "next_step": "Send the outline",
        "next_step_owner_id": book.account_manager.pk,
        "next_step_due": "2026-02-10",
    }

    created = call(book.account_manager, "POST", f"/clients/{book.harbour.pk}/interactions", body)
    wrong = call(
        book.account_manager,
        "POST",
        f"/clients/{book.harbour.pk}/interactions",
        body | {"contact_ids": [stranger.pk]},
    )

    assert created.status_code == 201, created.content
    assert created.json()["contacts"] == [{"id": book.harbour_contact.pk, "name": "Hana Harbour"}]
    assert created.json()["next_step_owner"]["username"] == "am"
    assert wrong.status_code == 422
    assert list(wrong.json()["fields"]) == ["contact_ids"]
    assert Interaction.objects.filter(client=book.harbour).count() == 1


def test_the_list_costs_the_same_queries_for_more_clients(book: ClientBook) -> None:
    def queries() -> int:
        token = issue_api_token(acting_user=book.quality_lead, name="count")[1]
        with CaptureQueriesContext(connection) as captured:
            response = Browser().get(f"{API}/clients", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200
        return len(captured)

    few = queries()
    for n in range(12):
        owner = book.account_manager if n % 2 else book.other_account_manager
        ContactFactory.create(client=ClientFactory.create(name=f"More {n}", owner=owner))
    assert queries() == few
