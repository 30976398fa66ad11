"""Reads for stakeholder maps, narrowed to what the viewer may see (accounts.access).

Kept beside `selectors.py` rather than in it so the maps' reads stay in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from milepost.accounts.access import AnyUser, can_view_clients, require
from milepost.clients.models import MapReview, MapVersion, ReviewAnswer, Stakeholder, StakeholderMap
from milepost.clients.selectors import visible_clients

READ_DENIED = (
    "Stakeholder maps are for L&D, account managers, quality leads, executives, managers and "
    "the colleagues asked to confirm them."
)


def is_asked(user: AnyUser, stakeholder_map: StakeholderMap) -> bool:
    """`user` was asked to confirm some version of this map (so may open it)."""
    if not user.is_authenticated:
        return False
    return MapReview.objects.filter(version__map=stakeholder_map, colleague=user).exists()


def get_map(user: AnyUser, map_id: int) -> StakeholderMap:
    """The map if `user` may read it: the own map for every internal reader of clients, a
    client's map for those who see the client, any map for a colleague asked about it.
    Wrong role: 403; another client's map: 404."""
    found = StakeholderMap.objects.select_related("client", "client__owner", "owner").filter(
        pk=map_id
    )
    stakeholder_map = found.first()
    if stakeholder_map is None:
        raise Http404("No such stakeholder map.")
    if is_asked(user, stakeholder_map):
        return stakeholder_map
    require(can_view_clients(user), READ_DENIED)
    if stakeholder_map.client_id is not None and (
        not visible_clients(user).filter(pk=stakeholder_map.client_id).exists()
    ):
        raise Http404("No such stakeholder map.")
    return stakeholder_map


def stakeholders_of(stakeholder_map: StakeholderMap) -> QuerySet[Stakeholder]:
    """The map's stakeholders in the data table's order: most power, then most interest."""
    return stakeholder_map.stakeholders.select_related("contact", "person").order_by(
        "-power", "-interest", "pk"
    )


def get_stakeholder(user: AnyUser, stakeholder_id: int) -> Stakeholder:
    stakeholder = (
        Stakeholder.objects.select_related("map", "contact", "person").filter(pk=stakeholder_id)
    ).first()
    if stakeholder is None:
        raise Http404("No such stakeholder.")
    get_map(user, stakeholder.map_id)  # 403/404 as for its map
    return stakeholder


def get_review(user: AnyUser, review_id: int) -> MapReview:
    """A colleague's own request to confirm a map; anyone else's is not found."""
    review = (
        MapReview.objects.select_related("version__map__client", "version__map__owner")
        .filter(pk=review_id, colleague_id=getattr(user, "pk", None))
        .first()
    )
    if review is None:
        raise Http404("No such request to confirm a map.")
    return review


def versions_of(stakeholder_map: StakeholderMap) -> QuerySet[MapVersion]:
    return (
        stakeholder_map.versions.select_related("created_by")
        .prefetch_related("reviews__colleague")
        .order_by("-number")
    )


@dataclass(frozen=True)
class Consensus:
    """Where the current request to confirm stands."""

    version: MapVersion | None
    agreed: list[MapReview]
    challenged: list[MapReview]
    waiting: list[MapReview]
    asked: int
    needed: int  # how many must agree for sign-off

    @property
    def agreed_count(self) -> int:
        return len(self.agreed)


def consensus(stakeholder_map: StakeholderMap) -> Consensus:
    """The latest version put to colleagues and who agreed, challenged or has not answered."""
    version = stakeholder_map.versions.order_by("-number").first()
    if version is None:
        return Consensus(None, [], [], [], 0, 0)
    reviews = list(version.reviews.select_related("colleague").order_by("pk"))
    asked = len(reviews)
    needed = -(-asked * stakeholder_map.agreement_share // 100)  # ceiling
    return Consensus(
        version=version,
        agreed=[r for r in reviews if r.answer == ReviewAnswer.AGREED],
        challenged=[r for r in reviews if r.answer == ReviewAnswer.CHALLENGED],
        waiting=[r for r in reviews if r.answer == ReviewAnswer.PENDING],
        asked=asked,
        needed=needed,
    )


def colleagues_to_ask(stakeholder_map: StakeholderMap) -> QuerySet:
    """Active internal users other than the map's owner, by name (the ask form's choices)."""
    from milepost.accounts.models import Role, User

    users = User.objects.filter(is_active=True).exclude(role=Role.EMPLOYER_CONTACT)
    if stakeholder_map.owner_id is not None:
        users = users.exclude(pk=stakeholder_map.owner_id)
    return users.order_by("last_name", "first_name", "username")
