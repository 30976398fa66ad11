"""Reads for clients, already narrowed to what the viewer may see (accounts.access)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import F, OrderBy, Prefetch, Q, QuerySet
from django.http import Http404

from milepost.accounts.access import AnyUser, client_filter, need_filter, own_client_id
from milepost.clients.models import Client, Contact, Interaction, JourneyStage, OwnerChange
from milepost.engines.stakeholders import health

# Clients without a score or never contacted sort last by health and first by "longest ago",
# the same on SQLite and PostgreSQL (which put NULLs at opposite ends by default).
SORTS: dict[str, tuple[str | OrderBy, ...]] = {
    "name": ("name",),
    "-health": (F("health_score").desc(nulls_last=True), "name"),
    "health": (F("health_score").asc(nulls_last=True), "name"),
    "last_contact": (F("last_contact_at").asc(nulls_first=True), "name"),
    "-last_contact": (F("last_contact_at").desc(nulls_last=True), "name"),
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
    archived: bool = False  # only archived clients (wins over `active`)


def client_list(user: AnyUser, filters: ClientFilters) -> QuerySet[Client]:
    """The client list with its search, filters and sort; one query however many clients."""
    clients = visible_clients(user).select_related("owner", "stage")
    if filters.archived:
        clients = clients.filter(is_active=False)
    elif filters.active:
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


# --- the client pages (list filters, a client's page, the home page) ----------------------------


def sectors(user: AnyUser) -> list[str]:
    """The sectors of the clients `user` sees, for the list's filter."""
    return list(
        visible_clients(user)
        .exclude(sector="")
        .order_by("sector")
        .values_list("sector", flat=True)
        .distinct()
    )


def journey_stages() -> QuerySet[JourneyStage]:
    return JourneyStage.objects.select_related("template").order_by(
        "-template__is_default", "template__name", "position"
    )


def owner_history(client: Client) -> QuerySet[OwnerChange]:
    return client.owner_changes.select_related("previous_owner", "new_owner", "changed_by")


def need_model() -> Any:
    # Needs live above clients (Need.client): reach the model through the reverse relation.
    return Client._meta.get_field("needs").related_model


def client_needs(user: AnyUser, client: Client) -> QuerySet[Any]:
    """The needs of `client` that `user` may see (accounts.access.need_filter), newest first."""
    needs = client.needs.select_related("unit")
    scope = need_filter(user)
    if scope is not None:
        needs = needs.filter(scope)
    return needs.order_by("-created_at", "-pk")


def timeline_with_people(user: AnyUser, client: Client) -> QuerySet[Interaction]:
    """The timeline with each interaction's contacts, colleagues and the needs `user` may see:
    three queries for a whole page, however long it is."""
    visible_needs = need_model().objects.only("pk", "title", "status")
    scope = need_filter(user)
    if scope is not None:
        visible_needs = visible_needs.filter(scope)
    return timeline(user, client).prefetch_related(
        Prefetch("contacts", queryset=Contact.objects.only("pk", "name", "client_id")),
        "colleagues",
        Prefetch("needs", queryset=visible_needs),
    )


def client_next_steps(client: Client) -> QuerySet[Interaction]:
    """The open next steps of one client, soonest due first."""
    return (
        client.interactions.filter(next_step_done_at__isnull=True)
        .exclude(next_step="")
        .select_related("next_step_owner")
        .order_by("next_step_due", "pk")
    )


def next_steps_due(user: AnyUser, *, until: datetime.date) -> QuerySet[Interaction]:
    """`user`'s open next steps due by `until` (overdue included), soonest first."""
    return open_next_steps(user).filter(next_step_due__lte=until)


@dataclass(frozen=True)
class HealthPart:
    key: str
    label: str
    score: int | None  # None: not known yet, left out of the score
    weight: int  # per cent of the score when every part is known
    meaning: str


def health_explained(client: Client) -> list[HealthPart]:
    """Each part of the client's health score, with what it measures (engines/stakeholders)."""
    meanings = {
        "contact": (
            "Last contact",
            f"Full marks for contact within {health.CONTACT_GOOD_DAYS} days, falling to nothing "
            f"at {health.CONTACT_LOST_DAYS} days; a client never contacted scores 0.",
        ),
        "next_steps": (
            "Next steps on time",
            f"Full marks with no overdue next step; each overdue one takes "
            f"{health.OVERDUE_PENALTY} points off.",
        ),
        "satisfaction": (
            "Satisfaction",
            "Ten times the average 0-10 'would recommend us' answer of the last two years' "
            "surveys; left out until a contact answers.",
        ),
        "response": (
            "Response to needs",
            f"How fast the client's needs of the last year got a first response: full marks "
            f"within {health.RESPONSE_GOOD_DAYS} days, nothing from {health.RESPONSE_LOST_DAYS}; "
            "left out when it raised none.",
        ),
    }
    parts = client.health_parts or {}
    return [
        HealthPart(
            key=key,
            label=label,
            score=parts.get(key),
            weight=round(100 * health.WEIGHTS[key]),
            meaning=meaning,
        )
        for key, (label, meaning) in meanings.items()
    ]
