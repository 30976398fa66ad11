"""The employer contact's portal: what their organisation may see of its relationship with us.

Never Client.notes, never an internal-only interaction, never another client. Internal readers
open the same page for a client they can see, to check what the client sees."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from milepost.accounts.access import AnyUser, need_filter, own_client_id
from milepost.clients.models import Client, Interaction, Stakeholder
from milepost.clients.selectors import get_client, portal_client

PORTAL_LINES = 20


@dataclass(frozen=True)
class Portal:
    client: Client
    needs: QuerySet[Any]  # the needs app's Need rows, read through client.needs
    stakeholders: QuerySet[Stakeholder]
    interactions: QuerySet[Interaction]

    @property
    def owner_name(self) -> str:
        owner = self.client.owner
        return (owner.get_full_name() or owner.username) if owner is not None else ""


def portal_of(user: AnyUser, client_id: int | None = None) -> Portal | None:
    """The portal of `client_id` (or, None, of the user's own client). An employer contact only
    ever finds their own client (404 for any other id); None when their login has no client."""
    own_id = own_client_id(user)
    if own_id is not None or (user.is_authenticated and client_id is None):
        if client_id is not None and client_id != own_id:
            raise Http404("No such client.")
        client = portal_client(user)
        if client is None:
            return None
    else:
        if client_id is None:
            return None
        client = get_client(user, client_id)
    scope = need_filter(user)
    needs = client.needs.all()
    if scope is not None:
        needs = needs.filter(scope)
    return Portal(
        client=client,
        needs=needs.order_by("-created_at", "-pk"),
        stakeholders=Stakeholder.objects.filter(map__client=client, shared_with_client=True)
        .select_related("contact", "person")
        .order_by("-power", "-interest", "pk"),
        interactions=client.interactions.filter(internal_only=False)
        .select_related("next_step_owner")
        .order_by("-occurred_at", "-pk"),
    )
