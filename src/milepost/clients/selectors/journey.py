"""Reads for the employer journey: the journey map (stages as columns, clients as rows) and one
client's path. Kept beside selectors.py so each part of the clients app reads on its own."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from milepost.accounts.access import AnyUser
from milepost.accounts.models import Role, User
from milepost.clients.models import (
    Client,
    JourneyStage,
    JourneyTemplate,
    StageChange,
    StageResponsibility,
)
from milepost.clients.selectors import ClientFilters, client_list, visible_clients

# Who may be named responsible for a stage (bounded so the drop-down stays short).
RESPONSIBLE_ROLES = (
    Role.ADMIN,
    Role.COORDINATOR,
    Role.ACCOUNT_MANAGER,
    Role.LINE_MANAGER,
    Role.QUALITY_LEAD,
    Role.EXECUTIVE,
)
BATCH = 1000


def person_name(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


@dataclass(frozen=True)
class JourneyFilters:
    template: int | None = None
    q: str = ""
    kind: str = ""
    owner: int | None = None
    no_owner: bool = False
    stage: int | None = None

    @property
    def filtered(self) -> bool:
        return bool(self.q or self.kind or self.owner or self.no_owner or self.stage)


@dataclass(frozen=True)
class Cell:
    """One juncture: a client at a stage, and who takes responsibility there."""

    stage: JourneyStage
    responsible: User | None
    is_current: bool
    is_done: bool  # a stage before the current one

    @property
    def nobody(self) -> bool:
        return self.responsible is None

    @property
    def responsible_name(self) -> str:
        return person_name(self.responsible)


@dataclass(frozen=True)
class Row:
    client: Client
    cells: list[Cell]


@dataclass(frozen=True)
class StageSummary:
    stage: JourneyStage
    clients: int
    owned: int

    @property
    def unowned(self) -> int:
        return self.clients - self.owned

    @property
    def owned_percent(self) -> int | None:
        return round(100 * self.owned / self.clients) if self.clients else None


def journey_templates() -> QuerySet[JourneyTemplate]:
    return JourneyTemplate.objects.order_by("-is_default", "name")


def chosen_template(template_id: int | None) -> JourneyTemplate | None:
    templates = journey_templates()
    if template_id:
        found = templates.filter(pk=template_id).first()
        if found is not None:
            return found
    return templates.first()


def stages_of(template: JourneyTemplate) -> list[JourneyStage]:
    return list(template.stages.order_by("position"))


def journey_clients(
    user: AnyUser, template: JourneyTemplate, filters: JourneyFilters
) -> QuerySet[Client]:
    """The active clients on `template` that `user` may see, filtered as the client list
    filters them; one query."""
    same_as_list = ClientFilters(
        q=filters.q,
        kind=filters.kind,
        owner=filters.owner,
        no_owner=filters.no_owner,
        stage=filters.stage,
    )
    return client_list(user, same_as_list).filter(journey=template)


def _responsible_by_client(client_ids: Sequence[int]) -> dict[int, dict[int, User | None]]:
    found: dict[int, dict[int, User | None]] = defaultdict(dict)
    rows = StageResponsibility.objects.filter(client_id__in=client_ids).select_related(
        "responsible"
    )
    for row in rows:
        found[row.client_id][row.stage_id] = row.responsible
    return found


def journey_rows(clients: Iterable[Client], stages: list[JourneyStage]) -> list[Row]:
    """Each client with a cell per stage; one query for the responsibilities."""
    clients = list(clients)
    responsible = _responsible_by_client([client.pk for client in clients])
    rows = []
    for client in clients:
        current = client.stage.position if client.stage is not None else 0
        named = responsible.get(client.pk, {})
        rows.append(
            Row(
                client=client,
                cells=[
                    Cell(
                        stage=stage,
                        responsible=named.get(stage.pk),
                        is_current=stage.pk == client.stage_id,
                        is_done=stage.position < current,
                    )
                    for stage in stages
                ],
            )
        )
    return rows


def stage_summaries(clients: QuerySet[Client], stages: list[JourneyStage]) -> list[StageSummary]:
    """Per stage: how many of `clients` have someone responsible, how many nobody (2 queries)."""
    total = clients.count()
    owned = dict(
        StageResponsibility.objects.filter(
            client__in=clients.order_by().values("pk"),
            responsible__isnull=False,
            stage__in=stages,
        )
        .values("stage_id")
        .annotate(n=Count("pk"))
        .values_list("stage_id", "n")
    )
    return [StageSummary(stage=s, clients=total, owned=owned.get(s.pk, 0)) for s in stages]


def journey_export_rows(clients: QuerySet[Client], stages: list[JourneyStage]) -> Iterator[list]:
    """The journey map as rows (client, kind, owner, current stage, then each stage's
    responsible person or 'nobody'), read in batches so the download streams."""
    batch: list[Client] = []
    for client in clients.iterator(chunk_size=BATCH):
        batch.append(client)
        if len(batch) == BATCH:
            yield from _export_batch(batch, stages)
            batch = []
    if batch:
        yield from _export_batch(batch, stages)


def _export_batch(clients: list[Client], stages: list[JourneyStage]) -> Iterator[list]:
    # Names straight from the database: 20,000 responsibilities need no User objects.
    names: dict[int, dict[int, str]] = defaultdict(dict)
    for client_id, stage_id, first, last, username in StageResponsibility.objects.filter(
        client_id__in=[client.pk for client in clients], responsible__isnull=False
    ).values_list(
        "client_id",
        "stage_id",
        "responsible__first_name",
        "responsible__last_name",
        "responsible__username",
    ):
        names[client_id][stage_id] = f"{first} {last}".strip() or username
    for client in clients:
        named = names.get(client.pk, {})
        yield [
            client.name,
            client.get_kind_display(),
            person_name(client.owner) or "no owner",
            client.stage.name if client.stage else "",
            *[named.get(stage.pk) or "nobody" for stage in stages],
        ]


def journey_owners(user: AnyUser) -> QuerySet[User]:
    """The people who own at least one client `user` can see (the owner filter's choices)."""
    owner_ids = visible_clients(user).filter(owner__isnull=False).order_by().values("owner_id")
    return User.objects.filter(pk__in=owner_ids).order_by("first_name", "last_name", "username")


# --- one client's path ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PathStage:
    stage: JourneyStage
    responsible: User | None
    is_current: bool
    is_done: bool
    entered_at: datetime.datetime | None  # the last time the client moved into this stage

    @property
    def nobody(self) -> bool:
        return self.responsible is None


def client_path(client: Client) -> list[PathStage]:
    """Every stage of the client's journey with who is responsible and when it was entered."""
    stages = stages_of(client.journey)
    named = _responsible_by_client([client.pk]).get(client.pk, {})
    entered: dict[int, datetime.datetime] = {}
    for to_stage_id, changed_at in StageChange.objects.filter(client=client).values_list(
        "to_stage_id", "changed_at"
    ):
        if to_stage_id not in entered or changed_at > entered[to_stage_id]:
            entered[to_stage_id] = changed_at
    current = client.stage.position if client.stage is not None else 0
    return [
        PathStage(
            stage=stage,
            responsible=named.get(stage.pk),
            is_current=stage.pk == client.stage_id,
            is_done=stage.position < current,
            entered_at=entered.get(stage.pk),
        )
        for stage in stages
    ]


def stage_history(client: Client) -> QuerySet[StageChange]:
    return client.stage_changes.select_related("from_stage", "to_stage", "changed_by").order_by(
        "-changed_at", "-pk"
    )


def responsible_candidates() -> QuerySet[User]:
    return User.objects.filter(is_active=True, role__in=RESPONSIBLE_ROLES).order_by(
        "first_name", "last_name", "username"
    )
