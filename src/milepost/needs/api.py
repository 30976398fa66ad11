"""REST endpoints for needs and demand themes (mounted at /api/v1/).

Endpoints parse input and call the same selectors and services as the web pages: a need
outside the caller's scope is not found (404), an action their role may not take is 403.
"""

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from milepost.accounts.access import can_submit_needs, require
from milepost.accounts.http import api_caller
from milepost.accounts.models import OrgUnit, User
from milepost.lib.api_fields import api_field_names
from milepost.needs import selectors, services
from milepost.needs.models import (
    DemandTheme,
    Impact,
    Need,
    NeedCompetency,
    Source,
    StatusChange,
    Urgency,
)
from milepost.needs.models import (
    Status as NeedStatus,
)

router = Router(tags=["needs"])


# --- schemas -------------------------------------------------------------------------------


class UnitRef(Schema):
    id: int
    code: str
    name: str


class ThemeRef(Schema):
    id: int
    title: str


class CompetencyRef(Schema):
    id: int
    code: str
    name: str
    framework_id: int


class MappingOut(Schema):
    competency: CompetencyRef
    origin: str = Field(description="suggested (by the matching engine) or added (by L&D)")
    rank: int
    score: float | None = Field(
        description="How well the competency fits the need, 0 to 1 (shown as a %); empty when added"
    )
    matched_terms: list[str] = Field(description="Words of the need that matched")
    confirmed_by_requester: bool
    accepted: bool = Field(description="Accepted by the L&D coordinator")

    @staticmethod
    def resolve_matched_terms(obj: NeedCompetency) -> list[str]:
        return obj.matched_term_list


class StatusChangeOut(Schema):
    from_status: str = Field(description="Empty for the submission itself")
    to_status: str
    changed_by: str | None
    note: str
    changed_at: datetime.datetime

    @staticmethod
    def resolve_changed_by(obj: StatusChange) -> str | None:
        return obj.changed_by.username if obj.changed_by else None


class NeedOut(Schema):
    id: int
    title: str
    description: str
    business_issue: str
    unit: UnitRef | None
    requested_by: str
    source: str
    people_affected: int
    urgency: int = Field(description="1 low, 2 medium, 3 high, 4 critical")
    impact: int = Field(description="1 minor, 2 moderate, 3 significant, 4 major, 5 severe")
    wanted_by: datetime.date | None
    status: str
    theme: ThemeRef | None
    created_at: datetime.datetime
    updated_at: datetime.datetime


class NeedDetailOut(NeedOut):
    decline_reason: str
    competencies: list[MappingOut] = Field(
        description="Suggested and added competencies, best first"
    )
    status_history: list[StatusChangeOut]

    @staticmethod
    def resolve_competencies(obj: Need) -> list[NeedCompetency]:
        return list(obj.mappings.all())

    @staticmethod
    def resolve_status_history(obj: Need) -> list[StatusChange]:
        return list(obj.status_changes.select_related("changed_by"))


class NeedIn(Schema):
    title: str
    description: str = Field(description="The need in your own words, in English")
    business_issue: str = ""
    unit_id: int | None = Field(
        None, description="The unit with the need (required for internal roles)"
    )
    people_affected: int = 1
    urgency: int = Field(Urgency.MEDIUM, description="1 low, 2 medium, 3 high, 4 critical")
    impact: int = Field(
        Impact.MODERATE, description="1 minor, 2 moderate, 3 significant, 4 major, 5 severe"
    )
    wanted_by: datetime.date | None = None


class NeedFilters(Schema):
    q: str = Field("", description="Words matched against title, description, business issue")
    status: str = Field("", description="A status, or 'open' for every status not yet closed")
    unit: int | None = Field(None, description="Unit id; includes the units below it")
    competency: int | None = Field(None, description="Competency id in the need's mapping")
    source: str = ""
    theme: int | None = None
    client: int | None = Field(None, description="Client id: the needs of that client")


class ConfirmIn(Schema):
    competency_ids: list[int] = Field(
        description="The suggested competencies that describe the need; the others are unticked"
    )


class MappingIn(Schema):
    accepted_ids: list[int] = Field(description="Competencies that make up the need's mapping")
    add_ids: list[int] = Field([], description="Competencies to add beyond the suggestions")


class StatusIn(Schema):
    status: str
    note: str = Field("", description="Shown to the requester; required when declining")


class WithdrawIn(Schema):
    note: str = Field("", description="Why, for the L&D team (optional)")


class ThemeOut(Schema):
    id: int
    title: str
    description: str
    need_count: int = Field(description="Needs in the theme that you can see")
    created_at: datetime.datetime


class ThemeDetailOut(ThemeOut):
    needs: list[NeedOut] = Field(alias="visible_needs")


# --- needs ---------------------------------------------------------------------------------


def _filter_unit(unit_id: int | None) -> OrgUnit | None:
    # Needs are already narrowed to the caller's scope, so any unit may narrow them further.
    if unit_id is None:
        return None
    unit = OrgUnit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise ValidationError({"unit": f"no unit with id {unit_id}."})
    return unit


@router.get("/needs", response=list[NeedOut], summary="List or search needs")
@paginate(PageNumberPagination, page_size=settings.PAGE_SIZE)
def list_needs(request: HttpRequest, filters: Query[NeedFilters]) -> QuerySet[Need]:
    if filters.status and filters.status != "open" and filters.status not in NeedStatus.values:
        raise ValidationError(
            {
                "status": f"'{filters.status}' is not a status; use open or one of "
                f"{', '.join(NeedStatus.values)}."
            }
        )
    if filters.source and filters.source not in Source.values:
        raise ValidationError(
            {
                "source": f"'{filters.source}' is not a source; use one of "
                f"{', '.join(Source.values)}."
            }
        )
    return selectors.need_search(
        api_caller(request),
        query=filters.q,
        status=filters.status,
        unit=_filter_unit(filters.unit),
        competency_id=filters.competency,
        source=filters.source,
        theme_id=filters.theme,
        client_id=filters.client,
    )


def _submission_unit(user: User, unit_id: int | None) -> OrgUnit | None:
    if unit_id is None:
        return None
    unit = selectors.submittable_units(user).filter(pk=unit_id).first()
    if unit is not None:
        return unit
    if OrgUnit.objects.filter(pk=unit_id).exists():
        # Not named: the caller may not be allowed to see the unit.
        raise ValidationError(
            {
                "unit_id": f"you cannot raise needs for unit {unit_id}; choose your own unit "
                "or one below it."
            }
        )
    raise ValidationError({"unit_id": f"no unit with id {unit_id}."})


@router.post(
    "/needs",
    response={201: NeedDetailOut},
    summary="Raise a need; the answer carries the suggested competencies",
)
@api_field_names(unit="unit_id")
def submit_need_api(request: HttpRequest, payload: NeedIn) -> Status[Need]:
    user = api_caller(request)
    require(can_submit_needs(user), services.SUBMIT_DENIED)
    unit = _submission_unit(user, payload.unit_id)
    need = services.submit_need(
        acting_user=user,
        title=payload.title,
        description=payload.description,
        business_issue=payload.business_issue,
        unit=unit,
        people_affected=payload.people_affected,
        urgency=payload.urgency,
        impact=payload.impact,
        wanted_by=payload.wanted_by,
        source=Source.API,
    )
    return Status(201, selectors.get_need(user, need.pk))


@router.get(
    "/needs/{need_id}",
    response=NeedDetailOut,
    summary="One need with its competency mapping, status history and theme",
)
def get_need_api(request: HttpRequest, need_id: int) -> Need:
    return selectors.get_need(api_caller(request), need_id)


@router.post(
    "/needs/{need_id}/confirm",
    response=NeedDetailOut,
    summary="The requester confirms which suggested competencies describe the need",
)
def confirm_competencies_api(request: HttpRequest, need_id: int, payload: ConfirmIn) -> Need:
    user = api_caller(request)
    need = selectors.get_need(user, need_id)
    services.confirm_competencies(
        acting_user=user, need=need, competency_ids=payload.competency_ids
    )
    return selectors.get_need(user, need_id)


@router.put(
    "/needs/{need_id}/mapping",
    response=NeedDetailOut,
    summary="Set the coordinator's competency mapping (accept suggestions, add others)",
)
def set_mapping_api(request: HttpRequest, need_id: int, payload: MappingIn) -> Need:
    user = api_caller(request)
    need = selectors.get_need(user, need_id)
    services.set_mapping(
        acting_user=user, need=need, accepted_ids=payload.accepted_ids, add_ids=payload.add_ids
    )
    return selectors.get_need(user, need_id)


@router.post(
    "/needs/{need_id}/status",
    response=NeedDetailOut,
    summary="Move a need on (triaged, planned, declined, ...); the requester is told",
)
def change_status_api(request: HttpRequest, need_id: int, payload: StatusIn) -> Need:
    user = api_caller(request)
    need = selectors.get_need(user, need_id)
    services.change_status(acting_user=user, need=need, status=payload.status, note=payload.note)
    return selectors.get_need(user, need_id)


@router.post(
    "/needs/{need_id}/withdraw",
    response=NeedDetailOut,
    summary="The requester withdraws their own need (before it is planned)",
)
def withdraw_need_api(request: HttpRequest, need_id: int, payload: WithdrawIn) -> Need:
    user = api_caller(request)
    need = selectors.get_need(user, need_id)
    services.withdraw_need(acting_user=user, need=need, note=payload.note)
    return selectors.get_need(user, need_id)


# --- themes --------------------------------------------------------------------------------


def _themes(user: User) -> QuerySet[DemandTheme]:
    # The join from visible_themes narrows the count to the needs the caller can see.
    return (
        selectors.visible_themes(user)
        .annotate(need_count=Count("needs", distinct=True))
        .order_by("title", "pk")
    )


@router.get("/themes", response=list[ThemeOut], summary="Demand themes holding needs you can see")
@paginate(PageNumberPagination, page_size=settings.PAGE_SIZE)
def list_themes(request: HttpRequest) -> QuerySet[DemandTheme]:
    return _themes(api_caller(request))


@router.get(
    "/themes/{theme_id}", response=ThemeDetailOut, summary="One theme with the needs you can see"
)
def get_theme(request: HttpRequest, theme_id: int) -> Any:
    user = api_caller(request)
    theme = get_object_or_404(_themes(user), pk=theme_id)
    theme.visible_needs = list(  # type: ignore[attr-defined]
        selectors.need_search(user, theme_id=theme.pk)
    )
    return theme
