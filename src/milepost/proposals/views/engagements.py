"""Consultancy engagements: the list, starting one, and its page worked as a performance
analysis (goal, should versus actual, causes, non-training options), its consultancy sessions
and the step from its findings to a draft proposal."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from milepost.accounts.access import PROPOSAL_DENIED, can_edit_proposals, can_view_clients, require
from milepost.accounts.http import AuthenticatedRequest
from milepost.clients.models import Contact
from milepost.lib.exports import requested_format, table_response
from milepost.lib.form_errors import add_service_errors
from milepost.proposals import selectors_issues as selectors
from milepost.proposals.forms_issues import (
    AnalysisForm,
    EngagementFilterForm,
    EngagementForm,
    SessionForm,
)
from milepost.proposals.models import BusinessIssue, Engagement
from milepost.proposals.selectors_issues import EngagementFilters
from milepost.proposals.services import engagements as services
from milepost.proposals.services.engagements import ANALYSIS_FIELDS
from milepost.proposals.signals import capability_figures
from milepost.proposals.views.issues import REGISTER_DENIED, require_reader

EXPORT_HEADER = (
    "ID",
    "Client",
    "Engagement",
    "Sponsor",
    "Consultant",
    "Status",
    "Issues",
    "Business goal",
    "Started",
)


def _filters(form: EngagementFilterForm) -> EngagementFilters:
    if not form.is_valid():
        return EngagementFilters()
    data = form.cleaned_data
    return EngagementFilters(q=data["q"].strip(), client=data["client"], status=data["status"])


@require_GET
def engagement_list(request: AuthenticatedRequest) -> HttpResponseBase:
    user = request.user
    require(can_view_clients(user), REGISTER_DENIED)
    form = EngagementFilterForm(request.GET, clients=selectors.visible_clients(user))
    engagements = selectors.engagement_list(user, _filters(form))
    if not form.is_valid():
        engagements = engagements.none()
    export_format = requested_format(request)
    if export_format:
        return table_response(export_format, "engagements", EXPORT_HEADER, _rows(engagements))
    page = Paginator(engagements, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "proposals/engagement_list.html",
        {
            "form": form,
            "page_obj": page,
            "filtered": any(request.GET.get(name) for name in form.fields),
            "can_create": bool(selectors.editable_clients(user)),
        },
    )


def _rows(engagements: QuerySet[Engagement]) -> Iterator[list[Any]]:
    for engagement in engagements:
        consultant = engagement.consultant
        yield [
            engagement.pk,
            engagement.client.name,
            engagement.title,
            engagement.sponsor.name if engagement.sponsor else "",
            (consultant.get_full_name() or consultant.username) if consultant else "",
            engagement.get_status_display(),
            engagement.issue_count,  # type: ignore[attr-defined]
            engagement.business_goal,
            engagement.created_at.date().isoformat(),
        ]


@require_http_methods(["GET", "POST"])
def engagement_create(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    require_reader(request)
    clients = selectors.editable_clients(user)
    require(bool(clients), PROPOSAL_DENIED)
    wanted = request.GET.get("client", "") or request.POST.get("client", "")
    chosen = next((c for c in clients if str(c.pk) == wanted), None)
    scope = [chosen] if chosen else clients
    form = EngagementForm(
        request.POST or None,
        clients=clients,
        contacts=Contact.objects.filter(client__in=scope, is_active=True).order_by(
            "client__name", "name"
        ),
        issues=BusinessIssue.objects.filter(client__in=scope).order_by("client__name", "pk"),
        initial={"client": chosen.pk if chosen else None, "issues": request.GET.getlist("issue")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            engagement = services.start_engagement(
                acting_user=user,
                client=data["client"],
                title=data["title"],
                sponsor=data["sponsor"],
                issues=list(data["issues"]),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The engagement is started; work through the analysis.")
            return redirect("proposals:engagement-detail", engagement_id=engagement.pk)
    return render(request, "proposals/engagement_form.html", {"form": form})


def _capability_rows(request: AuthenticatedRequest, engagement: Engagement) -> list[Any]:
    """Each capability competency with the gap engine's figures for an internal client's unit."""
    competencies = list(engagement.capability.all())
    unit = engagement.client.unit
    figures = (
        capability_figures(request.user, unit, [c.pk for c in competencies])
        if unit is not None and competencies
        else {}
    )
    return [(competency, figures.get(competency.pk)) for competency in competencies]


@require_GET
def engagement_detail(request: AuthenticatedRequest, engagement_id: int) -> HttpResponse:
    require_reader(request)
    user = request.user
    engagement = selectors.get_engagement(user, engagement_id)
    can_edit = can_edit_proposals(user, owner_id=engagement.client.owner_id)
    sessions = selectors.consultancy_sessions(engagement.client)
    linked = list(engagement.interactions.order_by("-occurred_at"))
    unlinked = sessions.exclude(pk__in=[item.pk for item in linked])
    return render(
        request,
        "proposals/engagement_detail.html",
        {
            "engagement": engagement,
            "issues": list(engagement.issues.all()),
            "capability": _capability_rows(request, engagement),
            "internal": engagement.client.unit_id is not None,
            "sessions": linked,
            "session_form": SessionForm(sessions=unlinked) if can_edit else None,
            "has_unlinked": can_edit and unlinked.exists(),
            "proposals": selectors.engagement_proposals(user, engagement),
            "can_edit": can_edit,
        },
    )


def engagement_to_edit(request: AuthenticatedRequest, engagement_id: int) -> Engagement:
    """The engagement, if the user may see it (404 otherwise) and change it (403 otherwise)."""
    require_reader(request)
    engagement = selectors.get_engagement(request.user, engagement_id)
    require(can_edit_proposals(request.user, owner_id=engagement.client.owner_id), PROPOSAL_DENIED)
    return engagement


@require_http_methods(["GET", "POST"])
def engagement_analysis(request: AuthenticatedRequest, engagement_id: int) -> HttpResponse:
    engagement = engagement_to_edit(request, engagement_id)
    initial = {name: getattr(engagement, name) for name in ANALYSIS_FIELDS}
    initial["capability"] = list(engagement.capability.all())
    form = AnalysisForm(request.POST or None, current=engagement.capability.all(), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_analysis(
                acting_user=request.user,
                engagement=engagement,
                capability=form.chosen_capability(),
                **form.analysis(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The analysis is saved.")
            return redirect("proposals:engagement-detail", engagement_id=engagement.pk)
    return render(
        request,
        "proposals/engagement_analysis_form.html",
        {"form": form, "engagement": engagement},
    )


@require_POST
def engagement_link_session(request: AuthenticatedRequest, engagement_id: int) -> HttpResponse:
    engagement = engagement_to_edit(request, engagement_id)
    form = SessionForm(request.POST, sessions=selectors.consultancy_sessions(engagement.client))
    if not form.is_valid():
        messages.error(request, "Choose one of this client's consultancy sessions.")
        return redirect("proposals:engagement-detail", engagement_id=engagement.pk)
    try:
        services.link_session(
            acting_user=request.user,
            engagement=engagement,
            interaction=form.cleaned_data["interaction"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, "The session is linked to the engagement.")
    return redirect("proposals:engagement-detail", engagement_id=engagement.pk)


def proposal_url(pk: int) -> str:
    # The proposal page is another part of the app; until its route exists, its path.
    try:
        return reverse("proposals:proposal-detail", args=[pk])
    except NoReverseMatch:
        return f"/proposals/{pk}/"


@require_POST
def engagement_propose(request: AuthenticatedRequest, engagement_id: int) -> HttpResponse:
    engagement = engagement_to_edit(request, engagement_id)
    try:
        proposal = services.propose_from_findings(acting_user=request.user, engagement=engagement)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("proposals:engagement-detail", engagement_id=engagement.pk)
    messages.success(request, "A draft proposal is made from the findings; fill in the solution.")
    return redirect(proposal_url(proposal.pk))
