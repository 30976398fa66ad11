"""Logging an interaction from the client's page, linking the client's needs, and closing a
next step."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from milepost.accounts.models import Notification
from milepost.clients.models import Interaction
from milepost.testing.factories import InteractionFactory, NeedFactory

pytestmark = pytest.mark.django_db


def _form(**changes):
    fields = {
        "kind": "meeting",
        "occurred_at": (timezone.localtime() - datetime.timedelta(hours=2)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "summary": "Walked through the claims team's new process.",
    }
    return fields | changes


def test_an_owner_logs_an_interaction_with_people_needs_and_a_next_step(book, org, login):
    need = NeedFactory.create(title="Calm callers", unit=None, client=book.harbour)
    due = timezone.localdate() + datetime.timedelta(days=7)
    response = login(book.account_manager).post(
        reverse("clients:interaction-create", args=[book.harbour.pk]),
        _form(
            internal_only="on",
            contacts=[book.harbour_contact.pk],
            colleagues=[org.coordinator.pk],
            needs=[need.pk],
            next_step="Send the workshop outline",
            next_step_owner=org.coordinator.pk,
            next_step_due=due.isoformat(),
        ),
    )
    assert response.status_code == 302
    interaction = Interaction.objects.get(client=book.harbour)
    assert interaction.internal_only
    assert list(interaction.contacts.all()) == [book.harbour_contact]
    assert list(interaction.colleagues.all()) == [org.coordinator]
    assert list(interaction.needs.all()) == [need]
    assert interaction.next_step_owner == org.coordinator and interaction.next_step_due == due
    assert Notification.objects.filter(user=org.coordinator).exists()
    book.harbour.refresh_from_db()
    assert book.harbour.last_contact_at is not None and book.harbour.health_score is not None


def test_the_form_offers_only_this_clients_contacts_and_needs(book, org, login):
    NeedFactory.create(title="Harbour need", unit=None, client=book.harbour)
    NeedFactory.create(title="Northgate need", unit=None, client=book.northgate)
    form = (
        login(book.account_manager)
        .get(reverse("clients:interaction-create", args=[book.harbour.pk]))
        .context["form"]
    )
    assert list(form.fields["contacts"].queryset) == [book.harbour_contact]
    assert [need.title for need in form.fields["needs"].queryset] == ["Harbour need"]


def test_another_clients_contact_or_need_is_refused(book, login):
    other_need = NeedFactory.create(unit=None, client=book.northgate)
    url = reverse("clients:interaction-create", args=[book.harbour.pk])
    page = login(book.account_manager)
    response = page.post(url, _form(contacts=[book.northgate_contact.pk], needs=[other_need.pk]))
    assert response.status_code == 200
    assert response.context["form"].errors["contacts"]
    assert response.context["form"].errors["needs"]
    assert not Interaction.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"summary": ""}, "summary"),
        ({"occurred_at": "2099-01-01T10:00"}, "occurred_at"),
        ({"occurred_at": "yesterday"}, "occurred_at"),
        ({"next_step": "Call back"}, "next_step_owner"),
        ({"next_step_due": "2030-01-01"}, "next_step"),
        ({"kind": "party"}, "kind"),
    ],
)
def test_bad_input_is_shown_on_its_field(book, login, changes, field):
    response = login(book.account_manager).post(
        reverse("clients:interaction-create", args=[book.harbour.pk]), _form(**changes)
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Interaction.objects.exists()


def test_an_account_manager_cannot_log_for_a_client_they_do_not_own(book, login):
    response = login(book.account_manager).post(
        reverse("clients:interaction-create", args=[book.northgate.pk]), _form()
    )
    assert response.status_code == 403


def test_the_next_step_owner_marks_it_done(book, org, login):
    interaction = InteractionFactory.create(
        client=book.northgate,
        next_step="Send prices",
        next_step_owner=book.account_manager,
        next_step_due=timezone.localdate(),
    )
    url = reverse("clients:next-step-done", args=[book.northgate.pk, interaction.pk])
    response = login(book.account_manager).post(url)
    assert response.status_code == 302
    interaction.refresh_from_db()
    assert interaction.next_step_done_at is not None
    again = login(book.account_manager).post(url, follow=True)
    assert "no open next step" in again.content.decode()


def test_someone_else_cannot_close_a_next_step_and_a_wrong_client_is_not_found(book, org, login):
    interaction = InteractionFactory.create(
        client=book.northgate,
        next_step="Send prices",
        next_step_owner=book.other_account_manager,
        next_step_due=timezone.localdate(),
    )
    url = reverse("clients:next-step-done", args=[book.northgate.pk, interaction.pk])
    assert login(book.account_manager).post(url).status_code == 403
    wrong = reverse("clients:next-step-done", args=[book.harbour.pk, interaction.pk])
    assert login(org.coordinator).post(wrong).status_code == 404
    interaction.refresh_from_db()
    assert interaction.next_step_done_at is None
