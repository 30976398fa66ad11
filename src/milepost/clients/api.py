"""REST endpoints for clients, their contacts and interactions (mounted at /api/v1/).

The same selectors and services as the pages: a client the caller may not see is not found
(404); an action their role may not take is 403. Employer contacts use their portal, not this
API (403, as the client pages).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from milepost.accounts.access import can_view_clients, require
from milepost.accounts.http import api_caller
from milepost.accounts.models import OrgUnit, User
from milepost.clients import selectors
from milepost.clients.models import Client, Contact, HealthBand, Interaction, Kind
from milepost.clients.selectors import ClientFilters
from milepost.clients.services.clients import create_client, update_client
from milepost.clients.services.interactions import record_interaction
from milepost.clients.views.clients import LIST_DENIED
from milepost.lib.api_fields import api_field_names

router = Router(tags=["clients"])


# --- schemas -------------------------------------------------------------------------------


class UnitRef(Schema):
    id: int
    code: str
    name: str


class UserRef(Schema):
    id: int
    username: str
    name: str = Field(description="Full name, or the username when there is none")

    @staticmethod
    def resolve_name(obj: User) -> str:
        return obj.get_full_name() or obj.username


class StageRef(Schema):
    id: int
    name: str
    position: int


class ClientOut(Schema):
    id: int
    name: str
    kind: str = Field(description="internal (a business unit) or external (an employer)")
    unit: UnitRef | None = Field(description="The organisation unit of an internal client")
    sector: str
    size_band: str
    owner: UserRef | None = Field(description="The one person accountable; empty when nobody")
    stage: StageRef | None = Field(description="Where the client is on its journey")
    health_score: int | None = Field(description="0-100; empty until first computed")
    health_band: str = Field(description="good, watch or at_risk")
    last_contact_at: datetime.datetime | None
    is_active: bool


class ClientDetailOut(ClientOut):
    address: str
    website: str
    notes: str = Field(description="Internal notes: never shown to the client")
    created_at: datetime.datetime
    updated_at: datetime.datetime


class ClientIn(Schema):
    kind: str = Field(description="internal (a business unit) or external (an employer)")
    name: str
    unit_id: int | None = Field(None, description="Required for an internal client")
    sector: str = ""
    size_band: str = Field("", description="micro, small, medium, large or enterprise")
    address: str = ""
    website: str = ""
    notes: str = ""
    owner_id: int | None = Field(
        None, description="Only coordinators and admins name another owner"
    )


class ClientPatch(Schema):
    name: str | None = None
    sector: str | None = None
    size_band: str | None = None
    address: str | None = None
    website: str | None = None
    notes: str | None = None
    is_active: bool | None = None


class ClientQuery(Schema):
    q: str = Field("", description="Words in the name, the sector or a contact's name")
    kind: str = Field("", description="internal or external")
    owner: str = Field("", description="An owner's user id, or 'none' for clients without one")
    stage: int | None = Field(None, description="A journey stage id")
    health: str = Field("", description="good, watch or at_risk")
    sort: str = Field("name", description="name, health, -health, last_contact, -last_contact")


class ContactOut(Schema):
    id: int
    name: str
    job_title: str
    email: str
    phone: str
    marketing_consent: bool
    has_portal_login: bool
    is_active: bool

    @staticmethod
    def resolve_has_portal_login(obj: Contact) -> bool:
        return obj.user_id is not None


class ContactRef(Schema):
    id: int
    name: str


class InteractionOut(Schema):
    id: int
    kind: str
    occurred_at: datetime.datetime
    summary: str
    internal_only: bool = Field(description="Kept from the client's contacts in their portal")
    contacts: list[ContactRef]
    recorded_by: UserRef | None
    next_step: str
    next_step_owner: UserRef | None
    next_step_due: datetime.date | None
    next_step_done_at: datetime.datetime | None

    @staticmethod
    def resolve_contacts(obj: Interaction) -> list[Contact]:
        return list(obj.contacts.all())


class InteractionIn(Schema):
    kind: str = Field(
        description="meeting, call, visit, email, focus_group or consultancy",
    )
    occurred_at: datetime.datetime = Field(description="When it happened (not in the future)")
    summary: str
    internal_only: bool = False
    contact_ids: list[int] = Field([], description="The client's contacts who took part")
    next_step: str = ""
    next_step_owner_id: int | None = None
    next_step_due: datetime.date | None = None


# --- reading -------------------------------------------------------------------------------


def _readable_client(request: HttpRequest, client_id: int) -> tuple[User, Client]:
    user = api_caller(request)
    require(can_view_clients(user), LIST_DENIED)
    return user, selectors.get_client(user, client_id)


@router.get("/clients", response=list[ClientOut], summary="List, search and filter clients")
@paginate(PageNumberPagination, page_size=settings.PAGE_SIZE)
def list_clients_api(request: HttpRequest, filters: Query[ClientQuery]) -> QuerySet[Client]:
    user = api_caller(request)
    require(can_view_clients(user), LIST_DENIED)
    errors = {}
    if filters.kind and filters.kind not in Kind.values:
        errors["kind"] = f"'{filters.kind}' is not a kind; use internal or external."
    if filters.health and filters.health not in HealthBand.values:
        errors["health"] = f"'{filters.health}' is not a health band; use good, watch or at_risk."
    if filters.sort not in selectors.SORTS:
        errors["sort"] = f"'{filters.sort}' is not a sort; use {', '.join(selectors.SORTS)}."
    owner_id = None
    if filters.owner and filters.owner != "none":
        if not filters.owner.isdigit() or len(filters.owner) > 18:
            errors["owner"] = "Give an owner's user id, or 'none' for clients without one."
        else:
            owner_id = int(filters.owner)
    if errors:
        raise ValidationError(errors)
    # The API shows each client's unit, the list page does not.
    return selectors.client_list(
        user,
        ClientFilters(
            q=filters.q.strip()[:200],
            kind=filters.kind,
            owner=owner_id,
            no_owner=filters.owner == "none",
            stage=filters.stage,
            health=filters.health,
            sort=filters.sort,
        ),
    ).select_related("unit")


@router.get("/clients/{client_id}", response=ClientDetailOut, summary="One client")
def get_client_api(request: HttpRequest, client_id: int) -> Client:
    return _readable_client(request, client_id)[1]


@router.get(
    "/clients/{client_id}/contacts", response=list[ContactOut], summary="A client's contacts"
)
@paginate(PageNumberPagination, page_size=settings.PAGE_SIZE)
def list_contacts_api(request: HttpRequest, client_id: int) -> QuerySet[Contact]:
    return selectors.contacts_of(_readable_client(request, client_id)[1])


@router.get(
    "/clients/{client_id}/interactions",
    response=list[InteractionOut],
    summary="What happened with a client, newest first",
)
@paginate(PageNumberPagination, page_size=settings.PAGE_SIZE)
def list_interactions_api(request: HttpRequest, client_id: int) -> QuerySet[Interaction]:
    user, client = _readable_client(request, client_id)
    return selectors.timeline(user, client).prefetch_related("contacts")


# --- writing -------------------------------------------------------------------------------


def _unit(unit_id: int | None) -> OrgUnit | None:
    if unit_id is None:
        return None
    unit = OrgUnit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise ValidationError({"unit": f"no unit with id {unit_id}."})
    return unit


def _user(user_id: int | None, field: str) -> User | None:
    if user_id is None:
        return None
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise ValidationError({field: f"no user with id {user_id}."})
    return user


@router.post("/clients", response={201: ClientDetailOut}, summary="Add a client")
@api_field_names(unit="unit_id", owner="owner_id")
def create_client_api(request: HttpRequest, payload: ClientIn) -> Status[Client]:
    user = api_caller(request)
    client = create_client(
        acting_user=user,
        kind=payload.kind,
        name=payload.name,
        unit=_unit(payload.unit_id),
        sector=payload.sector,
        size_band=payload.size_band,
        address=payload.address,
        website=payload.website,
        notes=payload.notes,
        owner=_user(payload.owner_id, "owner"),
    )
    return Status(201, selectors.get_client(user, client.pk))


@router.patch(
    "/clients/{client_id}",
    response=ClientDetailOut,
    summary="Change a client's details (not its kind, unit or owner)",
)
def update_client_api(request: HttpRequest, client_id: int, payload: ClientPatch) -> Client:
    user, client = _readable_client(request, client_id)
    changes = payload.model_dump(exclude_none=True)
    update_client(acting_user=user, client=client, **changes)
    return selectors.get_client(user, client_id)


@router.post(
    "/clients/{client_id}/interactions",
    response={201: InteractionOut},
    summary="Log an interaction with a client, with its next step",
)
@api_field_names(contacts="contact_ids", next_step_owner="next_step_owner_id")
def record_interaction_api(
    request: HttpRequest, client_id: int, payload: InteractionIn
) -> Status[Interaction]:
    user, client = _readable_client(request, client_id)
    wanted = set(payload.contact_ids)
    contacts = list(client.contacts.filter(pk__in=wanted)) if wanted else []
    if len(contacts) != len(wanted):
        missing = sorted(wanted - {contact.pk for contact in contacts})
        raise ValidationError(
            {"contacts": f"not contacts of {client}: {', '.join(map(str, missing))}."}
        )
    occurred_at = payload.occurred_at
    if timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)
    interaction = record_interaction(
        acting_user=user,
        client=client,
        kind=payload.kind,
        occurred_at=occurred_at,
        summary=payload.summary,
        internal_only=payload.internal_only,
        contacts=contacts,
        next_step=payload.next_step,
        next_step_owner=_user(payload.next_step_owner_id, "next_step_owner"),
        next_step_due=payload.next_step_due,
    )
    return Status(
        201,
        selectors.timeline(user, client).prefetch_related("contacts").get(pk=interaction.pk),
    )
