"""The employer contact's portal: their organisation only, never internal notes."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from milepost.clients.models import Client
from milepost.testing.factories import (
    InteractionFactory,
    StakeholderFactory,
    StakeholderMapFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Needs sit above clients (needs imports clients): reach the model through the relation.
Need: Any = Client._meta.get_field("needs").related_model


@pytest.fixture
def harbour_story(book, org):
    """Harbour's shared and internal entries, and Northgate's, with text that must not leak."""
    book.harbour.notes = "SECRET-NOTE: they are thinking of leaving"
    book.harbour.save()
    InteractionFactory.create(client=book.harbour, summary="Kick-off meeting <b>with HR</b>")
    InteractionFactory.create(
        client=book.harbour, summary="INTERNAL-ONLY pricing talk", internal_only=True
    )
    InteractionFactory.create(client=book.northgate, summary="NORTHGATE-VISIT")
    harbour_map = StakeholderMapFactory.create(client=book.harbour)
    StakeholderFactory.create(
        map=harbour_map,
        body_name="Insurance Skills Council",
        shared_with_client=True,
        wants="Apprentices",
    )
    StakeholderFactory.create(map=harbour_map, body_name="HIDDEN-REGULATOR")
    StakeholderFactory.create(
        map=StakeholderMapFactory.create(client=book.northgate),
        body_name="NORTHGATE-BODY",
        shared_with_client=True,
    )
    own = Need.objects.create(
        title="Handling complaints",
        description="x",
        requester=org.employer_contact,
        client=book.harbour,
    )
    colleague = UserFactory.create(role="employer_contact")
    theirs = Need.objects.create(
        title="Broker compliance refresher",
        description="x",
        requester=colleague,
        client=book.harbour,
    )
    Need.objects.create(
        title="NORTHGATE-NEED", description="x", requester=org.coordinator, client=book.northgate
    )
    return own, theirs


def test_the_contact_sees_their_organisation_and_who_to_call(book, org, login, harbour_story):
    response = login(org.employer_contact).get(reverse("clients:portal"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Harbour Brokers" in html and "Ann Mills" in html
    assert {need.title for need in response.context["needs"]} == {
        "Handling complaints",
        "Broker compliance refresher",
    }
    assert [s.name for s in response.context["stakeholders"]] == ["Insurance Skills Council"]
    assert [i.summary for i in response.context["interactions"]] == [
        "Kick-off meeting <b>with HR</b>"
    ]
    assert "Kick-off meeting &lt;b&gt;with HR&lt;/b&gt;" in html
    assert reverse("needs:need-create") in html  # "Raise a need"
    for secret in ("SECRET-NOTE", "INTERNAL-ONLY", "HIDDEN-REGULATOR", "NORTHGATE"):
        assert secret not in html


def test_another_clients_portal_is_not_found_for_a_contact(book, org, login, harbour_story):
    page = login(org.employer_contact)
    assert page.get(reverse("clients:client-portal", args=[book.harbour.pk])).status_code == 200
    assert page.get(reverse("clients:client-portal", args=[book.northgate.pk])).status_code == 404
    assert page.get(reverse("clients:client-portal", args=[book.claims.pk])).status_code == 404
    assert page.get(reverse("clients:detail", args=[book.harbour.pk])).status_code == 403


def test_an_internal_reader_previews_exactly_what_the_client_sees(book, org, login, harbour_story):
    response = login(org.coordinator).get(reverse("clients:client-portal", args=[book.harbour.pk]))
    html = response.content.decode()
    assert "This is what Harbour Brokers" in html
    assert (
        "SECRET-NOTE" not in html and "INTERNAL-ONLY" not in html and "HIDDEN-REGULATOR" not in html
    )
    assert "Kick-off meeting" in html


def test_a_contact_without_a_client_gets_a_helpful_page(login):
    stray = UserFactory.create(role="employer_contact")
    response = login(stray).get(reverse("clients:portal"))
    assert response.status_code == 200
    assert "not linked to a client yet" in response.content.decode()


def test_the_contacts_home_page_and_menu_point_to_the_portal(book, org, login):
    response = login(org.employer_contact).get(reverse("home"))
    portal = next(todo for todo in response.context["page"].todos if todo.key == "portal")
    assert portal.title == "Harbour Brokers" and portal.link == reverse("clients:portal")
    assert "Ann Mills looks after you" in portal.summary
    labels = [item["label"] for item in response.context["nav_items"]]
    assert "Our portal" in labels
    coordinator_menu = login(org.coordinator).get(reverse("home")).context["nav_items"]
    assert "Our portal" not in [item["label"] for item in coordinator_menu]


def test_the_portal_makes_a_fixed_number_of_queries(
    book, org, login, harbour_story, django_assert_max_num_queries
):
    for n in range(15):
        InteractionFactory.create(client=book.harbour, summary=f"Call {n}")
    page = login(org.employer_contact)
    with django_assert_max_num_queries(12):
        assert page.get(reverse("clients:portal")).status_code == 200
