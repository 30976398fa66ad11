"""The client list and a client's page."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from milepost.accounts.access import can_create_clients, can_edit_client, can_view_clients, require
from milepost.accounts.http import AuthenticatedRequest
from milepost.clients import selectors
from milepost.clients.selectors import ClientFilters

LIST_DENIED = (
    "The client list is for L&D, account managers, quality leads, executives and managers."
)


@require_GET
def client_list(request: AuthenticatedRequest) -> HttpResponseBase:
    require(can_view_clients(request.user), LIST_DENIED)
    filters = ClientFilters(
        q=request.GET.get("q", "").strip()[:200],
        no_owner=request.GET.get("owner") == "none",
        sort=request.GET.get("sort", "name"),
    )
    clients = selectors.client_list(request.user, filters)
    page = Paginator(clients, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "clients/client_list.html",
        {
            "page_obj": page,
            "filters": filters,
            "unowned_count": selectors.unowned_clients(request.user).count(),
            "can_create": can_create_clients(request.user),
        },
    )


@require_GET
def client_detail(request: AuthenticatedRequest, client_id: int) -> HttpResponseBase:
    require(can_view_clients(request.user), LIST_DENIED)
    client = selectors.get_client(request.user, client_id)
    return render(
        request,
        "clients/client_detail.html",
        {
            "client": client,
            "contacts": selectors.contacts_of(client),
            "timeline": selectors.timeline(request.user, client)[:20],
            "can_edit": can_edit_client(request.user, owner_id=client.owner_id),
        },
    )
