"""Reads for clients, already narrowed to what the viewer may see (accounts.access)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from milepost.accounts.access import AnyUser, client_filter, own_client_id
from milepost.clients.models import Client, Contact, Interaction

SORTS = {
    "name": ("name",),
    "-health": ("-health_score", "name"),
    "health": ("health_score", "name"),
    "last_contact": ("last_contact_at", "name"),
    "-last_contact": ("-last_contact_at", "name"),
}


def visible_clients(user: AnyUser) -> QuerySet[Client]:
    scope = client_filter(user)
    clients = Client.objects.all()
    return clients if scope is None else clients.filter(scope).distinct()


def get_client(user: AnyUser, pk: int) -> Client:
    """The client, if `user` may see it (404 otherwise: another client's id tells nothing)."""
    client = (
        visible_clients(user)
        .select_related("owner", "unit", "stage", "journey")
        .filter(pk=pk)
        .first()
    )
    if client is None:
        raise Http404("No such client.")
    return client


def portal_client(user: AnyUser) -> Client | None:
    """An employer contact's own client (their portal), or None."""
    client_id = own_client_id(user)
    if client_id is None:
        return None
    return Client.objects.select_related("owner", "stage").filter(pk=client_id).first()


@dataclass(frozen=True)
class ClientFilters:
    q: str = ""
    kind: str = ""
    sector: str = ""
    owner: int | None = None
    no_owner: bool = False
    stage: int | None = None
    health: str = ""
    active: bool = True
    sort: str = "name"


def client_list(user: AnyUser, filters: ClientFilters) -> QuerySet[Client]:
    """The client list with its search, filters and sort; one query however many clients."""
    clients = visible_clients(user).select_related("owner", "stage")
    if filters.active:
        clients = clients.filter(is_active=True)
    if filters.q:
        clients = clients.filter(
            Q(name__icontains=filters.q)
            | Q(sector__icontains=filters.q)
            | Q(pk__in=Contact.objects.filter(name__icontains=filters.q).values("client_id"))
        )
    if filters.kind:
        clients = clients.filter(kind=filters.kind)
    if filters.sector:
        clients = clients.filter(sector__iexact=filters.sector)
    if filters.no_owner:
        clients = clients.filter(owner__isnull=True)
    elif filters.owner:
        clients = clients.filter(owner_id=filters.owner)
    if filters.stage:
        clients = clients.filter(stage_id=filters.stage)
    if filters.health:
        clients = clients.filter(health_band=filters.health)
    return clients.order_by(*SORTS.get(filters.sort, SORTS["name"]), "pk")


def unowned_clients(user: AnyUser) -> QuerySet[Client]:
    return visible_clients(user).filter(is_active=True, owner__isnull=True)


def timeline(user: AnyUser, client: Client) -> QuerySet[Interaction]:
    """Everything that happened with `client`, newest first; employer contacts never see
    internal-only interactions."""
    interactions = client.interactions.select_related("recorded_by", "next_step_owner")
    if own_client_id(user) is not None:
        interactions = interactions.filter(internal_only=False)
    return interactions.order_by("-occurred_at", "-pk")


def contacts_of(client: Client) -> QuerySet[Contact]:
    return client.contacts.select_related("user").order_by("name", "pk")


def open_next_steps(user: AnyUser) -> QuerySet[Interaction]:
    """Next steps `user` owns and has not closed, soonest due first (their home page)."""
    return (
        Interaction.objects.filter(next_step_owner_id=user.pk, next_step_done_at__isnull=True)
        .exclude(next_step="")
        .select_related("client")
        .order_by("next_step_due", "pk")
    )


def client_of(*, requester: AnyUser, unit_path: str | None) -> Client | None:
    """The client a new need belongs to: an employer contact's own client, else the internal
    client whose unit is the need's unit or the nearest one above it."""
    client_id = own_client_id(requester)
    if client_id is not None:
        return Client.objects.filter(pk=client_id).first()
    if not unit_path:
        return None
    ancestors = [int(part) for part in unit_path.strip("/").split("/") if part]
    found = {
        client.unit_id: client
        for client in Client.objects.filter(unit_id__in=ancestors, kind="internal")
    }
    for unit_id in reversed(ancestors):
        if unit_id in found:
            return found[unit_id]
    return None
