"""Needs: the list, raising one (with live competency suggestions), a need, its triage."""

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
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from milepost.accounts.access import can_submit_needs, can_triage_needs, require
from milepost.accounts.http import AuthenticatedRequest
from milepost.accounts.models import OrgUnit, Role
from milepost.accounts.selectors import visible_units
from milepost.lib.exports import requested_format, table_response
from milepost.lib.form_errors import add_service_errors
from milepost.lib.sections import rendered_sections
from milepost.lib.wording import counted
from milepost.needs import matching, offers, selectors, services
from milepost.needs.forms import (
    AddCompetencyForm,
    NeedFilterForm,
    NeedForm,
    StatusForm,
    ThemeChoiceForm,
    WithdrawForm,
)
from milepost.needs.models import DESCRIPTION_MIN, Need
from milepost.needs.signals import need_page_sections

EXPORT_HEADER = (
    "ID",
    "Title",
    "Description",
    "Business issue",
    "Unit",
    "Requested by",
    "Source",
    "People affected",
    "Urgency",
    "Impact",
    "Wanted by",
    "Status",
    "Theme",
    "Competencies",
    "Raised on",
    "Client",
)


@require_GET
def need_list(request: AuthenticatedRequest) -> HttpResponseBase:
    form = NeedFilterForm(
        request.GET,
        units=visible_units(request.user).order_by("path"),
        clients=selectors.clients_with_needs(request.user),
    )
    if form.is_valid():
        needs = selectors.need_search(
            request.user,
            query=form.cleaned_data["q"],
            status=form.cleaned_data["status"],
            unit=form.cleaned_data.get("unit"),
            source=form.cleaned_data["source"],
            client_id=form.cleaned_data["client"].pk if form.cleaned_data["client"] else None,
        )
    else:
        needs = selectors.need_search(request.user).none()
    export_format = requested_format(request)
    if export_format:
        return table_response(
            export_format, "needs", EXPORT_HEADER, _export_rows(selectors.with_mappings(needs))
        )
    page = Paginator(needs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "needs/need_list.html",
        {
            "form": form,
            "page_obj": page,
            "filtered": any(request.GET.get(name) for name in form.fields),
            "can_submit": can_submit_needs(request.user),
        },
    )


def _export_rows(needs: Any) -> Iterator[list[Any]]:
    for need in needs:
        counted = selectors.mapped_competency_ids(need)
        names = [row.competency.name for row in need.mappings.all() if row.competency_id in counted]
        yield [
            need.pk,
            need.title,
            need.description,
            need.business_issue,
            need.unit.name if need.unit else "",
            need.requested_by,
            need.get_source_display(),
            need.people_affected,
            need.get_urgency_display(),
            need.get_impact_display(),
            need.wanted_by.isoformat() if need.wanted_by else "",
            need.get_status_display(),
            need.theme.title if need.theme else "",
            "; ".join(names),
            need.created_at.date().isoformat(),
            need.client.name if need.client else "",
        ]


@require_http_methods(["GET", "POST"])
def need_create(request: AuthenticatedRequest) -> HttpResponse:
    require(can_submit_needs(request.user), services.SUBMIT_DENIED)
    units = selectors.submittable_units(request.user)
    form = NeedForm(request.POST or None, units=units)
    if request.method == "GET" and "unit" in form.fields:
        own = getattr(request.user, "employee", None)
        if own is not None and units.filter(pk=own.unit_id).exists():
            form.initial["unit"] = own.unit_id
    if request.method == "GET":
        _prefill(form, request, units)
    duplicates: list[tuple[Need, float]] = []
    if request.method == "POST" and form.is_valid() and not form.cleaned_data["send_anyway"]:
        text = Need(
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            business_issue=form.cleaned_data["business_issue"],
        ).text
        duplicates = selectors.possible_duplicates(request.user, text=text)
    if duplicates:
        # Held back: the same person sent a need like this; "Send it anyway" sends it.
        resend = request.POST.copy()
        resend["send_anyway"] = "1"
        form.data = resend
    elif request.method == "POST" and form.is_valid():
        try:
            fields = {"unit": None, **form.cleaned_data}  # employer contacts have no unit field
            fields.pop("send_anyway")
            need = services.submit_need(acting_user=request.user, **fields)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                "Thank you: your need is with the L&D team. Check that the competencies "
                "below describe it, and confirm them.",
            )
            return redirect("needs:need-detail", need_id=need.pk)
    return render(request, "needs/need_form.html", {"form": form, "duplicates": duplicates})


PREFILL_FIELDS = ("title", "description", "business_issue", "people_affected")


def _prefill(form: NeedForm, request: AuthenticatedRequest, units: QuerySet[OrgUnit]) -> None:
    """Fill the form in from the query string (e.g. "Raise as a need" on the demand board's
    skill gaps); a unit the user may not raise needs for is ignored."""
    for name in PREFILL_FIELDS:
        value = request.GET.get(name, "").strip()
        if value:
            form.initial[name] = value[:5000]
    unit = request.GET.get("unit", "")
    if unit.isdigit() and "unit" in form.fields and units.filter(pk=int(unit)).exists():
        form.initial["unit"] = int(unit)


@require_POST
def need_suggest(request: AuthenticatedRequest) -> HttpResponse:
    """Live suggestions while a need is typed (htmx); nothing is saved."""
    require(can_submit_needs(request.user), services.SUBMIT_DENIED)
    text = f"{request.POST.get('title', '')}. {request.POST.get('description', '')}".strip(". ")
    suggestions = []
    if len(text) >= DESCRIPTION_MIN:
        suggestions = matching.suggest_competencies(
            text[:5000], context=matching.requester_context(request.user)
        )
    return render(
        request,
        "needs/_live_suggestions.html",
        {"suggestions": suggestions, "too_short": len(text) < DESCRIPTION_MIN},
    )


def _detail_context(request: AuthenticatedRequest, need: Need) -> dict[str, Any]:
    user = request.user
    triager = can_triage_needs(user)
    mappings = list(need.mappings.all())
    context: dict[str, Any] = {
        "need": need,
        "mappings": mappings,
        "counted_ids": selectors.mapped_competency_ids(need),
        "history": need.status_changes.select_related("changed_by"),
        "similar": selectors.similar_needs(user, need),
        # An employer contact has no unit of their own: similar needs are not in "other" units.
        "outside_organisation": user.role == Role.EMPLOYER_CONTACT,
        "is_requester": need.requester_id == user.pk,
        "withdraw_form": WithdrawForm() if need.requester_id == user.pk else None,
        "can_triage": triager,
        "answer": offers.catalogue_answer(user, [need]),
        "currency": settings.CATALOGUE_CURRENCY,
    }
    if triager:
        next_statuses = need.next_statuses
        status_form = StatusForm(allowed=next_statuses)
        context.update(
            status_form=status_form if next_statuses else None,
            add_form=AddCompetencyForm(),
            theme_form=ThemeChoiceForm(initial={"theme": need.theme_id}),
            theme_fits=selectors.needs_fitting_themes(user, needs=[need]),
        )
    return context


@require_GET
def need_detail(request: AuthenticatedRequest, need_id: int) -> HttpResponse:
    need = selectors.get_need(request.user, need_id)
    context = _detail_context(request, need)
    context["sections"] = rendered_sections(need_page_sections, request, need=need)
    return render(request, "needs/need_detail.html", context)


def _posted_ids(request: AuthenticatedRequest, name: str) -> list[int]:
    return [int(value) for value in request.POST.getlist(name) if value.isdigit()]


def _after_post(request: AuthenticatedRequest, need: Need, action: Any) -> HttpResponse:
    try:
        action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("needs:need-detail", need_id=need.pk)


@require_POST
def need_confirm(request: AuthenticatedRequest, need_id: int) -> HttpResponse:
    need = selectors.get_need(request.user, need_id)
    chosen = _posted_ids(request, "competency")

    def confirm() -> None:
        services.confirm_competencies(acting_user=request.user, need=need, competency_ids=chosen)
        confirmed = counted(len(chosen), "competency", "competencies")
        messages.success(request, f"Thank you: {confirmed} confirmed.")

    return _after_post(request, need, confirm)


@require_POST
def need_mapping(request: AuthenticatedRequest, need_id: int) -> HttpResponse:
    need = selectors.get_need(request.user, need_id)
    services.require_triager(request.user)
    add_form = AddCompetencyForm(request.POST)
    if not add_form.is_valid():
        for error in add_form.errors.get("competency", []):
            messages.error(request, str(error))
        return redirect("needs:need-detail", need_id=need.pk)
    added = add_form.cleaned_data["competency"]

    def save() -> None:
        services.set_mapping(
            acting_user=request.user,
            need=need,
            accepted_ids=_posted_ids(request, "accepted"),
            add_ids=[added.pk] if added else [],
        )
        messages.success(request, "Mapping saved.")

    return _after_post(request, need, save)


@require_POST
def need_withdraw(request: AuthenticatedRequest, need_id: int) -> HttpResponse:
    need = selectors.get_need(request.user, need_id)
    form = WithdrawForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""

    def withdraw() -> None:
        services.withdraw_need(acting_user=request.user, need=need, note=note)
        messages.success(request, "Your need is withdrawn; the L&D team sees it as withdrawn.")

    return _after_post(request, need, withdraw)


@require_POST
def need_status(request: AuthenticatedRequest, need_id: int) -> HttpResponse:
    need = selectors.get_need(request.user, need_id)
    services.require_triager(request.user)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a status.")
        return redirect("needs:need-detail", need_id=need.pk)

    def move() -> None:
        services.change_status(
            acting_user=request.user,
            need=need,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
        )
        messages.success(
            request, f"The need is now {need.get_status_display().lower()}; the requester is told."
        )

    return _after_post(request, need, move)


@require_POST
def need_theme(request: AuthenticatedRequest, need_id: int) -> HttpResponse:
    need = selectors.get_need(request.user, need_id)
    services.require_triager(request.user)
    form = ThemeChoiceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a theme.")
        return redirect("needs:need-detail", need_id=need.pk)
    new_title = form.cleaned_data["new_theme"].strip()

    def assign() -> None:
        if new_title:
            theme = services.create_theme(acting_user=request.user, title=new_title, needs=[need])
            messages.success(request, f"Theme “{theme.title}” started with this need.")
        else:
            services.assign_theme(
                acting_user=request.user, need=need, theme=form.cleaned_data["theme"]
            )
            messages.success(request, "Theme saved.")

    response = _after_post(request, need, assign)
    # "Add to theme" on the Find similar needs page returns there (a fixed page, not a URL).
    return redirect("needs:theme-suggest") if request.POST.get("back") == "suggest" else response
