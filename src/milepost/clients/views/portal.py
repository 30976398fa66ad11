"""The employer contact's portal, and the same page for internal readers checking what a client
sees (selectors/portal.py decides what is on it)."""

from __future__ import annotations

from django.http import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from milepost.accounts.access import can_submit_needs, can_view_clients, require
from milepost.accounts.http import AuthenticatedRequest
from milepost.accounts.models import Role
from milepost.clients.selectors.portal import PORTAL_LINES, portal_of
from milepost.clients.views.clients import LIST_DENIED

PORTAL_DENIED = (
    "The portal is the page an employer contact sees; open a client's portal from its page."
)


def _render(request: AuthenticatedRequest, client_id: int | None) -> HttpResponseBase:
    portal = portal_of(request.user, client_id)
    return render(
        request,
        "clients/portal.html",
        {
            "portal": portal,
            "needs": portal.needs[:PORTAL_LINES] if portal else [],
            "interactions": portal.interactions[:PORTAL_LINES] if portal else [],
            "stakeholders": portal.stakeholders if portal else [],
            "is_contact": request.user.role == Role.EMPLOYER_CONTACT,
            "can_raise": can_submit_needs(request.user)
            and request.user.role == Role.EMPLOYER_CONTACT,
        },
    )


@require_GET
def own_portal(request: AuthenticatedRequest) -> HttpResponseBase:
    require(request.user.role == Role.EMPLOYER_CONTACT, PORTAL_DENIED)
    return _render(request, None)


@require_GET
def client_portal(request: AuthenticatedRequest, client_id: int) -> HttpResponseBase:
    """An employer contact's own portal by id (another id: 404), or an internal reader's view
    of what the client sees."""
    if request.user.role != Role.EMPLOYER_CONTACT:
        require(can_view_clients(request.user), LIST_DENIED)
    return _render(request, client_id)
