"""Adding and editing a client, changing its owner, adding and editing contacts: the forms,
the services' errors on their fields, and who may use them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from milepost.accounts.models import Notification
from milepost.clients.models import Client, Contact, Kind, OwnerChange

pytestmark = pytest.mark.django_db


def test_a_coordinator_adds_an_employer_with_an_owner(book, org, login):
    response = login(org.coordinator).post(
        reverse("clients:create"),
        {
            "kind": "external",
            "name": "Quayside Mutual",
            "sector": "Insurance",
            "size_band": "medium",
            "website": "https://quayside.example",
            "notes": "Met at the broker fair.",
            "owner": book.account_manager.pk,
        },
    )
    client = Client.objects.get(name="Quayside Mutual")
    assert response.status_code == 302 and response["Location"] == client.get_absolute_url()
    assert client.owner == book.account_manager
    assert client.size_band == "medium" and client.notes == "Met at the broker fair."
    assert OwnerChange.objects.filter(client=client, new_owner=book.account_manager).exists()


def test_a_coordinator_adds_a_business_unit_with_its_unit(book, org, login):
    org_unit = org.motor_team
    response = login(org.coordinator).post(
        reverse("clients:create"), {"kind": "internal", "name": "Motor claims", "unit": org_unit.pk}
    )
    assert response.status_code == 302
    client = Client.objects.get(name="Motor claims")
    assert client.kind == Kind.INTERNAL and client.unit == org_unit


def test_an_account_manager_who_adds_a_client_owns_it_and_is_not_offered_the_owner(book, login):
    page = login(book.account_manager)
    assert "owner" not in page.get(reverse("clients:create")).context["form"].fields
    page.post(reverse("clients:create"), {"kind": "external", "name": "Quayside Mutual"})
    assert Client.objects.get(name="Quayside Mutual").owner == book.account_manager


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"kind": "external", "name": "HARBOUR brokers"}, "name", "already exists"),
        ({"kind": "internal", "name": "No unit"}, "unit", "needs its organisation unit"),
        ({"kind": "external", "name": "Bad site", "website": "ftp://x"}, "website", "not a web"),
        ({"kind": "external", "name": ""}, "name", "required"),
        ({"kind": "nonsense", "name": "X"}, "kind", "Select a valid choice"),
    ],
)
def test_bad_input_is_shown_on_its_field_and_nothing_is_saved(
    book, org, login, fields, field, message
):
    before = Client.objects.count()
    response = login(org.coordinator).post(reverse("clients:create"), fields)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert Client.objects.count() == before


def test_an_employer_and_its_unit_clash_on_the_unit_field(book, org, login):
    response = login(org.coordinator).post(
        reverse("clients:create"),
        {"kind": "external", "name": "Odd", "unit": org.underwriting.pk},
    )
    assert "not one of our organisation units" in response.context["form"].errors["unit"][0]


def test_editing_a_client_saves_its_details_and_can_archive_it(book, login):
    url = reverse("clients:edit", args=[book.harbour.pk])
    page = login(book.account_manager)
    assert page.get(url).context["form"].initial["name"] == "Harbour Brokers"
    response = page.post(url, {"name": "Harbour Brokers Ltd", "sector": "Broking", "notes": "x"})
    assert response.status_code == 302
    book.harbour.refresh_from_db()
    assert (book.harbour.name, book.harbour.is_active) == ("Harbour Brokers Ltd", False)


def test_editing_to_a_name_taken_shows_the_error(book, login):
    response = login(book.account_manager).post(
        reverse("clients:edit", args=[book.harbour.pk]),
        {"name": "northgate insurance", "is_active": "on"},
    )
    assert "already exists" in response.context["form"].errors["name"][0]


def test_an_account_manager_cannot_edit_a_client_they_do_not_own(book, login):
    response = login(book.account_manager).get(reverse("clients:edit", args=[book.northgate.pk]))
    assert response.status_code == 403


def test_a_coordinator_changes_the_owner_with_a_reason_kept_and_told(book, org, login):
    url = reverse("clients:owner", args=[book.harbour.pk])
    response = login(org.coordinator).post(
        url, {"owner": book.other_account_manager.pk, "reason": "Ann is on leave."}
    )
    assert response.status_code == 302
    book.harbour.refresh_from_db()
    assert book.harbour.owner == book.other_account_manager
    assert OwnerChange.objects.filter(client=book.harbour, reason="Ann is on leave.").exists()
    assert Notification.objects.filter(user=book.other_account_manager).exists()


def test_changing_the_owner_without_a_reason_or_to_an_employee_is_refused(book, org, login):
    url = reverse("clients:owner", args=[book.harbour.pk])
    page = login(org.coordinator)
    no_reason = page.post(url, {"owner": book.other_account_manager.pk, "reason": ""})
    assert no_reason.status_code == 200 and no_reason.context["form"].errors["reason"]
    employee = page.post(url, {"owner": org.employee_user.pk, "reason": "Why not"})
    assert employee.status_code == 200 and "owner" in employee.context["form"].errors
    same = page.post(url, {"owner": book.account_manager.pk, "reason": "Again"})
    assert "already owns" in same.context["form"].errors["owner"][0]
    book.harbour.refresh_from_db()
    assert book.harbour.owner == book.account_manager


def test_a_client_can_be_left_without_an_owner(book, org, login):
    login(org.coordinator).post(
        reverse("clients:owner", args=[book.harbour.pk]), {"owner": "", "reason": "Ann left."}
    )
    book.harbour.refresh_from_db()
    assert book.harbour.owner is None


def test_an_account_manager_cannot_change_owners(book, login):
    response = login(book.account_manager).post(
        reverse("clients:owner", args=[book.harbour.pk]),
        {"owner": book.other_account_manager.pk, "reason": "Swap"},
    )
    assert response.status_code == 403


def test_contacts_are_added_and_edited_with_their_marketing_consent(book, login):
    page = login(book.account_manager)
    page.post(
        reverse("clients:contact-create", args=[book.harbour.pk]),
        {"name": "Pat Quay", "email": "pat@harbour.test", "marketing_consent": "on"},
    )
    contact = Contact.objects.get(name="Pat Quay")
    assert contact.marketing_consent and contact.consent_changed_at is not None
    url = reverse("clients:contact-edit", args=[book.harbour.pk, contact.pk])
    response = page.post(url, {"name": "Pat Quay", "email": "pat@harbour.test", "is_active": "on"})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert not contact.marketing_consent


def test_a_contact_with_a_bad_or_taken_email_is_refused(book, login):
    url = reverse("clients:contact-create", args=[book.harbour.pk])
    page = login(book.account_manager)
    bad = page.post(url, {"name": "Pat", "email": "not-an-email"})
    assert bad.status_code == 200 and bad.context["form"].errors["email"]
    taken_email = book.harbour_contact.email
    taken = page.post(url, {"name": "Pat", "email": taken_email.upper()})
    assert "already has a contact" in taken.context["form"].errors["email"][0]
    assert not Contact.objects.filter(name="Pat").exists()


def test_another_clients_contact_is_not_found_under_this_client(book, org, login):
    url = reverse("clients:contact-edit", args=[book.harbour.pk, book.northgate_contact.pk])
    assert login(org.coordinator).get(url).status_code == 404
