"""Writes for needs: intake, competency mapping, triage, themes and priority weights.

Every function takes the acting user, checks what they may do, runs in one transaction and
raises ValidationError (a message a person can act on) or PermissionDenied.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from milepost.accounts import audit
from milepost.accounts.access import (
    AnyUser,
    can_submit_needs,
    can_triage_needs,
    require,
    submittable_unit_filter,
)
from milepost.accounts.models import OrgUnit, Role, User
from milepost.accounts.services import notify, notify_many
from milepost.clients.selectors import client_of
from milepost.engines.matching.language import looks_english
from milepost.frameworks.models import Competency
from milepost.needs import matching
from milepost.needs.models import (
    DESCRIPTION_MAX,
    DESCRIPTION_MIN,
    DemandTheme,
    Impact,
    Need,
    NeedCompetency,
    PlannedTraining,
    PriorityWeights,
    Source,
    Status,
    StatusChange,
    Urgency,
)

SUBMIT_DENIED = "Your role cannot raise needs; ask your line manager or an L&D coordinator."
TRIAGE_DENIED = "Only an admin or an L&D coordinator can triage needs."


def require_triager(user: AnyUser) -> None:
    require(can_triage_needs(user), TRIAGE_DENIED)


# --- intake ----------------------------------------------------------------------------------


def clean_need_fields(
    *,
    acting_user: AnyUser,
    title: str,
    description: str,
    unit: OrgUnit | None,
    people_affected: int,
    urgency: int,
    impact: int,
    wanted_by: datetime.date | None,
    business_issue: str = "",
    check_deadline: bool = True,
) -> dict[str, str]:
    """Field errors of a need (empty when valid): shared by the form, the API and imports."""
    errors: dict[str, str] = {}
    title = title.strip()
    description = description.strip()
    if not title:
        errors["title"] = "Give the need a short title."
    elif len(title) > 200:
        errors["title"] = f"The title is {len(title)} characters; keep it to 200."
    if len(description) < DESCRIPTION_MIN:
        errors["description"] = (
            f"Describe the need in at least {DESCRIPTION_MIN} characters: what people struggle "
            "with, and since when."
        )
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = (
            f"The description is {len(description):,} characters; keep it to "
            f"{DESCRIPTION_MAX:,} and attach the rest to the conversation with L&D."
        )
    elif not looks_english(f"{title} {description}"):
        errors["description"] = (
            "This reads as a language other than English. Milepost matches needs against "
            "English competency frameworks: please describe the need in English."
        )
    if len(business_issue.strip()) > DESCRIPTION_MAX:
        errors["business_issue"] = (
            f"The business issue is {len(business_issue.strip()):,} characters; keep it to "
            f"{DESCRIPTION_MAX:,}."
        )
    if unit is not None:
        scope = submittable_unit_filter(acting_user)
        if scope is not None and not OrgUnit.objects.filter(scope).filter(pk=unit.pk).exists():
            errors["unit"] = f"You cannot raise needs for {unit.name}."
    elif acting_user.is_authenticated and acting_user.role != Role.EMPLOYER_CONTACT:
        errors["unit"] = "Choose the unit that has the need."
    if not 1 <= people_affected <= 1_000_000:
        errors["people_affected"] = "People affected must be between 1 and 1,000,000."
    if urgency not in Urgency.values:
        errors["urgency"] = f"Urgency must be one of {', '.join(map(str, Urgency.values))}."
    if impact not in Impact.values:
        errors["impact"] = f"Impact must be one of {', '.join(map(str, Impact.values))}."
    if check_deadline and wanted_by is not None and wanted_by < timezone.localdate():
        errors["wanted_by"] = "The wanted-by date is in the past."
    return errors


@transaction.atomic
def submit_need(
    *,
    acting_user: User,
    title: str,
    description: str,
    business_issue: str = "",
    unit: OrgUnit | None,
    people_affected: int = 1,
    urgency: int = Urgency.MEDIUM,
    impact: int = Impact.MODERATE,
    wanted_by: datetime.date | None = None,
    source: str = Source.FORM,
    requester_name: str = "",
    suggest: bool = True,
    tell_ld: bool = True,
) -> Need:
    """Record a need, embed it and attach the suggested competencies.

    The L&D team is told (`tell_ld_team`) unless `tell_ld` is False (an import tells it once).
    """
    require(can_submit_needs(acting_user), SUBMIT_DENIED)
    errors = clean_need_fields(
        acting_user=acting_user,
        title=title,
        description=description,
        unit=unit,
        people_affected=people_affected,
        urgency=urgency,
        impact=impact,
        wanted_by=wanted_by,
        business_issue=business_issue,
        check_deadline=source in (Source.FORM, Source.API),
    )
    if errors:
        raise ValidationError(errors)
    need = Need(
        title=title.strip(),
        description=description.strip(),
        business_issue=business_issue.strip(),
        unit=unit,
        requester=acting_user,
        requester_name=requester_name.strip()[:200],
        source=source,
        people_affected=people_affected,
        urgency=urgency,
        impact=impact,
        wanted_by=wanted_by,
        client=client_of(requester=acting_user, unit_path=unit.path if unit else None),
    )
    need.embedding = matching.vector_bytes(matching.embed(need.text))
    need.save()
    StatusChange.objects.create(need=need, to_status=Status.SUBMITTED, changed_by=acting_user)
    if suggest:
        refresh_suggestions(need)
    if tell_ld:
        where = need.unit.name if need.unit else "no unit"
        tell_ld_team(
            acting_user=acting_user,
            message=f"New need from {need.requested_by} ({where}): \u201c{need.title}\u201d. "
            "It waits for a first response.",
            url=reverse("needs:need-detail", args=[need.pk]),
        )
    return need


def tell_ld_team(*, acting_user: User, message: str, url: str = "") -> int:
    """Tell every active L&D coordinator but `acting_user` (inbox, and email if they want it)."""
    coordinators = (
        User.objects.filter(role=Role.COORDINATOR, is_active=True)
        .exclude(pk=acting_user.pk)
        .values_list("pk", flat=True)
    )
    return notify_many((pk, message, url) for pk in coordinators)


def refresh_suggestions(need: Need) -> list[NeedCompetency]:
    """Replace the engine's unconfirmed suggestions; what people confirmed or added stays.
    Words naming the requester's own job and unit count for less (matching.requester_context)."""
    suggestions = matching.suggest_competencies(
        need.text, context=matching.requester_context(need.requester)
    )
    kept = {
        row.competency_id: row
        for row in need.mappings.filter(
            Q(confirmed_by_requester=True) | Q(accepted=True) | Q(origin="added")
        )
    }
    need.mappings.exclude(pk__in=[row.pk for row in kept.values()]).delete()
    rows = []
    for rank, suggestion in enumerate(suggestions, start=1):
        existing = kept.get(suggestion.competency.pk)
        if existing is not None:
            existing.rank, existing.score = rank, suggestion.score
            existing.matched_terms = ",".join(suggestion.matched_terms)[:500]
            existing.save(update_fields=["rank", "score", "matched_terms"])
            continue
        rows.append(
            NeedCompetency(
                need=need,
                competency=suggestion.competency,
                rank=rank,
                score=suggestion.score,
                matched_terms=",".join(suggestion.matched_terms)[:500],
            )
        )
    NeedCompetency.objects.bulk_create(rows)
    return list(need.mappings.select_related("competency"))


# --- the competency mapping -------------------------------------------------------------------


@transaction.atomic
def confirm_competencies(*, acting_user: User, need: Need, competency_ids: Iterable[int]) -> None:
    """The requester says which suggestions describe their need (the others are unticked)."""
    if need.requester_id != acting_user.pk and not can_triage_needs(acting_user):
        raise PermissionDenied("Only the person who raised the need can confirm its competencies.")
    chosen = set(competency_ids)
    mapped = set(need.mappings.values_list("competency_id", flat=True))
    unknown = chosen - mapped
    if unknown:
        raise ValidationError(
            {
                "competency_ids": f"Competencies {sorted(unknown)} were not suggested for this "
                "need; ask the L&D coordinator to add them."
            }
        )
    before = _mapping_text(need, confirmed_by_requester=True)
    need.mappings.update(confirmed_by_requester=False)
    need.mappings.filter(competency_id__in=chosen).update(confirmed_by_requester=True)
    after = _mapping_text(need, confirmed_by_requester=True)
    audit.record_change(need, changes={"competencies confirmed by the requester": (before, after)})


@transaction.atomic
def set_mapping(
    *, acting_user: User, need: Need, accepted_ids: Iterable[int], add_ids: Iterable[int] = ()
) -> None:
    """The coordinator's mapping: accept some suggestions, add any other competency."""
    require_triager(acting_user)
    accepted = set(accepted_ids)
    to_add = set(add_ids)
    known = set(Competency.objects.filter(pk__in=accepted | to_add).values_list("pk", flat=True))
    missing = (accepted | to_add) - known
    if missing:
        raise ValidationError(f"No competency with id {sorted(missing)}.")
    mapped = set(need.mappings.values_list("competency_id", flat=True))
    groups = Competency.objects.filter(pk__in=to_add - mapped, kind=Competency.Kind.GROUP)
    if groups.exists():
        names = ", ".join(groups.values_list("name", flat=True))
        raise ValidationError(f"{names} is a group of competencies; choose one inside it.")
    before = _mapping_text(need, accepted=True)
    NeedCompetency.objects.bulk_create(
        NeedCompetency(
            need=need,
            competency_id=competency_id,
            origin=NeedCompetency.Origin.ADDED,
            rank=100,
            accepted=True,
        )
        for competency_id in sorted(to_add - mapped)
    )
    need.mappings.update(accepted=False)
    need.mappings.filter(competency_id__in=accepted | to_add).update(accepted=True)
    need.save(update_fields=["updated_at"])
    # Written in bulk, so the audit trail gets the mapping as a whole, before and after.
    after = _mapping_text(need, accepted=True)
    audit.record_change(need, changes={"competencies mapped": (before, after)})


def _mapping_text(need: Need, **flags: bool) -> str:
    """The need's competencies with these flags, as the audit trail shows them."""
    rows = need.mappings.filter(**flags).order_by("competency__name")
    return ", ".join(
        f"{name} (#{pk})" for pk, name in rows.values_list("competency_id", "competency__name")
    )


# --- triage ---------------------------------------------------------------------------------


def _status_message(need: Need, status: str, note: str) -> str:
    label = Status(status).label.lower()
    message = f"Your need \u201c{need.title}\u201d is now {label}."
    if status == Status.DECLINED:
        message += f" Reason: {note}"
    elif note:
        message += f" Note from L&D: {note}"
    return message


@transaction.atomic
def change_status(
    *, acting_user: User, need: Need, status: str, note: str = "", plan: bool = True
) -> StatusChange:
    """Move a need on; the requester is told in the app ("you asked, we did").

    Planning a need puts it on the training plan (one entry per need) unless `plan` is False
    (a theme is planned as one entry).
    """
    require_triager(acting_user)
    if status not in Status.values:
        raise ValidationError({"status": f"'{status}' is not a status of a need."})
    note = note.strip()
    if status == need.status:
        raise ValidationError({"status": f"The need is already {need.get_status_display()}."})
    if status not in need.next_statuses:
        allowed = ", ".join(Status(s).label for s in sorted(need.next_statuses)) or "none"
        raise ValidationError(
            {
                "status": f"A {need.get_status_display().lower()} need cannot become "
                f"{Status(status).label.lower()}; it can become: {allowed}."
            }
        )
    if status == Status.DECLINED and not note:
        raise ValidationError({"note": "Say why the need is declined: the requester sees it."})
    change = StatusChange.objects.create(
        need=need, from_status=need.status, to_status=status, changed_by=acting_user, note=note
    )
    need.status = status
    need.decline_reason = note if status == Status.DECLINED else ""
    fields = ["status", "decline_reason", "updated_at"]
    if need.first_response_at is None:
        need.first_response_at = change.changed_at
        fields.append("first_response_at")
    need.save(update_fields=fields)
    if plan and status == Status.PLANNED and not need.plan_entries.exists():
        PlannedTraining.objects.create(
            title=need.title, need=need, unit=need.unit, planned_by=acting_user, note=note
        )
    if need.requester_id != acting_user.pk:
        notify(
            recipient=need.requester,
            message=_status_message(need, status, note),
            url=reverse("needs:need-detail", args=[need.pk]),
        )
    return change


@transaction.atomic
def withdraw_need(*, acting_user: User, need: Need, note: str = "") -> StatusChange:
    """The requester takes their own need back (sent twice, or no longer needed)."""
    if need.requester_id != acting_user.pk:
        raise PermissionDenied(
            "Only the person who raised the need can withdraw it; L&D can decline it instead."
        )
    if not need.can_withdraw:
        raise ValidationError(
            {
                "status": f"A {need.get_status_display().lower()} need cannot be withdrawn "
                "here: ask the L&D team, who can decline it."
            }
        )
    change = StatusChange.objects.create(
        need=need,
        from_status=need.status,
        to_status=Status.WITHDRAWN,
        changed_by=acting_user,
        note=note.strip(),
    )
    need.status = Status.WITHDRAWN
    need.save(update_fields=["status", "updated_at"])
    return change


@transaction.atomic
def change_theme_status(
    *, acting_user: User, theme: DemandTheme, status: str, note: str = ""
) -> list[StatusChange]:
    """Move every need of a theme that can make the move; the others are left as they are."""
    require_triager(acting_user)
    needs = list(theme.needs.select_related("requester").select_for_update())
    movable = [need for need in needs if status in need.next_statuses]
    if not movable:
        raise ValidationError(
            {"status": f"No need in \u201c{theme.title}\u201d can become {Status(status).label}."}
        )
    changes = [
        change_status(acting_user=acting_user, need=need, status=status, note=note, plan=False)
        for need in movable
    ]
    if status == Status.PLANNED and not theme.plan_entries.exists():
        PlannedTraining.objects.create(
            title=theme.title, theme=theme, planned_by=acting_user, note=note
        )
    return changes


@transaction.atomic
def add_push_training(
    *,
    acting_user: User,
    title: str,
    unit: OrgUnit | None = None,
    starts_on: datetime.date | None = None,
    note: str = "",
) -> PlannedTraining:
    """Training the L&D team plans without a need behind it (push)."""
    require_triager(acting_user)
    if not title.strip():
        raise ValidationError({"title": "Give the planned training a title."})
    return PlannedTraining.objects.create(
        title=title.strip()[:200],
        unit=unit,
        starts_on=starts_on,
        note=note.strip(),
        planned_by=acting_user,
    )


# --- themes ---------------------------------------------------------------------------------


@transaction.atomic
def create_theme(
    *, acting_user: User, title: str, description: str = "", needs: Sequence[Need]
) -> DemandTheme:
    """A demand theme holding `needs` (taken out of any theme they were in)."""
    require_triager(acting_user)
    title = title.strip()
    if not title:
        raise ValidationError({"title": "Give the theme a title."})
    if not needs:
        raise ValidationError({"needs": "A theme needs at least one need."})
    theme = DemandTheme.objects.create(
        title=title[:200], description=description.strip(), created_by=acting_user
    )
    Need.objects.filter(pk__in=[need.pk for need in needs]).update(theme=theme)
    return theme


@transaction.atomic
def assign_theme(*, acting_user: User, need: Need, theme: DemandTheme | None) -> None:
    require_triager(acting_user)
    need.theme = theme
    need.save(update_fields=["theme", "updated_at"])


@transaction.atomic
def delete_theme(*, acting_user: User, theme: DemandTheme) -> None:
    """Dissolve a theme; its needs stay, unthemed."""
    require_triager(acting_user)
    theme.delete()


@transaction.atomic
def set_priority_weights(
    *, acting_user: User, impact: float, urgency: float, people: float, breadth: float
) -> PriorityWeights:
    require_triager(acting_user)
    values = {"impact": impact, "urgency": urgency, "people": people, "breadth": breadth}
    negative = [name for name, value in values.items() if value < 0]
    if negative:
        raise ValidationError(dict.fromkeys(negative, "A weight cannot be negative."))
    if sum(values.values()) <= 0:
        raise ValidationError("At least one weight must be above zero.")
    weights = PriorityWeights.objects.order_by("pk").first() or PriorityWeights()
    for name, value in values.items():
        setattr(weights, name, value)
    weights.updated_by = acting_user
    weights.save()
    return weights
