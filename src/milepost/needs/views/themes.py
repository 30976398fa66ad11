"""Demand themes: similar needs grouped, proposed, moved on together."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from milepost.accounts.access import can_triage_needs
from milepost.accounts.http import AuthenticatedRequest
from milepost.lib.sections import rendered_sections
from milepost.lib.wording import counted
from milepost.needs import offers, selectors, services
from milepost.needs.forms import (
    StatusForm,
    ThemeForm,
)
from milepost.needs.signals import theme_page_sections
from milepost.needs.views.needs import _posted_ids


@require_GET
def theme_list(request: AuthenticatedRequest) -> HttpResponse:
    themes = selectors.theme_summaries(request.user)
    return render(
        request,
        "needs/theme_list.html",
        {"themes": themes, "can_triage": can_triage_needs(request.user)},
    )


@require_http_methods(["GET", "POST"])
def theme_suggest(request: AuthenticatedRequest) -> HttpResponse:
    services.require_triager(request.user)
    if request.method == "POST":
        form = ThemeForm(request.POST)
        needs = list(
            selectors.visible_needs(request.user).filter(pk__in=_posted_ids(request, "need"))
        )
        if form.is_valid():
            try:
                theme = services.create_theme(
                    acting_user=request.user,
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                    needs=needs,
                )
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                held = counted(len(needs), "need")
                messages.success(request, f"Theme “{theme.title}” holds {held}.")
                return redirect("needs:theme-detail", theme_id=theme.pk)
        else:
            messages.error(request, "Give the theme a title.")
    proposals = selectors.proposed_themes(request.user)
    fits = selectors.needs_fitting_themes(request.user)
    return render(request, "needs/theme_suggest.html", {"proposals": proposals, "theme_fits": fits})


@require_GET
def theme_detail(request: AuthenticatedRequest, theme_id: int) -> HttpResponse:
    theme = get_object_or_404(selectors.visible_themes(request.user), pk=theme_id)
    needs = list(selectors.with_mappings(selectors.need_search(request.user, theme_id=theme.pk)))
    triager = can_triage_needs(request.user)
    return render(
        request,
        "needs/theme_detail.html",
        {
            "theme": theme,
            "needs": needs,
            "can_triage": triager,
            "status_form": StatusForm() if triager else None,
            "answer": offers.catalogue_answer(request.user, needs),
            "open_count": sum(1 for need in needs if need.is_open),
            "requester_count": selectors.requester_count(needs),
            "currency": settings.CATALOGUE_CURRENCY,
            "sections": rendered_sections(theme_page_sections, request, theme=theme),
        },
    )


@require_POST
def theme_status(request: AuthenticatedRequest, theme_id: int) -> HttpResponse:
    theme = get_object_or_404(selectors.visible_themes(request.user), pk=theme_id)
    services.require_triager(request.user)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            changes = services.change_theme_status(
                acting_user=request.user,
                theme=theme,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            moved = counted(len(changes), "need")
            messages.success(request, f"{moved} moved on; each requester is told.")
    else:
        messages.error(request, "Choose a status.")
    return redirect("needs:theme-detail", theme_id=theme.pk)


@require_POST
def theme_delete(request: AuthenticatedRequest, theme_id: int) -> HttpResponse:
    theme = get_object_or_404(selectors.visible_themes(request.user), pk=theme_id)
    services.delete_theme(acting_user=request.user, theme=theme)
    messages.success(request, f"Theme “{theme.title}” dissolved; its needs are kept.")
    return redirect("needs:theme-list")
