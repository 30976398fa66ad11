"""Pages for frameworks, competencies and job profiles: parse input, call a selector or service."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse

from milepost.accounts.access import can_edit_frameworks
from milepost.accounts.http import HtmxRequest
from milepost.frameworks import selectors, services
from milepost.frameworks.forms import (
    CompetencySearchForm,
    JobProfileForm,
    JobProfileSearchForm,
    RequirementFormSet,
    competency_label,
)
from milepost.frameworks.models import Framework, JobProfile
from milepost.lib.exports import requested_format, table_response
from milepost.lib.form_errors import put_field_errors


def _page(request: HtmxRequest, rows: QuerySet[Any]) -> Any:
    return Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))


def _join_lines(text: str) -> str:
    return "; ".join(line.strip() for line in text.splitlines() if line.strip())


# Frameworks and the competency tree


def framework_list(request: HtmxRequest) -> HttpResponseBase:
    frameworks = selectors.visible_frameworks(request.user)
    export_format = requested_format(request)
    if export_format:
        return table_response(
            export_format,
            "frameworks",
            ["Code", "Name", "Source", "Version", "Scale", "Competencies", "Groups"],
            (
                (
                    f.code,
                    f.name,
                    f.get_source_display(),
                    f.version,
                    f.scale.name,
                    getattr(f, "competency_count", 0),
                    getattr(f, "group_count", 0),
                )
                for f in frameworks
            ),
        )
    return render(request, "frameworks/framework_list.html", {"frameworks": frameworks})


def framework_detail(request: HtmxRequest, pk: int) -> HttpResponseBase:
    framework = selectors.get_framework(request.user, pk)
    export_format = requested_format(request)
    if export_format:
        under = None
        if request.GET.get("under", "").isdigit():
            under = selectors.get_competency(request.user, int(request.GET["under"]))
            if under.framework_id != framework.pk:
                raise Http404("That competency is not in this framework.")
        return table_response(
            export_format,
            f"{framework.code}-{under.code if under else 'competencies'}",
            ["Code", "Name", "Kind", "Depth", "Parent code", "Alternative labels", "Description"],
            (
                (code, name, kind, depth, parent_code or "", _join_lines(alt_labels), description)
                for code, name, kind, depth, parent_code, alt_labels, description in (
                    selectors.framework_export_rows(request.user, framework, under=under)
                )
            ),
        )
    tree = selectors.framework_top_levels(request.user, framework=framework)
    return render(
        request, "frameworks/framework_detail.html", {"framework": framework, "tree": tree}
    )


def competency_children_view(request: HtmxRequest, pk: int) -> HttpResponse:
    """The partial htmx swaps in when a tree node is opened: that node's children."""
    parent = selectors.get_competency(request.user, pk)
    children = selectors.competency_children(
        request.user, framework=parent.framework, parent=parent
    )
    return render(
        request, "frameworks/_tree_children.html", {"parent": parent, "children": children}
    )


# Competencies


def competency_search(request: HtmxRequest) -> HttpResponseBase:
    form = CompetencySearchForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        framework: Framework | None = form.cleaned_data["framework"]
        filters = {
            "query": form.cleaned_data["q"],
            "framework_id": framework.pk if framework else None,
            "kind": form.cleaned_data["kind"],
        }
    competencies = selectors.search_competencies(request.user, **filters)
    export_format = requested_format(request)
    if export_format:
        return table_response(
            export_format,
            "competencies",
            ["Framework", "Code", "Name", "Kind", "Alternative labels", "Description"],
            (
                (
                    c.framework.name,
                    c.code,
                    c.name,
                    c.get_kind_display(),
                    _join_lines(c.alt_labels),
                    c.description,
                )
                for c in competencies.iterator(chunk_size=2000)
            ),
        )
    context = {"form": form, "page_obj": _page(request, competencies), "searched": bool(filters)}
    if request.htmx and not request.htmx.boosted:
        return render(request, "frameworks/_competency_results.html", context)
    return render(request, "frameworks/competency_search.html", context)


def competency_options(request: HtmxRequest) -> HttpResponse:
    """Datalist options for competency pickers; reads `q` or the picker's own field."""
    query = request.GET.get("q", "")
    for name in request.GET:
        if not query and name.endswith("competency"):
            query = request.GET.get(name, "")
    suggestions = selectors.competency_suggestions(request.user, query=query)
    options = [competency_label(competency) for competency in suggestions]
    return render(request, "frameworks/_competency_options.html", {"options": options})


def competency_detail(request: HtmxRequest, pk: int) -> HttpResponse:
    competency = selectors.get_competency(request.user, pk)
    context = {
        "competency": competency,
        "framework": competency.framework,
        "ancestors": selectors.competency_ancestors(request.user, competency),
        "children": selectors.competency_children(
            request.user, framework=competency.framework, parent=competency
        ),
        "requirements": selectors.requirements_for_competency(request.user, competency),
    }
    return render(request, "frameworks/competency_detail.html", context)


# Job profiles


def profile_list(request: HtmxRequest) -> HttpResponseBase:
    form = JobProfileSearchForm(request.GET or None)
    profiles = selectors.search_job_profiles(
        request.user,
        query=form.cleaned_data["q"] if form.is_valid() else "",
        source=form.cleaned_data["source"] if form.is_valid() else "",
        active=form.active_filter(),
    )
    export_format = requested_format(request)
    if export_format:
        return table_response(
            export_format,
            "job-profiles",
            [
                "Code",
                "Title",
                "Source",
                "Active",
                "Requirements",
                "Essential",
                "Alternative titles",
                "Description",
            ],
            (
                (
                    p.code,
                    p.title,
                    p.get_source_display(),
                    "yes" if p.is_active else "no",
                    getattr(p, "requirement_count", 0),
                    getattr(p, "essential_count", 0),
                    _join_lines(p.alt_titles),
                    p.description,
                )
                for p in profiles
            ),
        )
    context = {
        "form": form,
        "page_obj": _page(request, profiles),
        "can_edit": can_edit_frameworks(request.user),
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "frameworks/_profile_results.html", context)
    return render(request, "frameworks/profile_list.html", context)


def profile_detail(request: HtmxRequest, pk: int) -> HttpResponse:
    job_profile = selectors.get_job_profile(request.user, pk)
    return render(
        request,
        "frameworks/profile_detail.html",
        {
            "job_profile": job_profile,
            "requirements": job_profile.requirements.all(),
            "can_edit": can_edit_frameworks(request.user),
        },
    )


def profile_create(request: HtmxRequest) -> HttpResponseBase:
    services.require_editor(request.user)
    return _profile_form(request, None)


def profile_edit(request: HtmxRequest, pk: int) -> HttpResponseBase:
    services.require_editor(request.user)
    return _profile_form(request, selectors.get_job_profile(request.user, pk))


def _requirement_initial(job_profile: JobProfile | None) -> list[dict[str, Any]]:
    if job_profile is None:
        return []
    return [
        {
            "competency": competency_label(requirement.competency),
            "required_level": requirement.required_level,
            "importance": requirement.importance,
            "essential": "yes" if requirement.essential else "no",
        }
        for requirement in job_profile.requirements.all()
    ]


def _profile_form(request: HtmxRequest, job_profile: JobProfile | None) -> HttpResponseBase:
    profile_initial = (
        {
            "title": job_profile.title,
            "code": job_profile.code,
            "description": job_profile.description,
            "alt_titles": job_profile.alt_titles,
            "is_active": job_profile.is_active,
        }
        if job_profile
        else {"is_active": True}
    )
    data = request.POST if request.method == "POST" else None
    form = JobProfileForm(data, initial=profile_initial)
    formset = RequirementFormSet(
        data, initial=_requirement_initial(job_profile), prefix="requirements"
    )
    requirement_errors: list[str] = []
    if data is not None and form.is_valid() and formset.is_valid():
        specs = [
            services.RequirementSpec(
                competency=row["competency"],
                required_level=row["required_level"],
                importance=row["importance"],
                essential=row["essential"],
            )
            for row in formset.cleaned_data
            if row and row.get("competency") and not row.get("DELETE")
        ]
        fields = {name: form.cleaned_data[name] for name in JobProfileForm.base_fields}
        try:
            if job_profile is None:
                job_profile = services.create_job_profile(
                    acting_user=request.user, requirements=specs, **fields
                )
            else:
                services.update_job_profile(
                    acting_user=request.user, job_profile=job_profile, requirements=specs, **fields
                )
        except ValidationError as exc:
            requirement_errors = put_field_errors(form, exc)
        else:
            return redirect(reverse("frameworks:profile-detail", args=[job_profile.pk]))
    return render(
        request,
        "frameworks/profile_form.html",
        {
            "job_profile": job_profile,
            "form": form,
            "formset": formset,
            "requirement_errors": requirement_errors,
        },
    )
