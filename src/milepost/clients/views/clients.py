"""The client list, a client's page, adding and editing a client, its owner and its contacts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from milepost.accounts.access import (
    CLIENT_DENIED,
    can_assign_owners,
    can_create_clients,
    can_edit_client,
    can_read_client_notes,
    can_view_clients,
    require,
)
from milepost.accounts.http import AuthenticatedRequest
from milepost.accounts.selectors import visible_units
from milepost.clients import selectors
from milepost.clients.forms import (
    NO_OWNER,
    ClientEditForm,
    ClientFilterForm,
    ClientForm,
    ContactEditForm,
    ContactForm,
    OwnerForm,
    possible_owners,
)
from milepost.clients.models import Client, Contact
from milepost.clients.selectors import ClientFilters
from milepost.clients.services import clients as services
from milepost.clients.signals import client_page_sections
from milepost.lib.exports import requested_format, table_response
from milepost.lib.form_errors import add_service_errors
from milepost.lib.sections import rendered_sections

LIST_DENIED = (
    "The client list is for L&D, account managers, quality leads, executives and managers."
)
TIMELINE_PAGE = 20
NEEDS_SHOWN = 10

EXPORT_HEADER = (
    "ID",
    "Name",
    "Kind",
    "Unit",
    "Sector",
    "Size",
    "Owner",
    "Journey stage",
    "Health score",
    "Health",
    "Last contact",
    "Website",
    "Active",
)


def _filters(form: ClientFilterForm) -> ClientFilters:
    if not form.is_valid():
        return ClientFilters()
    data = form.cleaned_data
    owner = data["owner"]
    status = data["status"] or "active"
    return ClientFilters(
        q=data["q"].strip(),
        kind=data["kind"],
        sector=data["sector"],
        owner=int(owner) if owner and owner != NO_OWNER else None,
        no_owner=owner == NO_OWNER,
        stage=int(data["stage"]) if data["stage"] else None,
        health=data["health"],
        active=status == "active",
        archived=status == "archived",
        sort=data["sort"] or "name",
    )


@require_GET
def client_list(request: AuthenticatedRequest) -> HttpResponseBase:
    require(can_view_clients(request.user), LIST_DENIED)
    form = ClientFilterForm(
        request.GET,
        sectors=selectors.sectors(request.user),
        owners=possible_owners(),
        stages=selectors.journey_stages(),
    )
    filters = _filters(form)
    clients = selectors.client_list(request.user, filters)
    if not form.is_valid():
        clients = clients.none()
    export_format = requested_format(request)
    if export_format:
        return table_response(export_format, "clients", EXPORT_HEADER, _export_rows(clients))
    page = Paginator(clients, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "clients/client_list.html",
        {
            "form": form,
            "page_obj": page,
            "filters": filters,
            "filtered": any(request.GET.get(name) for name in form.fields),
            "unowned_count": selectors.unowned_clients(request.user).count(),
            "can_create": can_create_clients(request.user),
        },
    )


def _export_rows(clients: QuerySet[Client]) -> Iterator[list[Any]]:
    for client in clients.select_related("unit").iterator(chunk_size=2000):
        owner = client.owner
        yield [
            client.pk,
            client.name,
            client.get_kind_display(),
            client.unit.name if client.unit else "",
            client.sector,
            client.get_size_band_display() if client.size_band else "",
            (owner.get_full_name() or owner.username) if owner else "",
            client.stage.name if client.stage else "",
            client.health_score,
            client.get_health_band_display() if client.health_band else "",
            client.last_contact_at.date().isoformat() if client.last_contact_at else "",
            client.website,
            "yes" if client.is_active else "no",
        ]


@require_GET
def client_detail(request: AuthenticatedRequest, client_id: int) -> HttpResponseBase:
    user = request.user
    require(can_view_clients(user), LIST_DENIED)
    client = selectors.get_client(user, client_id)
    timeline = Paginator(selectors.timeline_with_people(user, client), TIMELINE_PAGE).get_page(
        request.GET.get("page")
    )
    needs = list(selectors.client_needs(user, client)[: NEEDS_SHOWN + 1])
    can_edit = can_edit_client(user, owner_id=client.owner_id)
    can_assign = can_assign_owners(user)
    return render(
        request,
        "clients/client_detail.html",
        {
            "client": client,
            "show_notes": can_read_client_notes(user),
            "contacts": selectors.contacts_of(client),
            "owner_history": selectors.owner_history(client)[:10],
            "health_parts": selectors.health_explained(client),
            "page_obj": timeline,
            "needs": needs[:NEEDS_SHOWN],
            "more_needs": len(needs) > NEEDS_SHOWN,
            "next_steps": selectors.client_next_steps(client),
            "can_edit": can_edit,
            "can_assign": can_assign,
            "owner_form": OwnerForm() if can_assign else None,
            "today": timezone.localdate(),
            "sections": rendered_sections(client_page_sections, request, client=client),
        },
    )


def client_to_edit(request: AuthenticatedRequest, client_id: int) -> Client:
    """The client, if the user may see it (404 otherwise) and change it (403 otherwise)."""
    require(can_view_clients(request.user), LIST_DENIED)
    client = selectors.get_client(request.user, client_id)
    require(can_edit_client(request.user, owner_id=client.owner_id), CLIENT_DENIED)
    return client


@require_http_methods(["GET", "POST"])
def client_create(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    require(can_create_clients(user), services.CREATE_DENIED)
    form = ClientForm(
        request.POST or None,
        units=visible_units(user).order_by("path"),
        choose_owner=can_assign_owners(user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            client = services.create_client(acting_user=user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{client} is a client now.")
            return redirect(client)
    return render(request, "clients/client_form.html", {"form": form, "client": None})


@require_http_methods(["GET", "POST"])
def client_edit(request: AuthenticatedRequest, client_id: int) -> HttpResponse:
    user = request.user
    client = client_to_edit(request, client_id)
    initial = {name: getattr(client, name) for name in ClientEditForm.base_fields}
    form = ClientEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_client(acting_user=user, client=client, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{client} is saved.")
            return redirect(client)
    return render(request, "clients/client_form.html", {"form": form, "client": client})


@require_http_methods(["GET", "POST"])
def client_owner(request: AuthenticatedRequest, client_id: int) -> HttpResponse:
    user = request.user
    require(can_view_clients(user), LIST_DENIED)
    client = selectors.get_client(user, client_id)
    require(can_assign_owners(user), services.OWNER_DENIED)
    form = OwnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_owner(acting_user=user, client=client, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            owner = client.owner
            who = (owner.get_full_name() or owner.username) if owner else "nobody"
            messages.success(request, f"{client} is owned by {who} now.")
            return redirect(client)
    return render(
        request,
        "clients/owner_form.html",
        {"form": form, "client": client, "owner_history": selectors.owner_history(client)[:10]},
    )


@require_http_methods(["GET", "POST"])
def contact_create(request: AuthenticatedRequest, client_id: int) -> HttpResponse:
    user = request.user
    client = client_to_edit(request, client_id)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.add_contact(acting_user=user, client=client, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{contact} is a contact at {client} now.")
            return redirect(client)
    return render(
        request, "clients/contact_form.html", {"form": form, "client": client, "contact": None}
    )


@require_http_methods(["GET", "POST"])
def contact_edit(request: AuthenticatedRequest, client_id: int, contact_id: int) -> HttpResponse:
    user = request.user
    require(can_view_clients(user), LIST_DENIED)
    client = selectors.get_client(user, client_id)
    contact: Contact = get_object_or_404(selectors.contacts_of(client), pk=contact_id)
    require(can_edit_client(user, owner_id=client.owner_id), CLIENT_DENIED)
    initial = {name: getattr(contact, name) for name in ContactEditForm.base_fields}
    form = ContactEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_contact(acting_user=user, contact=contact, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{contact} is saved.")
            return redirect(client)
    return render(
        request, "clients/contact_form.html", {"form": form, "client": client, "contact": contact}
    )


@require_POST
def contact_erase(request: AuthenticatedRequest, client_id: int, contact_id: int) -> HttpResponse:
    """Erase a contact's personal data at their request (the reason is the request's
    reference); the page stays with the client."""
    user = request.user
    require(can_view_clients(user), LIST_DENIED)
    client = selectors.get_client(user, client_id)
    contact: Contact = get_object_or_404(selectors.contacts_of(client), pk=contact_id)
    require(can_edit_client(user, owner_id=client.owner_id), CLIENT_DENIED)
    try:
        services.erase_contact(
            acting_user=user, contact=contact, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("clients:contact-edit", client.pk, contact.pk)
    messages.success(request, "The contact's name, email and phone are erased.")
    return redirect(client)
