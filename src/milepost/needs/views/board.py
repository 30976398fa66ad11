"""Pages that read demand as a whole: the demand board, its weights, the pull dashboard and
the training plan."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from milepost.accounts.access import (
    can_submit_needs,
    can_triage_needs,
    can_view_demand,
    can_view_demand_board,
    gap_scope_unit,
    require,
)
from milepost.accounts.http import AuthenticatedRequest
from milepost.accounts.selectors import visible_units
from milepost.lib.exports import requested_format, table_response
from milepost.lib.form_errors import add_service_errors
from milepost.needs import demand, services
from milepost.needs.demand import BoardRow
from milepost.needs.forms import (
    BoardFilterForm,
    PushTrainingForm,
    WeightsForm,
)
from milepost.needs.models import PlannedTraining, PriorityWeights
from milepost.needs.selectors import clients_with_needs, competencies_with_open_needs
from milepost.needs.signals import GapSuggestion, gap_suggestions_for

BOARD_DENIED = (
    "The demand board is for L&D, account managers, quality leads, executives and line managers."
)
DASHBOARD_DENIED = (
    "The pull dashboard and the training plan are for L&D, account managers, quality leads "
    "and executives."
)

BOARD_EXPORT_HEADER = (
    "Rank",
    "Score",
    "Type",
    "Theme or need",
    "Needs",
    "Requesters",
    "Units",
    "People affected",
    "Impact",
    "Urgency",
    "Wanted by",
    "Status",
    "Competencies",
    "Impact factor",
    "Urgency factor",
    "People factor",
    "Breadth factor",
    "Offers",
    "Best offer fit (%)",
    "Best offer seat cost ({currency})",
)

PLAN_EXPORT_HEADER = (
    "Title",
    "Pull or push",
    "Need",
    "Theme",
    "Unit",
    "Starts on",
    "Planned by",
    "Planned on",
    "Note",
)


def _nav_context(user: Any) -> dict[str, Any]:
    """What the demand pages' shared navigation and formula need."""
    weights = demand.current_weights()
    return {
        "weights": weights,
        "weight_total": round(
            weights.impact + weights.urgency + weights.people + weights.breadth, 3
        ),
        "can_edit_weights": can_triage_needs(user),
        "can_view_demand": can_view_demand(user),
    }


# --- the demand board --------------------------------------------------------------------------


def _gap_suggestions(user: Any) -> list[GapSuggestion]:
    """Skill gaps in the viewer's scope as needs one could raise: gaps and requests meet on one
    board. Each says when an open need already maps it and, for a role that may raise needs
    (the need form's own rule), links to the need form filled in."""
    suggestions = gap_suggestions_for(user)
    scope = gap_scope_unit(user)
    mapped = competencies_with_open_needs(user, [s.competency_pk for s in suggestions], scope)
    create_url = reverse("needs:need-create")
    for suggestion in suggestions:
        suggestion.has_open_need = suggestion.competency_pk in mapped
        if not can_submit_needs(user):
            continue
        where = f" in {suggestion.unit_name}" if suggestion.unit_name else ""
        prefill: dict[str, str | int] = {
            "title": f"Skill gap: {suggestion.competency_name}"[:200],
            "description": (
                f"The gap analysis shows {suggestion.below} of {suggestion.required} people"
                f"{where} whose job profile requires “{suggestion.competency_name}” below the "
                "required level (agreed assessments; unassessed counts as level 0)."
            ),
            "people_affected": suggestion.below,
        }
        if suggestion.unit_pk is not None:
            prefill["unit"] = suggestion.unit_pk
        suggestion.need_url = f"{create_url}?{urlencode(prefill)}"
    return suggestions


@require_GET
def board(request: AuthenticatedRequest) -> HttpResponseBase:
    user = request.user
    require(can_view_demand_board(user), BOARD_DENIED)
    form = BoardFilterForm(
        request.GET,
        units=visible_units(user).order_by("path"),
        competencies=demand.board_competencies(user),
        clients=clients_with_needs(user),
    )
    context = _nav_context(user)
    weights = context["weights"]
    export_format = requested_format(request)
    if form.is_valid():
        # The page answers only the rows it shows from the catalogue; an export all of them.
        result = demand.demand_board(
            user, weights=weights, answer_every_row=bool(export_format), **form.filters()
        )
    else:
        result = demand.empty_board()
    if export_format:
        currency = settings.CATALOGUE_CURRENCY
        header = [column.format(currency=currency) for column in BOARD_EXPORT_HEADER]
        return table_response(
            export_format, "demand-board", header, _board_export_rows(result.rows)
        )
    page = Paginator(result.rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    if form.is_valid() and not form.cleaned_data["gaps"]:  # gaps_only answered every row
        demand.answer_rows(user, page.object_list)
    filtered = any(request.GET.get(name) not in (None, "", "open") for name in form.fields)
    return render(
        request,
        "needs/board.html",
        {
            **context,
            "form": form,
            "page_obj": page,
            "filtered": filtered,
            "by_unit": result.by_unit,
            "by_competency": result.by_competency,
            "whole_organisation": user.sees_whole_organisation,
            "gap_suggestions": _gap_suggestions(user),
            "currency": settings.CATALOGUE_CURRENCY,
            "can_raise_needs": can_submit_needs(user),
        },
    )


def _board_export_rows(rows: Iterable[BoardRow]) -> Iterator[list[Any]]:
    for row in rows:
        factors = row.factors
        best = row.catalogue.best
        yield [
            row.rank,
            row.score,
            "Theme" if row.theme is not None else "Need",
            row.title,
            row.need_count,
            row.requester_count,
            "; ".join(row.unit_names),
            row.people_affected,
            row.impact_label,
            row.urgency_label,
            row.wanted_by.isoformat() if row.wanted_by else "",
            "; ".join(row.status_labels),
            "; ".join(row.competency_names),
            round(factors.impact, 3),
            round(factors.urgency, 3),
            round(factors.people, 3),
            round(factors.breadth, 3),
            row.catalogue.summary,
            best.fit_percent if best else "",
            best.seat_cost if best else "",
        ]


@require_http_methods(["GET", "POST"])
def weights(request: AuthenticatedRequest) -> HttpResponse:
    services.require_triager(request.user)
    stored = PriorityWeights.current()
    form = WeightsForm(
        request.POST or None,
        initial={
            "impact": stored.impact,
            "urgency": stored.urgency,
            "people": stored.people,
            "breadth": stored.breadth,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_priority_weights(acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Priority weights saved: the board is ranked with them now.")
            return redirect("needs:board")
    return render(
        request,
        "needs/weights.html",
        {**_nav_context(request.user), "form": form, "stored": stored},
    )


# --- the pull dashboard ------------------------------------------------------------------------


@require_GET
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    require(can_view_demand(request.user), DASHBOARD_DENIED)
    return render(
        request,
        "needs/dashboard.html",
        {**_nav_context(request.user), "dashboard": demand.pull_dashboard(request.user)},
    )


# --- the training plan -------------------------------------------------------------------------

PLAN_KINDS = {"pull": "Pull only", "push": "Push only"}


@require_http_methods(["GET", "POST"])
def plan(request: AuthenticatedRequest) -> HttpResponseBase:
    user = request.user
    require(can_view_demand(user), DASHBOARD_DENIED)
    triager = can_triage_needs(user)
    form = None
    if request.method == "POST":
        services.require_triager(user)
    if triager:
        form = PushTrainingForm(request.POST or None, units=visible_units(user).order_by("path"))
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            entry = services.add_push_training(acting_user=user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"“{entry.title}” is on the training plan (push).")
            return redirect("needs:plan")
    entries = demand.visible_plan(user)
    kind = request.GET.get("kind", "")
    if kind == "pull":
        entries = entries.exclude(need__isnull=True, theme__isnull=True)
    elif kind == "push":
        entries = entries.filter(need__isnull=True, theme__isnull=True)
    export_format = requested_format(request)
    if export_format:
        return table_response(
            export_format, "training-plan", PLAN_EXPORT_HEADER, _plan_export_rows(entries)
        )
    page = Paginator(entries, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "needs/plan.html",
        {
            **_nav_context(user),
            "page_obj": page,
            "form": form,
            "kind": kind if kind in PLAN_KINDS else "",
            "kinds": PLAN_KINDS,
            "pull_ratio": demand.pull_ratio(user),
        },
    )


def _plan_export_rows(entries: QuerySet[PlannedTraining]) -> Iterator[list[Any]]:
    for entry in entries:
        yield [
            entry.title,
            "Pull" if entry.is_pull else "Push",
            entry.need.title if entry.need else "",
            entry.theme.title if entry.theme else "",
            entry.unit.name if entry.unit else "",
            entry.starts_on.isoformat() if entry.starts_on else "",
            str(entry.planned_by or ""),
            entry.created_at.date().isoformat(),
            entry.note,
        ]
