"""Courses and qualifications: lists with search, filters and exports, details, editors."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms import BaseFormSet
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse

from milepost.accounts.access import can_edit_catalogue
from milepost.accounts.http import HtmxRequest
from milepost.catalogue import selectors, services
from milepost.catalogue.costing import seat_cost
from milepost.catalogue.forms import (
    CourseForm,
    CourseSearchForm,
    OutcomeForm,
    OutcomeFormSet,
    QualificationForm,
    QualificationSearchForm,
)
from milepost.catalogue.models import Course, Qualification
from milepost.frameworks.forms import competency_label
from milepost.lib.exports import requested_format, table_response
from milepost.lib.form_errors import put_field_errors


def page_of(request: HtmxRequest, rows: QuerySet[Any]) -> Any:
    return Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))


def _competency_id(form: CourseSearchForm | QualificationSearchForm) -> int | None:
    competency = form.cleaned_data.get("competency") if form.is_valid() else None
    return competency.pk if competency else None


def catalogue_context(request: HtmxRequest) -> dict[str, Any]:
    return {"can_edit": can_edit_catalogue(request.user), "currency": settings.CATALOGUE_CURRENCY}


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
                f"Seat cost ({currency})",
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
                    seat_cost(c),
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
    context = {"form": form, "page_obj": page_of(request, courses), **catalogue_context(request)}
    if request.htmx and not request.htmx.boosted:
        return render(request, "catalogue/_course_results.html", context)
    return render(request, "catalogue/course_list.html", context)


def course_detail(request: HtmxRequest, pk: int) -> HttpResponse:
    course = selectors.get_course(request.user, pk)
    tracks = sorted({step.track for step in course.track_steps.all()}, key=lambda t: t.title)
    return render(
        request,
        "catalogue/course_detail.html",
        {"course": course, "tracks": tracks, **catalogue_context(request)},
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
                    acting_user=request.user,
                    prerequisites=list(form.cleaned_data["prerequisites"]),
                    outcomes=_outcome_specs(formset),
                    **fields,
                )
            else:
                services.update_course(
                    acting_user=request.user,
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
        "page_obj": page_of(request, qualifications),
        **catalogue_context(request),
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
        {"qualification": qualification, "tracks": tracks, **catalogue_context(request)},
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
                acting_user=request.user,
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
