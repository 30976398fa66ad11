"""Stakeholder maps: the training function's own map and one per client, their stakeholders,
and consensus (colleagues asked to confirm a version, which is signed off at the agreed share).

Versions: `map.version` is the number of the version being worked on. Asking colleagues
snapshots it into a MapVersion; the first change after that (or a second request) starts the
next number, so every version put to colleagues stays in the history as it was asked.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from milepost.accounts.access import (
    AnyUser,
    can_be_asked_about_maps,
    can_edit_stakeholder_map,
    require,
)
from milepost.accounts.models import Role, User
from milepost.accounts.services import notify
from milepost.clients.models import (
    NAME_MAX,
    BodyType,
    Client,
    Contact,
    MapReview,
    MapStatus,
    MapVersion,
    ReviewAnswer,
    Stakeholder,
    StakeholderMap,
)

MAP_DENIED = (
    "Only L&D coordinators, admins and the client's own account manager can change this "
    "stakeholder map."
)
OWN_MAP_DENIED = "Only L&D coordinators and admins can change our organisation's stakeholder map."
REVIEW_MONTHS = 12


def can_edit_map(user: AnyUser, stakeholder_map: StakeholderMap) -> bool:
    client_owner_id = stakeholder_map.client.owner_id if stakeholder_map.client else None
    return can_edit_stakeholder_map(
        user, client_owner_id=client_owner_id, own_map=stakeholder_map.client_id is None
    )


def require_map_editor(user: AnyUser, stakeholder_map: StakeholderMap) -> None:
    message = OWN_MAP_DENIED if stakeholder_map.client_id is None else MAP_DENIED
    require(can_edit_map(user, stakeholder_map), message)


def a_year_on(day: datetime.date, months: int = REVIEW_MONTHS) -> datetime.date:
    """`day` plus `months` months (29 February falls back to the 28th)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise AssertionError("every month has a 28th")


# --- getting the maps --------------------------------------------------------------------------


def _own_map_owner(acting_user: User) -> User | None:
    if acting_user.role == Role.COORDINATOR:
        return acting_user
    return User.objects.filter(role=Role.COORDINATOR, is_active=True).order_by("pk").first() or (
        acting_user if acting_user.role == Role.ADMIN else None
    )


@transaction.atomic
def get_own_map(*, acting_user: User) -> StakeholderMap:
    """The training function's own map (our organisation in the centre), made on first use and
    owned by an L&D coordinator."""
    found = StakeholderMap.objects.filter(client__isnull=True).select_related("owner").first()
    if found is not None:
        return found
    return StakeholderMap.objects.create(client=None, owner=_own_map_owner(acting_user))


@transaction.atomic
def get_client_map(*, acting_user: User, client: Client) -> StakeholderMap:
    """`client`'s map, made on first use; its owner is the client's owner, kept in step."""
    found, _ = StakeholderMap.objects.select_related("client", "owner").get_or_create(
        client=client, defaults={"owner": client.owner}
    )
    if found.owner_id != client.owner_id:
        found.owner = client.owner
        found.save(update_fields=["owner", "updated_at"])
    return found


# --- stakeholders ------------------------------------------------------------------------------


def _is_rating(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5


def _already_on(stakeholder_map: StakeholderMap, exclude_pk: int | None, **who: Any) -> bool:
    taken = stakeholder_map.stakeholders.filter(**who)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    return taken.exists()


def clean_stakeholder_fields(
    *,
    stakeholder_map: StakeholderMap,
    contact: Contact | None,
    person: User | None,
    body_name: str,
    body_type: str,
    power: Any,
    interest: Any,
    wants: str = "",
    engagement: str = "",
    shared_with_client: bool = False,
    exclude_pk: int | None = None,
) -> dict[str, str]:
    """Field errors of a stakeholder (empty when valid): the form, the API and imports share it."""
    errors: dict[str, str] = {}
    chosen = [name for name, value in (("contact", contact), ("person", person)) if value]
    if body_name.strip():
        chosen.append("body_name")
    if not chosen:
        errors["contact"] = (
            "Choose who the stakeholder is: a contact at the client, a colleague, or the name "
            "of an outside body."
        )
    elif len(chosen) > 1:
        errors[chosen[1]] = "A stakeholder is one contact, one colleague or one outside body."
    if contact is not None:
        if stakeholder_map.client_id is None:
            errors["contact"] = (
                "Our organisation's own map takes colleagues and outside bodies; a client's "
                "contact belongs on that client's map."
            )
        elif contact.client_id != stakeholder_map.client_id:
            errors["contact"] = f"{contact.name} is a contact of another client, not of this one."
        elif _already_on(stakeholder_map, exclude_pk, contact=contact):
            errors["contact"] = f"{contact.name} is already on this map."
    if person is not None:
        if not can_be_asked_about_maps(person):
            errors["person"] = f"{person} is not an active colleague in our organisation."
        elif _already_on(stakeholder_map, exclude_pk, person=person):
            errors["person"] = f"{person.get_full_name() or person} is already on this map."
    if body_name.strip():
        if len(body_name.strip()) > NAME_MAX:
            errors["body_name"] = f"Keep the name to {NAME_MAX} characters."
        if not body_type:
            errors["body_type"] = "Say what kind of body it is (awarding body, regulator, ...)."
    if body_type and body_type not in BodyType.values:
        errors["body_type"] = f"Body type must be one of {', '.join(BodyType.values)}."
    if body_type and not body_name.strip() and "body_name" not in errors:
        errors["body_name"] = "A body type goes with the name of an outside body."
    for field, value in (("power", power), ("interest", interest)):
        if not _is_rating(value):
            errors[field] = f"Rate {field} from 1 (low) to 5 (high), not {value!r}."
    if shared_with_client and stakeholder_map.client_id is None:
        errors["shared_with_client"] = "Our own map has no client to share it with."
    return errors


def _start_new_version_if_asked(stakeholder_map: StakeholderMap) -> None:
    """A change after the current version was put to colleagues starts the next version."""
    if stakeholder_map.versions.filter(number=stakeholder_map.version).exists():
        stakeholder_map.version += 1
    stakeholder_map.status = MapStatus.DRAFT
    stakeholder_map.save(update_fields=["version", "status", "updated_at"])


@transaction.atomic
def add_stakeholder(
    *,
    acting_user: User,
    stakeholder_map: StakeholderMap,
    contact: Contact | None = None,
    person: User | None = None,
    body_name: str = "",
    body_type: str = "",
    power: int,
    interest: int,
    legitimate: bool = False,
    urgent: bool = False,
    wants: str = "",
    engagement: str = "",
    shared_with_client: bool = False,
) -> Stakeholder:
    """Put a contact of this client, a colleague or a named outside body on the map."""
    require_map_editor(acting_user, stakeholder_map)
    errors = clean_stakeholder_fields(
        stakeholder_map=stakeholder_map,
        contact=contact,
        person=person,
        body_name=body_name,
        body_type=body_type,
        power=power,
        interest=interest,
        shared_with_client=shared_with_client,
    )
    if errors:
        raise ValidationError(errors)
    stakeholder = Stakeholder.objects.create(
        map=stakeholder_map,
        contact=contact,
        person=person,
        body_name=body_name.strip(),
        body_type=body_type if body_name.strip() else "",
        power=power,
        interest=interest,
        legitimate=legitimate,
        urgent=urgent,
        wants=wants.strip(),
        engagement=engagement.strip(),
        shared_with_client=shared_with_client,
    )
    _start_new_version_if_asked(stakeholder_map)
    return stakeholder


STAKEHOLDER_EDITABLE = (
    "contact",
    "person",
    "body_name",
    "body_type",
    "power",
    "interest",
    "legitimate",
    "urgent",
    "wants",
    "engagement",
    "shared_with_client",
)


@transaction.atomic
def update_stakeholder(
    *, acting_user: User, stakeholder: Stakeholder, **changes: Any
) -> Stakeholder:
    """Change a stakeholder's ratings, flags or notes (or who they are)."""
    stakeholder_map = stakeholder.map
    require_map_editor(acting_user, stakeholder_map)
    unknown = set(changes) - set(STAKEHOLDER_EDITABLE)
    if unknown:
        raise ValidationError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    merged = {field: getattr(stakeholder, field) for field in STAKEHOLDER_EDITABLE} | changes
    errors = clean_stakeholder_fields(
        stakeholder_map=stakeholder_map,
        contact=merged["contact"],
        person=merged["person"],
        body_name=merged["body_name"],
        body_type=merged["body_type"],
        power=merged["power"],
        interest=merged["interest"],
        shared_with_client=merged["shared_with_client"],
        exclude_pk=stakeholder.pk,
    )
    if errors:
        raise ValidationError(errors)
    for field, value in changes.items():
        setattr(stakeholder, field, value.strip() if isinstance(value, str) else value)
    if not stakeholder.body_name:
        stakeholder.body_type = ""
    stakeholder.save()
    _start_new_version_if_asked(stakeholder_map)
    return stakeholder


@transaction.atomic
def remove_stakeholder(*, acting_user: User, stakeholder: Stakeholder) -> None:
    stakeholder_map = stakeholder.map
    require_map_editor(acting_user, stakeholder_map)
    stakeholder.delete()
    _start_new_version_if_asked(stakeholder_map)


# --- consensus ---------------------------------------------------------------------------------


def snapshot(stakeholder_map: StakeholderMap) -> list[dict[str, Any]]:
    """Each stakeholder as it stands, with its quadrant and salience (a version's record)."""
    rows = []
    stakeholders = stakeholder_map.stakeholders.select_related("contact", "person")
    for stakeholder in stakeholders.order_by("-power", "-interest", "pk"):
        quadrant, salience = stakeholder.quadrant, stakeholder.salience
        rows.append(
            {
                "id": stakeholder.pk,
                "name": stakeholder.name,
                "kind": stakeholder.kind_label,
                "power": stakeholder.power,
                "interest": stakeholder.interest,
                "legitimate": stakeholder.legitimate,
                "urgent": stakeholder.urgent,
                "quadrant": quadrant.key,
                "quadrant_label": quadrant.label,
                "salience": salience.key,
                "salience_label": salience.label,
                "attributes": salience.attributes,
                "wants": stakeholder.wants,
                "engagement": stakeholder.engagement,
                "shared_with_client": stakeholder.shared_with_client,
            }
        )
    return rows


@transaction.atomic
def ask_colleagues(
    *,
    acting_user: User,
    stakeholder_map: StakeholderMap,
    colleagues: list[User],
    note: str = "",
    agreement_share: int | None = None,
) -> MapVersion:
    """Put the map as it stands to named colleagues to confirm or challenge; each is told."""
    require_map_editor(acting_user, stakeholder_map)
    errors: dict[str, str] = {}
    if not colleagues:
        errors["colleagues"] = "Name at least one colleague to confirm the map."
    for colleague in colleagues:
        if colleague.pk in (stakeholder_map.owner_id, acting_user.pk):
            errors["colleagues"] = (
                f"{colleague.get_full_name() or colleague} owns or sends this map; ask other "
                "colleagues to confirm it."
            )
        elif not can_be_asked_about_maps(colleague):
            errors["colleagues"] = f"{colleague} is not an active colleague in our organisation."
    if agreement_share is not None and not (
        isinstance(agreement_share, int) and 1 <= agreement_share <= 100
    ):
        errors["agreement_share"] = "The share that must agree is a percentage from 1 to 100."
    if not stakeholder_map.stakeholders.exists():
        errors["__all__"] = "Add the principal stakeholders before asking colleagues to confirm."
    if errors:
        raise ValidationError(errors)
    if stakeholder_map.versions.filter(number=stakeholder_map.version).exists():
        stakeholder_map.version += 1
    if agreement_share is not None:
        stakeholder_map.agreement_share = agreement_share
    stakeholder_map.status = MapStatus.IN_REVIEW
    stakeholder_map.save(update_fields=["version", "status", "agreement_share", "updated_at"])
    version = MapVersion.objects.create(
        map=stakeholder_map,
        number=stakeholder_map.version,
        stakeholders=snapshot(stakeholder_map),
        note=note.strip(),
        created_by=acting_user,
    )
    unique = {colleague.pk: colleague for colleague in colleagues}
    for colleague in unique.values():
        review = MapReview.objects.create(version=version, colleague=colleague)
        notify(
            recipient=colleague,
            message=(
                f"{acting_user.get_full_name() or acting_user} asks you to confirm the "
                f"{stakeholder_map} (version {version.number}), or challenge it."
            ),
            url=review_url(review),
        )
    return version


def review_url(review: MapReview) -> str:
    return reverse("clients:map-review", args=[review.pk])


def map_url(stakeholder_map: StakeholderMap) -> str:
    return reverse("clients:map", args=[stakeholder_map.pk])


def agreed_share(version: MapVersion) -> tuple[int, int]:
    """(colleagues who agreed, colleagues asked) for `version`."""
    answers = list(version.reviews.values_list("answer", flat=True))
    return sum(answer == ReviewAnswer.AGREED for answer in answers), len(answers)


@transaction.atomic
def answer_review(
    *, acting_user: User, review: MapReview, answer: str, comment: str = ""
) -> MapReview:
    """The colleague agrees with the version they were asked about, or challenges it (a comment
    is required). At the map's agreement share the version is signed off and the owner told."""
    if review.colleague_id != acting_user.pk:
        raise ValidationError("Only the colleague who was asked can answer.")
    version = review.version
    stakeholder_map = StakeholderMap.objects.select_for_update().get(pk=version.map_id)
    if stakeholder_map.status != MapStatus.IN_REVIEW or stakeholder_map.version != version.number:
        raise ValidationError(
            f"Version {version.number} is no longer waiting for answers: the map has moved on "
            f"(now version {stakeholder_map.version}, {stakeholder_map.get_status_display()})."
        )
    comment = comment.strip()
    if answer not in (ReviewAnswer.AGREED, ReviewAnswer.CHALLENGED):
        raise ValidationError({"answer": "Answer 'agreed' or 'challenged'."})
    if answer == ReviewAnswer.CHALLENGED and not comment:
        raise ValidationError(
            {"comment": "Say what you would change: a challenge needs a comment."}
        )
    review.answer, review.comment, review.answered_at = answer, comment, timezone.now()
    review.save(update_fields=["answer", "comment", "answered_at"])
    owner = stakeholder_map.owner
    who = acting_user.get_full_name() or str(acting_user)
    agreed, asked = agreed_share(version)
    if asked and agreed * 100 >= stakeholder_map.agreement_share * asked:
        now = timezone.now()
        version.signed_off_at = now
        version.save(update_fields=["signed_off_at"])
        stakeholder_map.status = MapStatus.SIGNED_OFF
        stakeholder_map.signed_off_at = now
        stakeholder_map.review_by = a_year_on(timezone.localdate())
        stakeholder_map.save(update_fields=["status", "signed_off_at", "review_by", "updated_at"])
        if owner is not None:
            notify(
                recipient=owner,
                message=(
                    f"The {stakeholder_map} is signed off: {agreed} of {asked} colleagues "
                    f"agreed with version {version.number}. Review it by "
                    f"{stakeholder_map.review_by:%d %b %Y}."
                ),
                url=map_url(stakeholder_map),
            )
    elif answer == ReviewAnswer.CHALLENGED and owner is not None:
        notify(
            recipient=owner,
            message=f"{who} challenged the {stakeholder_map} (version {version.number}): {comment}",
            url=map_url(stakeholder_map),
        )
    return review
