"""Gap analysis pages: overview, unit (heatmap, key-person risk), team, person, bench strength.
Thin views: parse the request, call a selector, render or export."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from milepost.accounts.access import can_triage_needs, own_employee_id
from milepost.accounts.http import AuthenticatedRequest
from milepost.insights import selectors, services
from milepost.insights.forms import BudgetForm
from milepost.insights.recommendations import (
    TrainingRecommendation,
    recommend_for_person,
    recommend_for_team,
    recommend_for_unit,
)
from milepost.lib.exports import requested_format, table_response

COLUMN_STEP = selectors.HEATMAP_COLUMNS
Unassessed = selectors.Unassessed


def _unassessed(request: HttpRequest, default: Unassessed) -> Unassessed:
    """`unassessed=leave-out|count`: what the figures do with requirements nobody assessed
    (from the query string, or from the form of a POST)."""
    source = request.POST if request.method == "POST" else request.GET
    return Unassessed.parse(source.get("unassessed"), default)


def _heatmap_options(request: HttpRequest) -> dict[str, Any]:
    """`columns` (how many competencies to show, in steps of 20) and `competency` (name filter)."""
    raw = request.GET.get("columns", "")
    columns = int(raw) if raw.isdigit() and int(raw) > 0 else COLUMN_STEP
    columns = min(columns, selectors.HEATMAP_MAX_COLUMNS)
    return {"columns": columns, "competency_query": request.GET.get("competency", "")[:100]}


def _heatmap_context(table: selectors.HeatmapTable, options: dict[str, Any]) -> dict[str, Any]:
    shown = len(table.columns)
    more = min(options["columns"] + COLUMN_STEP, selectors.HEATMAP_MAX_COLUMNS)
    return {
        "heatmap": table,
        "competency_query": options["competency_query"],
        "more_columns": more if table.matching_columns > shown and more > shown else None,
        "bands": BANDS,
    }


# The heatmap legend: what each colour band means (cells also print their numbers).
BANDS = [
    (0, "Nobody below the required level"),
    (1, "Up to a quarter below"),
    (2, "A quarter to half below"),
    (3, "Half to three quarters below"),
    (4, "More than three quarters below"),
]


@require_GET
def overview(request: AuthenticatedRequest) -> HttpResponseBase:
    own = selectors.own_gaps_instead(request.user)
    if own is not None:
        return redirect("insights:person-gaps", employee_id=own)
    unassessed = _unassessed(request, Unassessed.LEAVE_OUT)
    result = selectors.gap_overview(request.user, unassessed=unassessed)
    export_format = requested_format(request)
    if export_format:
        return table_response(
            export_format,
            "gap-overview",
            selectors.SUMMARY_EXPORT_HEADER,
            selectors.summary_export_rows(result.rows, unassessed),
        )
    return render(
        request,
        "insights/overview.html",
        {"overview": result, "own_employee_id": own_employee_id(request.user)},
    )


@require_GET
def unit_gaps_view(request: AuthenticatedRequest, unit_id: int) -> HttpResponseBase:
    user = request.user
    unit = selectors.gap_unit(user, unit_id)
    unassessed = _unassessed(request, Unassessed.LEAVE_OUT)
    export_format = requested_format(request)
    table = request.GET.get("table", "heatmap")
    if export_format and table == "risks":
        return table_response(
            export_format,
            f"key-person-risks-{unit.code}",
            selectors.RISK_EXPORT_HEADER,
            selectors.risk_export_rows(selectors.key_person_risks(user, unit)),
        )
    if export_format and table == "units":
        return table_response(
            export_format,
            f"gaps-{unit.code}",
            selectors.SUMMARY_EXPORT_HEADER,
            selectors.summary_export_rows(
                selectors.unit_gaps(user, unit, unassessed=unassessed).children, unassessed
            ),
        )
    if export_format:
        return table_response(
            export_format,
            f"heatmap-{unit.code}",
            selectors.HEATMAP_EXPORT_HEADER,
            selectors.heatmap_export_rows(
                selectors.unit_heatmap(user, unit, columns=None, unassessed=unassessed)
            ),
        )
    options = _heatmap_options(request)
    page = selectors.unit_page(user, unit, unassessed=unassessed, **options)
    return render(
        request,
        "insights/unit_gaps.html",
        {
            "unit": unit,
            "gaps": page.gaps,
            "page_obj": Paginator(page.risks, settings.PAGE_SIZE).get_page(request.GET.get("page")),
            **_heatmap_context(page.heatmap, options),
        },
    )


@require_GET
def team_gaps_view(request: AuthenticatedRequest, employee_id: int) -> HttpResponseBase:
    user = request.user
    manager = selectors.team_manager(user, employee_id)
    unassessed = _unassessed(request, Unassessed.LEAVE_OUT)
    export_format = requested_format(request)
    if export_format and request.GET.get("table") == "heatmap":
        team = selectors.team_gaps(user, manager, columns=None, unassessed=unassessed)
        return table_response(
            export_format,
            f"team-heatmap-{manager.employee_id}",
            selectors.HEATMAP_EXPORT_HEADER,
            selectors.heatmap_export_rows(team.heatmap),
        )
    if export_format:
        team = selectors.team_gaps(user, manager, columns=0, unassessed=unassessed)
        return table_response(
            export_format,
            f"team-gaps-{manager.employee_id}",
            selectors.TEAM_EXPORT_HEADER,
            selectors.team_export_rows(team.people, unassessed),
        )
    options = _heatmap_options(request)
    team = selectors.team_gaps(user, manager, unassessed=unassessed, **options)
    page = Paginator(team.people, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "insights/team_gaps.html",
        {"team": team, "page_obj": page, **_heatmap_context(team.heatmap, options)},
    )


@require_GET
def person_gaps_view(request: AuthenticatedRequest, employee_id: int) -> HttpResponseBase:
    employee = selectors.gap_employee(request.user, employee_id)
    unassessed = _unassessed(request, Unassessed.COUNT)
    result = selectors.person_gaps(request.user, employee, unassessed=unassessed)
    export_format = requested_format(request)
    if export_format:
        return table_response(
            export_format,
            f"gaps-{employee.employee_id}",
            selectors.PERSON_EXPORT_HEADER,
            selectors.person_export_rows(result.requirements),
        )
    return render(request, "insights/person_gaps.html", {"result": result})


RECOMMENDATION_EXPORT_HEADER = (
    "Kind",
    "Code",
    "Title",
    "Cost",
    "Competency",
    "From level",
    "To level",
    "Required level",
    "Weighted gap closed",
    "People",
    "People the item is bought for",
    "Requirements assessed",
    "Unassessed requirements",
)


def _budget(request: HttpRequest) -> tuple[BudgetForm, Decimal | None]:
    form = BudgetForm(request.POST if request.method == "POST" else request.GET)
    return form, form.cleaned_data["budget"] if form.is_valid() else None


def _recommendations(
    request: HttpRequest,
    result: TrainingRecommendation,
    form: BudgetForm,
    *,
    template: str,
    filename: str,
    can_plan: bool = False,
    context: dict[str, Any] | None = None,
) -> HttpResponseBase:
    """The page of a recommendation (person, team, unit or a proposal's people), or its
    export; `context` adds to what the template gets."""
    export_format = requested_format(request)
    if export_format:
        rows = (
            [
                chosen.offer.kind,
                chosen.offer.code,
                chosen.offer.title,
                chosen.cost,
                closed.competency_name,
                closed.from_level,
                closed.to_level,
                closed.required_level,
                round(closed.weighted_value, 2),
                closed.people,
                chosen.people,
                f"{result.assessed} of {result.required_in_all}",
                result.unassessed.label,
            ]
            for chosen in result.offers
            for closed in chosen.closes
        )
        return table_response(export_format, filename, RECOMMENDATION_EXPORT_HEADER, rows)
    return render(
        request,
        template,
        {
            "result": result,
            "form": form,
            "currency": settings.CATALOGUE_CURRENCY,
            "can_plan": can_plan,
            **(context or {}),
        },
    )


@require_GET
def person_recommendations(request: AuthenticatedRequest, employee_id: int) -> HttpResponseBase:
    employee = selectors.gap_employee(request.user, employee_id)
    form, budget = _budget(request)
    unassessed = _unassessed(request, Unassessed.COUNT)
    return _recommendations(
        request,
        recommend_for_person(request.user, employee, budget=budget, unassessed=unassessed),
        form,
        template="insights/person_recommendations.html",
        filename=f"recommendations-{employee.employee_id}",
        can_plan=services.can_plan_development(request.user, employee),
    )


@require_GET
def team_recommendations(request: AuthenticatedRequest, employee_id: int) -> HttpResponseBase:
    manager = selectors.team_manager(request.user, employee_id)
    form, budget = _budget(request)
    return _recommendations(
        request,
        recommend_for_team(
            request.user,
            manager,
            budget=budget,
            unassessed=_unassessed(request, Unassessed.LEAVE_OUT),
        ),
        form,
        template="insights/team_recommendations.html",
        filename=f"team-recommendations-{manager.employee_id}",
        can_plan=can_triage_needs(request.user),
    )


@require_GET
def unit_recommendations(request: AuthenticatedRequest, unit_id: int) -> HttpResponseBase:
    unit = selectors.gap_unit(request.user, unit_id)
    form, budget = _budget(request)
    return _recommendations(
        request,
        recommend_for_unit(
            request.user,
            unit,
            budget=budget,
            unassessed=_unassessed(request, Unassessed.LEAVE_OUT),
        ),
        form,
        template="insights/unit_recommendations.html",
        filename=f"recommendations-{unit.code}",
        can_plan=can_triage_needs(request.user),
    )


def _same_recommendation(request: HttpRequest, url: str) -> str:
    """Back to the recommendation page with the budget and the choice the form carried."""
    query = QueryDict(mutable=True)
    for name in ("budget", "unassessed"):
        if request.POST.get(name):
            query[name] = request.POST[name]
    return f"{url}?{query.urlencode()}" if query else url


def _planned(request: HttpRequest, count: int, what: str, where: str) -> None:
    if count:
        messages.success(request, f"{count} {what}{'s' if count != 1 else ''} added to {where}.")
    else:
        messages.info(request, f"Nothing new to add to {where}: it already holds these items.")


@require_POST
def person_recommendations_plan(
    request: AuthenticatedRequest, employee_id: int
) -> HttpResponseBase:
    """Put the recommended items on the person's development plan."""
    employee = selectors.gap_employee(request.user, employee_id)
    _form, budget = _budget(request)
    try:
        added = services.plan_recommended_development(
            acting_user=request.user,
            employee=employee,
            budget=budget,
            unassessed=_unassessed(request, Unassessed.COUNT),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        url = reverse("insights:person-recommendations", args=[employee.pk])
        return redirect(_same_recommendation(request, url))
    _planned(request, len(added), "plan item", f"{employee.full_name}'s development plan")
    return redirect(f"{reverse('people:employee-detail', args=[employee.pk])}#plans")


@require_POST
def team_recommendations_plan(request: AuthenticatedRequest, employee_id: int) -> HttpResponseBase:
    """Put the items recommended for the team on the training plan."""
    manager = selectors.team_manager(request.user, employee_id)
    _form, budget = _budget(request)
    added = services.plan_team_training(
        acting_user=request.user,
        manager=manager,
        budget=budget,
        unassessed=_unassessed(request, Unassessed.LEAVE_OUT),
    )
    _planned(request, len(added), "entry", "the training plan")
    return redirect("needs:plan")


@require_POST
def unit_recommendations_plan(request: AuthenticatedRequest, unit_id: int) -> HttpResponseBase:
    """Put the items recommended for the unit on the training plan."""
    unit = selectors.gap_unit(request.user, unit_id)
    _form, budget = _budget(request)
    added = services.plan_unit_training(
        acting_user=request.user,
        unit=unit,
        budget=budget,
        unassessed=_unassessed(request, Unassessed.LEAVE_OUT),
    )
    _planned(request, len(added), "entry", "the training plan")
    return redirect("needs:plan")


@require_GET
def profile_list(request: AuthenticatedRequest) -> HttpResponseBase:
    user = request.user
    profiles = selectors.bench_profiles(user)
    export_format = requested_format(request)
    if export_format:
        rows = selectors.bench_rows(user, list(profiles))
        return table_response(
            export_format,
            "bench-strength",
            selectors.BENCH_LIST_EXPORT_HEADER,
            selectors.bench_list_export_rows(rows),
        )
    page = Paginator(profiles, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "insights/profile_list.html",
        {"page_obj": page, "rows": selectors.bench_rows(user, list(page.object_list))},
    )


@require_GET
def profile_bench_view(request: AuthenticatedRequest, profile_id: int) -> HttpResponseBase:
    bench = selectors.profile_bench(request.user, profile_id)
    export_format = requested_format(request)
    if export_format:
        return table_response(
            export_format,
            f"bench-{bench.profile.code}",
            selectors.BENCH_EXPORT_HEADER,
            selectors.bench_export_rows(bench),
        )
    named = bench.named  # aggregate-only access: the counts, no names
    ready = Paginator(bench.ready if named else [], settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    near = Paginator(bench.nearly_ready if named else [], settings.PAGE_SIZE).get_page(
        request.GET.get("near")
    )
    return render(
        request,
        "insights/profile_bench.html",
        {
            "bench": bench,
            "ready_page": ready,
            "ready_people": selectors.bench_people([(pk, 0) for pk in ready.object_list]),
            "near_page": near,
            "near_people": selectors.bench_people(list(near.object_list)),
        },
    )
