"""A client's page: details, internal notes, owner and its history, contacts, health explained,
open next steps, the needs the viewer may see, the paginated timeline; constant query count."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from milepost.clients.models import Client
from milepost.clients.services import clients as client_services
from milepost.testing.factories import (
    ContactFactory,
    InteractionFactory,
    NeedFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_the_page_shows_details_contacts_owner_history_and_health_explained(book, org, login):
    client_services.change_owner(
        acting_user=org.coordinator,
        client=book.harbour,
        owner=book.other_account_manager,
        reason="Ann moves to the public sector team.",
    )
    Client.objects.filter(pk=book.harbour.pk).update(
        notes="Pays late; chase invoices.",
        health_score=62,
        health_band="watch",
        health_parts={"contact": 80, "next_steps": 34},
    )
    response = login(org.coordinator).get(book.harbour.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert "Pays late; chase invoices." in body
    assert "Ann moves to the public sector team." in body
    assert "Hana Harbour" in body
    assert "62" in body and "Watch" in body
    parts = {part.key: part.score for part in response.context["health_parts"]}
    assert parts == {"contact": 80, "next_steps": 34, "satisfaction": None, "response": None}
    assert "each overdue one takes 34 points off" in body
    assert response.context["owner_form"] is not None  # coordinators change owners here


def test_an_account_manager_reading_another_client_gets_no_edit_or_owner_forms(book, login):
    response = login(book.account_manager).get(book.northgate.get_absolute_url())
    assert response.status_code == 200
    assert response.context["can_edit"] is False
    assert response.context["owner_form"] is None
    assert "Log an interaction" not in response.content.decode()


def test_the_timeline_is_paginated_newest_first(book, org, login):
    now = timezone.now()
    for days in range(25):
        InteractionFactory.create(
            client=book.harbour,
            summary=f"Meeting {days}",
            occurred_at=now - datetime.timedelta(days=days),
        )
    page = login(org.coordinator)
    first = page.get(book.harbour.get_absolute_url())
    assert [item.summary for item in first.context["page_obj"]][:2] == ["Meeting 0", "Meeting 1"]
    second = page.get(book.harbour.get_absolute_url(), {"page": 2})
    assert [item.summary for item in second.context["page_obj"]] == [
        f"Meeting {days}" for days in range(20, 25)
    ]


def test_open_next_steps_are_listed_soonest_first(book, org, login):
    today = timezone.localdate()
    InteractionFactory.create(
        client=book.harbour,
        next_step="Send the outline",
        next_step_owner=book.account_manager,
        next_step_due=today + datetime.timedelta(days=5),
    )
    InteractionFactory.create(
        client=book.harbour,
        next_step="Book the room",
        next_step_owner=book.account_manager,
        next_step_due=today - datetime.timedelta(days=2),
    )
    InteractionFactory.create(
        client=book.harbour,
        next_step="Old one",
        next_step_owner=book.account_manager,
        next_step_due=today,
        next_step_done_at=timezone.now(),
    )
    response = login(book.account_manager).get(book.harbour.get_absolute_url())
    assert [step.next_step for step in response.context["next_steps"]] == [
        "Book the room",
        "Send the outline",
    ]
    assert "overdue" in response.content.decode()


def test_the_client_needs_shown_are_those_the_viewer_may_see(book, org, login):
    NeedFactory.create(title="Motor team needs calm calls", unit=org.motor_team, client=book.claims)
    NeedFactory.create(
        title="Raised elsewhere for Claims", unit=org.underwriting, client=book.claims
    )
    NeedFactory.create(title="Harbour's need", unit=None, client=book.harbour)
    coordinator = login(org.coordinator).get(book.claims.get_absolute_url())
    assert {need.title for need in coordinator.context["needs"]} == {
        "Motor team needs calm calls",
        "Raised elsewhere for Claims",
    }
    assert "Motor team needs calm calls" in coordinator.content.decode()
    manager = login(org.claims_manager).get(book.claims.get_absolute_url())
    assert [need.title for need in manager.context["needs"]] == ["Motor team needs calm calls"]
    assert "Raised elsewhere for Claims" not in manager.content.decode()


def test_html_in_names_notes_and_summaries_is_escaped(book, org, login):
    Client.objects.filter(pk=book.harbour.pk).update(
        name="<img src=x onerror=alert(1)>", notes="<script>steal()</script>"
    )
    ContactFactory.create(client=book.harbour, name="<b>Bold</b> Bob")
    InteractionFactory.create(client=book.harbour, summary="<iframe src=evil></iframe>")
    body = login(org.coordinator).get(book.harbour.get_absolute_url()).content.decode()
    for raw in ("<img src=x", "<script>steal()", "<b>Bold</b>", "<iframe src=evil>"):
        assert raw not in body
    assert "&lt;script&gt;steal()&lt;/script&gt;" in body
    assert "&lt;b&gt;Bold&lt;/b&gt; Bob" in body


def _queries(page, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert page.get(url).status_code == 200
    return len(queries)


def _busy(client, n: int, colleague) -> None:
    for i in range(n):
        contact = ContactFactory.create(client=client)
        interaction = InteractionFactory.create(
            client=client,
            next_step=f"Step {i}",
            next_step_owner=colleague,
            next_step_due=timezone.localdate(),
        )
        interaction.contacts.add(contact)
        interaction.colleagues.add(colleague)
        need = NeedFactory.create(title=f"Need {i}", unit=None, client=client)
        need.interactions.add(interaction)


def test_the_query_count_does_not_grow_with_contacts_interactions_and_needs(book, org, login):
    colleague = UserFactory.create(role="account_manager")
    _busy(book.harbour, 3, colleague)
    page = login(org.coordinator)
    few = _queries(page, book.harbour.get_absolute_url())
    _busy(book.harbour, 27, colleague)
    assert _queries(page, book.harbour.get_absolute_url()) == few


def test_the_page_names_nobody_where_an_owner_or_recorder_is_gone(book, org, login):
    """Owner changes from or to nobody, and an interaction whose recorder and next-step owner
    were deleted, show as such instead of failing the page (the demo's own story has them)."""
    client_services.change_owner(
        acting_user=org.coordinator, client=book.harbour, owner=None, reason="Ann left."
    )
    client_services.change_owner(
        acting_user=org.coordinator,
        client=book.harbour,
        owner=book.other_account_manager,
        reason="Taken over after Ann left.",
    )
    InteractionFactory.create(
        client=book.harbour,
        summary="Call nobody remembers logging.",
        recorded_by=None,
        next_step="Send the dates",
        next_step_owner=None,
        next_step_due=timezone.localdate() + datetime.timedelta(days=7),
    )
    response = login(org.coordinator).get(book.harbour.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert "Taken over after Ann left." in body and "nobody" in body
    assert "Call nobody remembers logging." in body and "Send the dates" in body
