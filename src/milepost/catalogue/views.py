"""Catalogue pages: courses, qualifications and the track builder. Parse, call, render."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms import BaseFormSet
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from milepost.accounts.access import can_edit_catalogue
from milepost.accounts.http import HtmxRequest
from milepost.catalogue import selectors, services
from milepost.catalogue.forms import (
    CourseForm,
    CourseSearchForm,
    OutcomeForm,
    OutcomeFormSet,
    QualificationForm,
    QualificationSearchForm,
    StepForm,
    TargetFormSet,
    TrackForm,
)
from milepost.catalogue.models import Course, Qualification, Track
from milepost.frameworks.forms import competency_label
from milepost.lib.exports import requested_format, table_response
from milepost.lib.form_errors import put_field_errors


def _page(request: HtmxRequest, rows: QuerySet[Any]) -> Any:
    return Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))


def _competency_id(form: CourseSearchForm | QualificationSearchForm) -> int | None:
    competency = form.cleaned_data.get("competency") if form.is_valid() else None
    return competency.pk if competency else None


def _common_context(request: HtmxRequest) -> dict[str, Any]:
    return {"can_edit": can_edit_catalogue(request.user), "currency": settings.CATALOGUE_CURRENCY}


# Courses


def course_list(request: HtmxRequest) -> HttpResponseBase:
    form = CourseSearchForm(request.GET or None)
    valid = form.is_valid()
    courses = selectors.search_courses(
        request.user,
        query=form.cleaned_data["q"] if valid else "",
        modality=form.cleaned_data["modality"] if valid else "",
        provider_kind=form.cleaned_data["provider_kind"] if valid else "",
        competency_id=_competency_id(form),
        active=form.active_filter(),
    )
    export_format = requested_format(request)
    if export_format:
        currency = settings.CATALOGUE_CURRENCY
        return table_response(
            export_format,
            "courses",
            [
                "Code",
                "Title",
                "Modality",
                "Duration (hours)",
                f"Cost per person ({currency})",
                f"Cost per run ({currency})",
                "Places per run",
                "Provider",
                "Provider name",
                "Audience",
                "Outcomes",
                "Active",
                "Summary",
            ],
            (
                (
                    c.code,
                    c.title,
                    c.get_modality_display(),
                    c.duration_hours,
                    c.cost_per_person,
                    c.cost_per_run,
                    c.places_per_run or "no limit",
                    c.get_provider_kind_display(),
                    c.provider_name,
                    c.audience,
                    getattr(c, "outcome_count", 0),
                    "yes" if c.is_active else "no",
                    c.summary,
                )
                for c in courses
            ),
        )
    context = {"form": form, "page_obj": _page(request, courses), **_common_context(request)}
    if request.htmx and not request.htmx.boosted:
        return render(request, "catalogue/_course_results.html", context)
    return render(request, "catalogue/course_list.html", context)


def course_detail(request: HtmxRequest, pk: int) -> HttpResponse:
    course = selectors.get_course(request.user, pk)
    tracks = sorted({step.track for step in course.track_steps.all()}, key=lambda t: t.title)
    return render(
        request,
        "catalogue/course_detail.html",
        {"course": course, "tracks": tracks, **_common_context(request)},
    )


def course_create(request: HtmxRequest) -> HttpResponseBase:
    services.require_editor(request.user)
    return _course_form(request, None)


def course_edit(request: HtmxRequest, pk: int) -> HttpResponseBase:
    services.require_editor(request.user)
    return _course_form(request, selectors.get_course(request.user, pk))


def _outcome_initial(offer: Course | Qualification | None) -> list[dict[str, Any]]:
    if offer is None:
        return []
    return [
        {
            "competency": competency_label(outcome.competency),
            "raises_to_level": outcome.raises_to_level,
            "description": outcome.description,
        }
        for outcome in offer.outcomes.all()
    ]


def _outcome_specs(formset: BaseFormSet[OutcomeForm]) -> list[services.OutcomeSpec]:
    return [
        services.OutcomeSpec(
            competency=row["competency"],
            raises_to_level=row["raises_to_level"],
            description=row.get("description", ""),
        )
        for row in formset.cleaned_data
        if row and row.get("competency") and not row.get("DELETE")
    ]


def _course_form(request: HtmxRequest, course: Course | None) -> HttpResponseBase:
    initial: dict[str, Any] = {"is_active": True, "modality": "classroom"}
    if course is not None:
        initial = {name: getattr(course, name) for name in services.COURSE_FIELDS}
        initial["prerequisites"] = list(course.prerequisites.all())
    data = request.POST if request.method == "POST" else None
    form = CourseForm(data, initial=initial, exclude_pk=course.pk if course else None)
    formset = OutcomeFormSet(data, initial=_outcome_initial(course), prefix="outcomes")
    other_errors: list[str] = []
    if data is not None and form.is_valid() and formset.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.COURSE_FIELDS}
        try:
            if course is None:
                course = services.create_course(
                    user=request.user,
                    prerequisites=list(form.cleaned_data["prerequisites"]),
                    outcomes=_outcome_specs(formset),
                    **fields,
                )
            else:
                services.update_course(
                    user=request.user,
                    course=course,
                    prerequisites=list(form.cleaned_data["prerequisites"]),
                    outcomes=_outcome_specs(formset),
                    **fields,
                )
        except ValidationError as exc:
            other_errors = put_field_errors(form, exc)
        else:
            return redirect(reverse("catalogue:course-detail", args=[course.pk]))
    return render(
        request,
        "catalogue/offer_form.html",
        {
            "offer": course,
            "noun": "course",
            "list_url": reverse("catalogue:course-list"),
            "detail_url": reverse("catalogue:course-detail", args=[course.pk]) if course else "",
            "form": form,
            "formset": formset,
            "other_errors": other_errors,
        },
    )


# Qualifications

QUALIFICATION_FIELDS = tuple(QualificationForm.base_fields)


def qualification_list(request: HtmxRequest) -> HttpResponseBase:
    form = QualificationSearchForm(request.GET or None)
    valid = form.is_valid()
    qualifications = selectors.search_qualifications(
        request.user,
        query=form.cleaned_data["q"] if valid else "",
        level_framework=form.cleaned_data["level_framework"] if valid else "",
        competency_id=_competency_id(form),
        active=form.active_filter(),
    )
    export_format = requested_format(request)
    if export_format:
        return table_response(
            export_format,
            "qualifications",
            [
                "Code",
                "Title",
                "Awarding body",
                "Level",
                "Credits",
                "Guided learning hours",
                "Funding eligible",
                "Funding note",
                "Valid for (months)",
                "Renewal",
                f"Cost per person ({settings.CATALOGUE_CURRENCY})",
                "Outcomes",
                "Active",
            ],
            (
                (
                    q.code,
                    q.title,
                    q.awarding_body,
                    q.level_label,
                    q.credits,
                    q.guided_learning_hours,
                    "yes" if q.funding_eligible else "no",
                    q.funding_note,
                    q.validity_months if q.validity_months else "does not expire",
                    q.renewal,
                    q.cost_per_person,
                    getattr(q, "outcome_count", 0),
                    "yes" if q.is_active else "no",
                )
                for q in qualifications
            ),
        )
    context = {
        "form": form,
        "page_obj": _page(request, qualifications),
        **_common_context(request),
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "catalogue/_qualification_results.html", context)
    return render(request, "catalogue/qualification_list.html", context)


def qualification_detail(request: HtmxRequest, pk: int) -> HttpResponse:
    qualification = selectors.get_qualification(request.user, pk)
    tracks = sorted({step.track for step in qualification.track_steps.all()}, key=lambda t: t.title)
    return render(
        request,
        "catalogue/qualification_detail.html",
        {"qualification": qualification, "tracks": tracks, **_common_context(request)},
    )


def qualification_create(request: HtmxRequest) -> HttpResponseBase:
    services.require_editor(request.user)
    return _qualification_form(request, None)


def qualification_edit(request: HtmxRequest, pk: int) -> HttpResponseBase:
    services.require_editor(request.user)
    return _qualification_form(request, selectors.get_qualification(request.user, pk))


def _qualification_form(
    request: HtmxRequest, qualification: Qualification | None
) -> HttpResponseBase:
    initial: dict[str, Any] = {"is_active": True, "level_framework": "RQF"}
    if qualification is not None:
        initial = {name: getattr(qualification, name) for name in QUALIFICATION_FIELDS}
    data = request.POST if request.method == "POST" else None
    form = QualificationForm(data, initial=initial)
    formset = OutcomeFormSet(data, initial=_outcome_initial(qualification), prefix="outcomes")
    other_errors: list[str] = []
    if data is not None and form.is_valid() and formset.is_valid():
        fields = {name: form.cleaned_data[name] for name in QUALIFICATION_FIELDS}
        try:
            qualification = services.save_qualification(
                user=request.user,
                qualification=qualification,
                outcomes=_outcome_specs(formset),
                **fields,
            )
        except ValidationError as exc:
            other_errors = put_field_errors(form, exc)
        else:
            return redirect(reverse("catalogue:qualification-detail", args=[qualification.pk]))
    return render(
        request,
        "catalogue/offer_form.html",
        {
            "offer": qualification,
            "noun": "qualification",
            "list_url": reverse("catalogue:qualification-list"),
            "detail_url": (
                reverse("catalogue:qualification-detail", args=[qualification.pk])
                if qualification
                else ""
            ),
            "form": form,
            "formset": formset,
            "other_errors": other_errors,
        },
    )


# Training tracks


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
        {"query": query, "page_obj": _page(request, tracks), **_common_context(request)},
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
            **_common_context(request),
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
                user=request.user,
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
            user=request.user, track=track, note=form.cleaned_data["note"], **offer
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
        lambda: services.move_track_step(user=request.user, step=step, direction=direction),
    )


@require_POST
def track_step_remove(request: HtmxRequest, pk: int, step_pk: int) -> HttpResponseBase:
    services.require_editor(request.user)
    track, step = _step(request, pk, step_pk)
    return _track_action(
        request, track, lambda: services.remove_track_step(user=request.user, step=step)
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
            user=request.user, track=track, enforce_order=enforce
        ),
    )
