"""Training tracks: the list, a track with its steps, the builder."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from milepost.accounts.access import can_edit_catalogue
from milepost.accounts.http import HtmxRequest
from milepost.catalogue import selectors, services
from milepost.catalogue.forms import (
    StepForm,
    TargetFormSet,
    TrackForm,
)
from milepost.catalogue.models import Track
from milepost.catalogue.views.offers import catalogue_context, page_of
from milepost.frameworks.forms import competency_label
from milepost.lib.exports import requested_format, table_response
from milepost.lib.form_errors import put_field_errors


def track_list(request: HtmxRequest) -> HttpResponseBase:
    query = request.GET.get("q", "").strip()[:200]
    tracks = selectors.search_tracks(request.user, query=query)
    export_format = requested_format(request)
    if export_format:
        return table_response(
            export_format,
            "tracks",
            ["Code", "Title", "Target job profile", "Steps", "Enforced order", "Active"],
            (
                (
                    t.code,
                    t.title,
                    t.job_profile.title if t.job_profile else "",
                    getattr(t, "step_count", 0),
                    "yes" if t.enforce_order else "no",
                    "yes" if t.is_active else "no",
                )
                for t in tracks
            ),
        )
    return render(
        request,
        "catalogue/track_list.html",
        {"query": query, "page_obj": page_of(request, tracks), **catalogue_context(request)},
    )


def track_detail(request: HtmxRequest, pk: int) -> HttpResponse:
    """The track, and for editors its builder: add, move and remove steps."""
    track = selectors.get_track(request.user, pk)
    can_edit = can_edit_catalogue(request.user)
    return render(
        request,
        "catalogue/track_detail.html",
        {
            "track": track,
            "steps": list(track.steps.all()),
            "step_form": StepForm() if can_edit else None,
            **catalogue_context(request),
        },
    )


def track_create(request: HtmxRequest) -> HttpResponseBase:
    services.require_editor(request.user)
    return _track_form(request, None)


def track_edit(request: HtmxRequest, pk: int) -> HttpResponseBase:
    services.require_editor(request.user)
    return _track_form(request, selectors.get_track(request.user, pk))


def _track_form(request: HtmxRequest, track: Track | None) -> HttpResponseBase:
    initial: dict[str, Any] = {"is_active": True}
    targets: list[dict[str, Any]] = []
    if track is not None:
        initial = {
            "code": track.code,
            "title": track.title,
            "description": track.description,
            "job_profile": track.job_profile,
            "enforce_order": track.enforce_order,
            "is_active": track.is_active,
        }
        targets = [{"competency": competency_label(c)} for c in track.competencies.all()]
    data = request.POST if request.method == "POST" else None
    form = TrackForm(data, initial=initial)
    formset = TargetFormSet(data, initial=targets, prefix="targets")
    other_errors: list[str] = []
    if data is not None and form.is_valid() and formset.is_valid():
        competencies = [
            row["competency"]
            for row in formset.cleaned_data
            if row and row.get("competency") and not row.get("DELETE")
        ]
        try:
            track = services.save_track(
                acting_user=request.user,
                track=track,
                competencies=list({c.pk: c for c in competencies}.values()),
                **{name: form.cleaned_data[name] for name in TrackForm.base_fields},
            )
        except ValidationError as exc:
            other_errors = put_field_errors(form, exc)
        else:
            return redirect(reverse("catalogue:track-detail", args=[track.pk]))
    return render(
        request,
        "catalogue/track_form.html",
        {"track": track, "form": form, "formset": formset, "other_errors": other_errors},
    )


def _track_action(request: HtmxRequest, track: Track, action: Any) -> HttpResponseBase:
    """Run one builder action; a refused change is shown as a message on the track page."""
    try:
        action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(reverse("catalogue:track-detail", args=[track.pk]))


@require_POST
def track_step_add(request: HtmxRequest, pk: int) -> HttpResponseBase:
    services.require_editor(request.user)
    track = selectors.get_track(request.user, pk)
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Pick a course or a qualification to add as a step.")
        return redirect(reverse("catalogue:track-detail", args=[track.pk]))
    kind, offer_pk = form.picked()
    offer: dict[str, Any] = (
        {"course": get_object_or_404(selectors.visible_courses(request.user), pk=offer_pk)}
        if kind == "course"
        else {
            "qualification": get_object_or_404(
                selectors.visible_qualifications(request.user), pk=offer_pk
            )
        }
    )
    return _track_action(
        request,
        track,
        lambda: services.add_track_step(
            acting_user=request.user, track=track, note=form.cleaned_data["note"], **offer
        ),
    )


def _step(request: HtmxRequest, pk: int, step_pk: int) -> Any:
    track = selectors.get_track(request.user, pk)
    return track, get_object_or_404(track.steps.all(), pk=step_pk)


@require_POST
def track_step_move(request: HtmxRequest, pk: int, step_pk: int) -> HttpResponseBase:
    services.require_editor(request.user)
    track, step = _step(request, pk, step_pk)
    direction = request.POST.get("direction", "")
    return _track_action(
        request,
        track,
        lambda: services.move_track_step(acting_user=request.user, step=step, direction=direction),
    )


@require_POST
def track_step_remove(request: HtmxRequest, pk: int, step_pk: int) -> HttpResponseBase:
    services.require_editor(request.user)
    track, step = _step(request, pk, step_pk)
    return _track_action(
        request, track, lambda: services.remove_track_step(acting_user=request.user, step=step)
    )


@require_POST
def track_enforce_order(request: HtmxRequest, pk: int) -> HttpResponseBase:
    services.require_editor(request.user)
    track = selectors.get_track(request.user, pk)
    enforce = request.POST.get("enforce_order") == "on"
    return _track_action(
        request,
        track,
        lambda: services.set_track_enforce_order(
            acting_user=request.user, track=track, enforce_order=enforce
        ),
    )
