"""A client contact's right to erasure: by the client's editors, and with their login's."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from milepost.clients.models import Contact
from milepost.clients.services import clients as client_services
from milepost.clients.services.interactions import record_interaction

pytestmark = pytest.mark.django_db


def test_erasing_a_contact_blanks_who_they_are_and_keeps_what_happened(book):
    interaction = record_interaction(
        acting_user=book.account_manager,
        client=book.harbour,
        kind="meeting",
        occurred_at=timezone.now() - datetime.timedelta(days=1),
        summary="Workshop planning.",
        contacts=[book.harbour_contact],
    )
    client_services.erase_contact(
        acting_user=book.account_manager, contact=book.harbour_contact, reason="DSAR-17"
    )
    contact = Contact.objects.get(pk=book.harbour_contact.pk)
    assert contact.name == f"Erased contact {contact.pk}"
    assert (contact.email, contact.phone, contact.job_title) == ("", "", "")
    assert contact.user is None and not contact.is_active and not contact.marketing_consent
    assert list(interaction.contacts.all()) == [contact]


def test_only_the_clients_editors_erase_and_a_reason_is_needed(book):
    with pytest.raises(PermissionDenied):
        client_services.erase_contact(
            acting_user=book.account_manager, contact=book.northgate_contact, reason="x"
        )
    with pytest.raises(ValidationError):
        client_services.erase_contact(
            acting_user=book.account_manager, contact=book.harbour_contact, reason=" "
        )


def test_the_erase_button_on_the_contact_page(book, login):
    page = login(book.account_manager)
    url = reverse("clients:contact-edit", args=[book.harbour.pk, book.harbour_contact.pk])
    assert "Erase the contact" in page.get(url).content.decode()
    erase = reverse("clients:contact-erase", args=[book.harbour.pk, book.harbour_contact.pk])
    response = page.post(erase, {"reason": "DSAR-17"})
    assert response.status_code == 302
    assert Contact.objects.get(pk=book.harbour_contact.pk).email == ""
