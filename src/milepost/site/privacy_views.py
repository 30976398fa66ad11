"""Pages for personal data rights: export (the person, or an administrator), erasure
(administrators), and the employee page's section that links them (people.signals)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from milepost.accounts.access import own_employee_id, require
from milepost.accounts.http import AuthenticatedRequest
from milepost.lib.sections import Section
from milepost.people.models import Employee
from milepost.people.selectors import get_employee
from milepost.site import privacy


def _zip(employee: Employee) -> HttpResponse:
    response = HttpResponse(privacy.export_zip(employee), content_type="application/zip")
    name = f"personal-data-{employee.employee_id}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def export_personal_data(request: AuthenticatedRequest, employee_id: int) -> HttpResponse:
    employee = get_employee(request.user, employee_id)  # 404 outside the user's scope
    require(privacy.may_export(request.user, employee), "Only the person or an administrator.")
    return _zip(employee)


@require_GET
def my_data(request: AuthenticatedRequest) -> HttpResponse:
    employee_id = own_employee_id(request.user)
    if employee_id is None:
        raise Http404("Your log-in has no employee record; ask an administrator for your data.")
    return _zip(Employee.objects.get(pk=employee_id))


@require_http_methods(["GET", "POST"])
def erase_personal_data(request: AuthenticatedRequest, employee_id: int) -> HttpResponse:
    employee = get_employee(request.user, employee_id)
    require(privacy.can_manage_personal_data(request.user), "Only an administrator may erase.")
    error = ""
    if request.method == "POST":
        if request.POST.get("confirm", "").strip() != employee.employee_id:
            error = f"Type the employee ID {employee.employee_id} to confirm."
        else:
            try:
                report = privacy.erase_person(
                    acting_user=request.user,
                    employee=employee,
                    reason=request.POST.get("reason", "")[:500],
                )
            except (ValidationError, PermissionDenied) as exc:
                error = " ".join(getattr(exc, "messages", [str(exc)]))
            else:
                messages.success(
                    request, "Personal data erased: " + "; ".join(report.lines()) + "."
                )
                return redirect("people:employee-detail", employee_id=employee.pk)
    return render(
        request,
        "site/erase_personal_data.html",
        {"employee": employee, "error": error, "reason": request.POST.get("reason", "")},
        status=200,
    )


def employee_section(
    sender: Any, request: AuthenticatedRequest, employee: Employee, **kwargs: Any
) -> Section | None:
    """Links to the person's data on their page, for them and for administrators."""
    if not privacy.may_export(request.user, employee):
        return None
    context = {
        "employee": employee,
        "can_erase": privacy.can_manage_personal_data(request.user) and employee.erased_at is None,
    }
    return Section("site/_personal_data_section.html", context, order=90)
