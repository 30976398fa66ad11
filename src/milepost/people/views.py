from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from milepost.accounts.access import can_administer_people, require
from milepost.accounts.http import AuthenticatedRequest, HtmxRequest
from milepost.accounts.selectors import visible_units
from milepost.frameworks.models import Competency
from milepost.lib.exports import requested_format, table_response
from milepost.lib.sections import rendered_sections
from milepost.people import job_titles, selectors, services
from milepost.people.forms import AgreedChangeForm, AssessmentForm, EmployeeFilterForm
from milepost.people.models import AgreedLevelChange, Employee
from milepost.people.signals import employee_page_sections

EXPORT_HEADER = (
    "Employee ID",
    "Last name",
    "First name",
    "Email",
    "Job title",
    "Unit",
    "Unit code",
    "Job profile",
    "Manager",
    "Active",
    "Start date",
)


UNIT_EXPORT_HEADER = (
    "Code",
    "Name",
    "Kind",
    "Parent code",
    "Depth",
    "Active employees",
    "Active employees including units below",
)

HISTORY_EXPORT_HEADER = (
    "Employee ID",
    "Competency",
    "Kind",
    "Level",
    "Scale",
    "Assessed on",
    "Assessed by",
    "Source",
    "Review cycle",
    "Note",
    "Recorded at",
)


@require_GET
def unit_list(request: AuthenticatedRequest) -> HttpResponseBase:
    export_format = requested_format(request)
    if export_format:
        tree = selectors.unit_tree(request.user)
        rows = (
            [
                node.unit.code,
                node.unit.name,
                node.unit.get_kind_display(),
                node.parent_code,
                node.unit.depth,
                node.employee_count,
                node.total_count,
            ]
            for node in selectors.flatten_tree(tree)
        )
        return table_response(export_format, "organisation-units", UNIT_EXPORT_HEADER, rows)
    query = request.GET.get("q", "").strip()[:100]
    if query:
        page = Paginator(selectors.search_units(request.user, query), settings.PAGE_SIZE)
        return render(
            request,
            "people/unit_list.html",
            {"query": query, "page_obj": page.get_page(request.GET.get("page"))},
        )
    chart = selectors.unit_chart(request.user)
    return render(request, "people/unit_list.html", {"tree": chart.roots, "chart": chart})


SUB_UNITS_SHOWN = 200


@require_GET
def unit_detail(request: AuthenticatedRequest, unit_id: int) -> HttpResponse:
    unit = selectors.get_unit(request.user, unit_id)
    page = Paginator(selectors.unit_members(request.user, unit), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "people/unit_detail.html",
        {
            "unit": unit,
            "ancestors": selectors.unit_ancestors(request.user, unit),
            "sub_units": selectors.sub_units(request.user, unit)[:SUB_UNITS_SHOWN],
            "sub_unit_count": selectors.sub_units(request.user, unit).count(),
            "page_obj": page,
            "employee_list_url": f"{reverse('people:employee-list')}?unit={unit.pk}",
        },
    )


@require_GET
def employee_list(request: AuthenticatedRequest) -> HttpResponseBase:
    form = EmployeeFilterForm(
        request.GET,
        units=visible_units(request.user).order_by("path"),
        job_profiles=selectors.job_profiles_in_use(request.user),
    )
    if form.is_valid():
        employees = selectors.employee_search(
            request.user,
            query=form.cleaned_data["q"],
            unit=form.cleaned_data["unit"],
            job_profile_id=getattr(form.cleaned_data["job_profile"], "pk", None),
            active=form.active_value,
        )
    else:
        employees = selectors.employee_search(request.user).none()
    export_format = requested_format(request)
    if export_format:
        return table_response(export_format, "employees", EXPORT_HEADER, _export_rows(employees))
    page = Paginator(employees, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    filtered = any(request.GET.get(name) for name in form.fields)
    unmatched_titles = can_administer_people(request.user) and job_titles.has_unmatched_titles(
        request.user
    )
    return render(
        request,
        "people/employee_list.html",
        {
            "form": form,
            "page_obj": page,
            "filtered": filtered,
            "unmatched_titles": unmatched_titles,
        },
    )


def _export_rows(employees: Any) -> Iterator[list[Any]]:
    for employee in employees.iterator(chunk_size=2000):
        yield [
            employee.employee_id,
            employee.last_name,
            employee.first_name,
            employee.email,
            employee.job_title,
            employee.unit.name,
            employee.unit.code,
            employee.job_profile.title if employee.job_profile else "",
            employee.manager.full_name if employee.manager else "",
            "yes" if employee.is_active else "no",
            employee.start_date.isoformat() if employee.start_date else "",
        ]


def _identity_context(request: AuthenticatedRequest, employee: Employee) -> dict[str, Any]:
    return {
        "unit_visible": visible_units(request.user).filter(pk=employee.unit_id).exists(),
    }


def _assessment_context(
    request: AuthenticatedRequest, employee: Employee, form: AssessmentForm | None = None
) -> dict[str, Any]:
    standings = selectors.competency_standings(employee)
    kinds = services.allowed_assessment_kinds(request.user, employee)
    if form is None and kinds and standings:
        form = AssessmentForm(
            competencies=[standing.competency for standing in standings], kinds=kinds
        )
    context = {
        "employee": employee,
        "standings": standings,
        "form": form,
        "can_assess": bool(kinds),
    }
    context.update(_agreed_change_context(request, employee, standings))
    return context


def _agreed_levels(
    standings: list[selectors.CompetencyStanding],
) -> list[tuple[Competency, int]]:
    return [
        (standing.competency, standing.agreed_assessment.level)
        for standing in standings
        if standing.agreed_assessment is not None
    ]


def _agreed_change_context(
    request: AuthenticatedRequest,
    employee: Employee,
    standings: list[selectors.CompetencyStanding],
    change_form: AgreedChangeForm | None = None,
) -> dict[str, Any]:
    """Proposed changes to agreed levels, with what this user may do about each."""
    changes = list(
        AgreedLevelChange.objects.filter(employee=employee)
        .select_related("competency", "proposed_by", "answered_by", "employee")
        .order_by("-proposed_at", "-pk")[:20]
    )
    for change in changes:
        change.can_answer = services.may_answer_agreed_change(request.user, change)  # type: ignore[attr-defined]
        change.can_withdraw = (  # type: ignore[attr-defined]
            change.status == AgreedLevelChange.Status.PROPOSED
            and change.proposed_by_id == request.user.pk
        )
    agreed = _agreed_levels(standings)
    if (
        change_form is None
        and agreed
        and services.may_propose_agreed_change(request.user, employee)
    ):
        change_form = AgreedChangeForm(agreed=agreed)
    return {"agreed_changes": changes, "change_form": change_form}


@require_GET
def employee_detail(request: AuthenticatedRequest, employee_id: int) -> HttpResponse:
    employee = selectors.get_employee(request.user, employee_id)
    context = _assessment_context(request, employee)
    context.update(_identity_context(request, employee))
    context["sections"] = rendered_sections(employee_page_sections, request, employee=employee)
    return render(request, "people/employee_detail.html", context)


HISTORY_PER_PAGE = 100


@require_GET
def employee_history(request: AuthenticatedRequest, employee_id: int) -> HttpResponseBase:
    employee = selectors.get_employee(request.user, employee_id)
    raw_competency = request.GET.get("competency", "")
    competency_id = int(raw_competency) if raw_competency.isdigit() else None
    rows = selectors.assessment_history(employee, competency_id=competency_id)
    export_format = requested_format(request)
    if export_format:
        return table_response(
            export_format,
            f"assessments-{employee.employee_id}",
            HISTORY_EXPORT_HEADER,
            (
                [
                    employee.employee_id,
                    row.competency.name,
                    row.get_kind_display(),
                    row.level,
                    row.competency.framework.scale.name,
                    row.assessed_on.isoformat(),
                    str(row.assessed_by or ""),
                    row.get_source_display(),
                    row.cycle.name if row.cycle else "",
                    row.note,
                    row.created_at.isoformat(timespec="seconds"),
                ]
                for row in rows
            ),
        )
    page = Paginator(rows, HISTORY_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "people/employee_history.html",
        {
            "employee": employee,
            "assessments": page.object_list,
            "page_obj": page,
            "filtered": competency_id is not None,
        },
    )


@require_POST
def record_assessment_view(request: HtmxRequest, employee_id: int) -> HttpResponse:
    employee = selectors.get_employee(request.user, employee_id)
    standings = selectors.competency_standings(employee)
    kinds = services.allowed_assessment_kinds(request.user, employee)
    form = AssessmentForm(
        request.POST, competencies=[standing.competency for standing in standings], kinds=kinds
    )
    if form.is_valid():
        try:
            services.record_assessment(
                acting_user=request.user,
                employee=employee,
                competency=form.selected_competency,
                kind=form.cleaned_data["kind"],
                level=form.cleaned_data["level"],
                assessed_on=form.cleaned_data["assessed_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            message = f"Assessment of {form.selected_competency.name} recorded."
            if not request.htmx:
                messages.success(request, message)
                return redirect("people:employee-detail", employee_id=employee.pk)
            context = _assessment_context(request, employee)
            context["saved_message"] = message
            return render(request, "people/_assessments.html", context)
    context = _assessment_context(request, employee, form)
    template = "people/_assessments.html" if request.htmx else "people/employee_detail.html"
    if not request.htmx:
        context.update(_identity_context(request, employee))
        context["sections"] = rendered_sections(employee_page_sections, request, employee=employee)
    return render(request, template, context)


JOB_TITLES_PER_PAGE = 20


@require_GET
def job_title_list(request: AuthenticatedRequest) -> HttpResponse:
    require(can_administer_people(request.user), job_titles.CONFIRM_PERMISSION)
    page = Paginator(job_titles.unmatched_titles(request.user), JOB_TITLES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "people/job_title_list.html",
        {
            "page_obj": page,
            "titles": job_titles.with_suggestions(page.object_list),
            "profiles": job_titles.assignable_profiles().only("code", "title"),
        },
    )


@require_POST
def confirm_job_title_view(request: AuthenticatedRequest) -> HttpResponse:
    require(can_administer_people(request.user), job_titles.CONFIRM_PERMISSION)
    job_title = request.POST.get("job_title", "")
    remember = request.POST.get("remember") == "1"
    try:
        job_profile = job_titles.chosen_profile(
            profile_id=request.POST.get("job_profile", ""),
            choice=request.POST.get("job_profile_choice", ""),
        )
        updated = job_titles.confirm_job_title(
            acting_user=request.user,
            job_title=job_title,
            job_profile=job_profile,
            remember=remember,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        message = (
            f"{updated} employee{'s' if updated != 1 else ''} with job title '{job_title}' "
            f"now {'have' if updated != 1 else 'has'} job profile '{job_profile.title}'."
        )
        if remember:
            message += " The next people import will match this title too."
        messages.success(request, message)
    url = reverse("people:job-titles")
    page = request.POST.get("page", "")
    return redirect(f"{url}?page={page}" if page.isdigit() else url)


@require_POST
def propose_agreed_change_view(request: AuthenticatedRequest, employee_id: int) -> HttpResponse:
    employee = selectors.get_employee(request.user, employee_id)
    if not services.may_propose_agreed_change(request.user, employee):
        raise PermissionDenied("Only the person or their manager may propose a change.")
    standings = selectors.competency_standings(employee)
    agreed = _agreed_levels(standings)
    form = AgreedChangeForm(request.POST, agreed=agreed)
    if form.is_valid():
        try:
            services.propose_agreed_change(
                acting_user=request.user,
                employee=employee,
                competency=form.selected_competency,
                to_level=form.cleaned_data["to_level"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Change proposed; the other party has been asked to agree.")
            return redirect("people:employee-detail", employee_id=employee.pk)
    context = _assessment_context(request, employee)
    context.update(_agreed_change_context(request, employee, standings, form))
    context.update(_identity_context(request, employee))
    context["sections"] = rendered_sections(employee_page_sections, request, employee=employee)
    return render(request, "people/employee_detail.html", context, status=200)


def _visible_change(request: AuthenticatedRequest, change_id: int) -> AgreedLevelChange:
    change = get_object_or_404(AgreedLevelChange.objects.select_related("employee"), pk=change_id)
    selectors.get_employee(request.user, change.employee_id)  # 404 outside the user's scope
    return change


@require_POST
def answer_agreed_change_view(request: AuthenticatedRequest, change_id: int) -> HttpResponse:
    change = _visible_change(request, change_id)
    agree = request.POST.get("answer") == "agree"
    try:
        services.answer_agreed_change(
            acting_user=request.user,
            change=change,
            agree=agree,
            note=request.POST.get("note", "")[:2000],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Change agreed." if agree else "Change declined.")
    return redirect("people:employee-detail", employee_id=change.employee_id)


@require_POST
def withdraw_agreed_change_view(request: AuthenticatedRequest, change_id: int) -> HttpResponse:
    change = _visible_change(request, change_id)
    try:
        services.withdraw_agreed_change(acting_user=request.user, change=change)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Proposed change withdrawn.")
    return redirect("people:employee-detail", employee_id=change.employee_id)
