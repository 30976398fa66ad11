"""REST endpoints for organisation units, employees, assessments, review cycles and plans.

Every endpoint reads through the same selectors as the web pages, so it shows only what
the caller's role may see; assessments are created by the same service.
"""

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from milepost.accounts.http import api_caller
from milepost.accounts.models import OrgUnit
from milepost.frameworks.models import Competency
from milepost.people import selectors, services
from milepost.people.models import Assessment, Employee

router = Router(tags=["people"])


# --- schemas -------------------------------------------------------------------------------


class UnitRef(Schema):
    id: int
    code: str
    name: str


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    path: str = Field(description="Materialised path of unit ids from the root, e.g. /1/4/9/")
    depth: int
    employee_count: int = Field(description="Active employees placed directly in this unit")


class UnitDetailOut(UnitOut):
    children: list[UnitOut] = Field(alias="sub_units", description="The units directly below")


class JobProfileRef(Schema):
    id: int
    code: str
    title: str


class CompetencyRef(Schema):
    id: int
    code: str
    name: str


class EmployeeOut(Schema):
    id: int
    employee_id: str
    first_name: str
    last_name: str
    email: str
    job_title: str
    unit: UnitRef
    manager_id: int | None
    job_profile: JobProfileRef | None
    is_active: bool
    start_date: datetime.date | None


class LatestLevel(Schema):
    level: int
    assessed_on: datetime.date


class StandingOut(Schema):
    competency: CompetencyRef
    required_level: int | None
    essential: bool
    self_level: LatestLevel | None = Field(None, alias="self_assessment")
    manager_level: LatestLevel | None = Field(None, alias="manager_assessment")
    agreed_level: LatestLevel | None = Field(None, alias="agreed_assessment")


class EmployeeDetailOut(EmployeeOut):
    competencies: list[StandingOut] = Field(alias="standings")


class AssessmentOut(Schema):
    id: int
    competency: CompetencyRef
    kind: str
    level: int
    assessed_on: datetime.date
    assessed_by: str | None
    note: str
    source: str = Field(description="direct, review, import or training")
    cycle_id: int | None = Field(None, description="The review cycle it was given in, if any")
    created_at: datetime.datetime

    @staticmethod
    def resolve_assessed_by(obj: Assessment) -> str | None:
        return obj.assessed_by.username if obj.assessed_by else None


class AssessmentIn(Schema):
    competency_id: int
    kind: str = Field(description="self, manager or agreed")
    level: int = Field(description="A level on the competency's framework scale")
    assessed_on: datetime.date | None = Field(None, description="Defaults to today")
    note: str = ""


class EmployeeFilters(Schema):
    q: str = Field("", description="Words matched against name, employee ID, email, job title")
    unit: int | None = Field(None, description="Unit id; includes the units below it")
    job_profile: int | None = None
    active: bool | None = None


# --- organisation units --------------------------------------------------------------------


@router.get("/org-units", response=list[UnitOut], summary="List organisation units")
@paginate(PageNumberPagination, page_size=settings.PAGE_SIZE)
def list_units(request: HttpRequest) -> Any:
    return selectors.units_with_counts(api_caller(request)).order_by("path")


@router.get("/org-units/{unit_id}", response=UnitDetailOut, summary="One organisation unit")
def get_unit_api(request: HttpRequest, unit_id: int) -> Any:
    user = api_caller(request)
    unit = selectors.get_unit(user, unit_id)
    unit.sub_units = list(selectors.sub_units(user, unit))  # type: ignore[attr-defined]
    return unit


# --- employees -----------------------------------------------------------------------------


@router.get("/employees", response=list[EmployeeOut], summary="List or search employees")
@paginate(PageNumberPagination, page_size=settings.PAGE_SIZE)
def list_employees(request: HttpRequest, filters: Query[EmployeeFilters]) -> Any:
    user = api_caller(request)
    unit: OrgUnit | None = None
    if filters.unit is not None:
        unit = selectors.get_unit(user, filters.unit)
    return selectors.employee_search(
        user,
        query=filters.q,
        unit=unit,
        job_profile_id=filters.job_profile,
        active=filters.active,
    )


@router.get(
    "/employees/{employee_id}",
    response=EmployeeDetailOut,
    summary="One employee, with the latest level of each competency",
)
def get_employee_api(request: HttpRequest, employee_id: int) -> Any:
    employee = selectors.get_employee(api_caller(request), employee_id)
    employee.standings = selectors.competency_standings(employee)  # type: ignore[attr-defined]
    return employee


# --- assessments ---------------------------------------------------------------------------


@router.get(
    "/employees/{employee_id}/assessments",
    response=list[AssessmentOut],
    summary="Every assessment of an employee (full history, newest first per competency), "
    "a page at a time",
)
@paginate(PageNumberPagination, page_size=settings.PAGE_SIZE)
def list_assessments(request: HttpRequest, employee_id: int, competency: int | None = None) -> Any:
    employee = selectors.get_employee(api_caller(request), employee_id)
    return selectors.assessment_history(employee, competency_id=competency)


@router.post(
    "/employees/{employee_id}/assessments",
    response={201: AssessmentOut},
    summary="Record an assessment (a new row; earlier ones are kept)",
)
def create_assessment(request: HttpRequest, employee_id: int, payload: AssessmentIn) -> Any:
    user = api_caller(request)
    employee: Employee = selectors.get_employee(user, employee_id)
    try:
        competency = Competency.objects.select_related("framework__scale").get(
            pk=payload.competency_id
        )
    except Competency.DoesNotExist as exc:
        raise ValidationError(
            {"competency_id": f"competency {payload.competency_id} does not exist"}
        ) from exc
    assessment = services.record_assessment(
        acting_user=user,
        employee=employee,
        competency=competency,
        kind=payload.kind,
        level=payload.level,
        assessed_on=payload.assessed_on or timezone.localdate(),
        note=payload.note,
    )
    return Status(201, assessment)
