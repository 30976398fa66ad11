from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from milepost.accounts.access import can_administer_people, own_employee_id, require
from milepost.accounts.http import AuthenticatedRequest
from milepost.accounts.selectors import visible_units
from milepost.lib.exports import requested_format, table_response
from milepost.lib.form_errors import add_service_errors
from milepost.lib.sections import Section
from milepost.lib.wording import counted
from milepost.people import selectors as people_selectors
from milepost.people.models import Assessment, Employee
from milepost.reviews import selectors, services
from milepost.reviews.forms import (
    DevelopmentItemForm,
    DevelopmentStatusForm,
    ObjectiveForm,
    ObjectiveProgressForm,
    ParticipantFilterForm,
    RatingsForm,
    ReviewCycleForm,
)
from milepost.reviews.models import DevelopmentPlanItem, ReviewCycle, ReviewParticipant

# --- review cycles -----------------------------------------------------------------------------

PARTICIPANT_EXPORT_HEADER = (
    "Employee ID",
    "Last name",
    "First name",
    "Unit",
    "Manager",
    "Job profile",
    "Stage",
    "Self-assessed at",
    "Manager assessed at",
    "Agreed at",
)


@require_GET
def review_list(request: AuthenticatedRequest) -> HttpResponse:
    """Cycles the user can see, their own reviews and the reviews waiting for them."""
    today = timezone.localdate()
    cycles = [
        (cycle, selectors.cycle_progress(request.user, cycle, today))
        for cycle in selectors.visible_cycles(request.user)[:50]
    ]
    return render(
        request,
        "reviews/review_list.html",
        {
            "cycles": cycles,
            "own_reviews": selectors.own_reviews(request.user),
            "waiting": selectors.reviews_waiting_for_manager(request.user)[:100],
            "can_open": can_administer_people(request.user),
            "today": today,
        },
    )


@require_http_methods(["GET", "POST"])
def review_cycle_create(request: AuthenticatedRequest) -> HttpResponse:
    require(can_administer_people(request.user), "Only L&D coordinators open review cycles.")
    form = ReviewCycleForm(
        request.POST or None,
        units=visible_units(request.user).order_by("path"),
        job_profiles=people_selectors.job_profiles_in_use(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cycle = services.open_review_cycle(
                acting_user=request.user,
                name=data["name"],
                description=data["description"],
                opens_on=data["opens_on"],
                self_assessment_due=data["self_assessment_due"],
                manager_assessment_due=data["manager_assessment_due"],
                closes_on=data["closes_on"],
                units=data["units"],
                job_profiles=data["job_profiles"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            people = counted(cycle.participants.count(), "person", "people")
            messages.success(request, f"{cycle.name} is open for {people}.")
            return redirect("reviews:review-cycle", cycle_id=cycle.pk)
    return render(request, "reviews/review_cycle_form.html", {"form": form})


@require_GET
def review_cycle_detail(request: AuthenticatedRequest, cycle_id: int) -> HttpResponseBase:
    cycle = selectors.get_cycle(request.user, cycle_id)
    form = ParticipantFilterForm(request.GET, units=visible_units(request.user).order_by("path"))
    if form.is_valid():
        participants = selectors.cycle_participants(
            request.user,
            cycle,
            stage=form.cleaned_data["stage"],
            query=form.cleaned_data["q"],
            unit=form.cleaned_data["unit"],
        )
    else:
        participants = selectors.cycle_participants(request.user, cycle).none()
    export_format = requested_format(request)
    if export_format:
        return table_response(
            export_format,
            f"review-{cycle.pk}-progress",
            PARTICIPANT_EXPORT_HEADER,
            _participant_rows(participants),
        )
    page = Paginator(participants, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reviews/review_cycle_detail.html",
        {
            "cycle": cycle,
            "progress": selectors.cycle_progress(request.user, cycle, timezone.localdate()),
            "form": form,
            "filtered": any(request.GET.get(name) for name in form.fields),
            "page_obj": page,
            "can_close": can_administer_people(request.user) and cycle.is_open,
        },
    )


def _participant_rows(participants: Any) -> Iterator[list[Any]]:
    def stamp(value: Any) -> str:
        return value.isoformat(timespec="seconds") if value else ""

    for participant in participants.iterator(chunk_size=2000):
        employee = participant.employee
        yield [
            employee.employee_id,
            employee.last_name,
            employee.first_name,
            employee.unit.name,
            employee.manager.full_name if employee.manager else "",
            participant.job_profile.title,
            participant.get_stage_display(),
            stamp(participant.self_submitted_at),
            stamp(participant.manager_submitted_at),
            stamp(participant.agreed_at),
        ]


@require_POST
def review_cycle_close(request: AuthenticatedRequest, cycle_id: int) -> HttpResponse:
    cycle = selectors.get_cycle(request.user, cycle_id)
    try:
        services.close_review_cycle(acting_user=request.user, cycle=cycle)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{cycle.name} is closed.")
    return redirect("reviews:review-cycle", cycle_id=cycle.pk)


@require_POST
def review_cycle_remind(request: AuthenticatedRequest, cycle_id: int) -> HttpResponse:
    cycle = selectors.get_cycle(request.user, cycle_id)
    try:
        sent = services.send_review_reminders(
            acting_user=request.user, cycle=cycle, today=timezone.localdate()
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if sent:
            messages.success(request, f"{sent} reminder{'s' if sent != 1 else ''} sent.")
        else:
            messages.info(request, "Nobody is late: no reminder sent.")
    return redirect("reviews:review-cycle", cycle_id=cycle.pk)


def _review_context(
    request: AuthenticatedRequest,
    participant: ReviewParticipant,
    bound: RatingsForm | None = None,
) -> dict[str, Any]:
    lines = selectors.review_lines(participant)
    kinds = services.allowed_assessment_kinds(request.user, participant.employee)
    forms_by_kind: dict[str, RatingsForm] = {}
    # An agreed review takes no more sheets (services.submit_review_ratings): no form to offer.
    if participant.cycle.is_open and participant.agreed_at is None:
        for kind in (Assessment.Kind.SELF, Assessment.Kind.MANAGER, Assessment.Kind.AGREED):
            if kind in kinds:
                forms_by_kind[kind] = (
                    bound
                    if bound is not None and bound.kind == kind
                    else RatingsForm(lines=lines, kind=kind, prefix=kind)
                )
    return {
        "participant": participant,
        "employee": participant.employee,
        "is_own_review": participant.employee_id == own_employee_id(request.user),
        "cycle": participant.cycle,
        "lines": lines,
        "self_form": forms_by_kind.get(Assessment.Kind.SELF),
        "manager_form": forms_by_kind.get(Assessment.Kind.MANAGER),
        "agreed_form": forms_by_kind.get(Assessment.Kind.AGREED),
        **_plan_context(request, participant.employee, participant.cycle),
    }


def employee_section(
    sender: Any, request: AuthenticatedRequest, employee: Employee, **kwargs: Any
) -> Section:
    """The employee page's reviews, objectives and development plan (people.signals)."""
    context = {
        "employee": employee,
        "reviews": selectors.employee_reviews(employee),
        **_plan_context(request, employee),
    }
    return Section("reviews/_employee_section.html", context, order=20)


def _plan_context(
    request: AuthenticatedRequest, employee: Employee, cycle: ReviewCycle | None = None
) -> dict[str, Any]:
    """Objectives and development plan of an employee (of one cycle, if given)."""
    objectives = selectors.employee_objectives(employee)
    items = selectors.employee_development_items(employee)
    if cycle is not None:
        objectives, items = objectives.filter(cycle=cycle), items.filter(cycle=cycle)
    can_plan = services.can_plan_for(request.user, employee)
    can_update = can_plan or employee.pk == own_employee_id(request.user)
    return {
        "objectives": objectives,
        "development_items": items,
        "can_plan": can_plan,
        "can_update": can_update,
        "plan_competencies": selectors.profile_competencies(employee) if can_update else [],
        "development_statuses": DevelopmentPlanItem.Status.choices,
    }


@require_GET
def review_detail(request: AuthenticatedRequest, participant_id: int) -> HttpResponse:
    participant = selectors.get_participant(request.user, participant_id)
    return render(request, "reviews/review_detail.html", _review_context(request, participant))


@require_POST
def review_submit(request: AuthenticatedRequest, participant_id: int) -> HttpResponse:
    participant = selectors.get_participant(request.user, participant_id)
    kind = request.POST.get("kind", "")
    if kind not in Assessment.Kind.values:
        raise Http404("No such kind of rating.")
    if kind not in services.allowed_assessment_kinds(request.user, participant.employee):
        raise PermissionDenied(f"You may not give a '{kind}' rating in this review.")
    form = RatingsForm(
        request.POST, lines=selectors.review_lines(participant), kind=kind, prefix=kind
    )
    if form.is_valid():
        try:
            services.submit_review_ratings(
                acting_user=request.user, participant=participant, kind=kind, ratings=form.ratings()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            label = {"self": "Self-assessment", "manager": "Manager's assessment"}.get(
                kind, "Agreed levels"
            )
            messages.success(request, f"{label} for {participant.employee.full_name} saved.")
            return redirect("reviews:review", participant_id=participant.pk)
    return render(
        request, "reviews/review_detail.html", _review_context(request, participant, form)
    )


# --- objectives and development plans --------------------------------------------------------


def _cycle_from(request: AuthenticatedRequest) -> ReviewCycle | None:
    raw = request.POST.get("cycle", "")
    return selectors.get_cycle(request.user, int(raw)) if raw.isdigit() else None


def _back_to(request: AuthenticatedRequest, employee: Employee) -> HttpResponse:
    """Back to the review the form was on, else the employee's page."""
    raw = request.POST.get("participant", "")
    if raw.isdigit():
        participant = selectors.get_participant(request.user, int(raw))
        return redirect("reviews:review", participant_id=participant.pk)
    return redirect(f"{reverse('people:employee-detail', args=[employee.pk])}#plans")


@require_POST
def objective_create(request: AuthenticatedRequest, employee_id: int) -> HttpResponse:
    employee = people_selectors.get_employee(request.user, employee_id)
    form = ObjectiveForm(request.POST)
    if not form.is_valid():
        _flash_form_errors(request, form)
        return _back_to(request, employee)
    try:
        services.add_objective(
            acting_user=request.user,
            employee=employee,
            cycle=_cycle_from(request),
            title=form.cleaned_data["title"],
            weight=form.cleaned_data["weight"],
            description=form.cleaned_data["description"],
            due_on=form.cleaned_data["due_on"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Objective '{form.cleaned_data['title']}' added.")
    return _back_to(request, employee)


@require_POST
def objective_progress(request: AuthenticatedRequest, objective_id: int) -> HttpResponse:
    objective = selectors.get_objective(request.user, objective_id)
    form = ObjectiveProgressForm(request.POST)
    if form.is_valid():
        try:
            services.update_objective_progress(
                acting_user=request.user,
                objective=objective,
                progress=form.cleaned_data["progress"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Progress of '{objective.title}' saved.")
    else:
        _flash_form_errors(request, form)
    return _back_to(request, objective.employee)


@require_POST
def development_item_create(request: AuthenticatedRequest, employee_id: int) -> HttpResponse:
    employee = people_selectors.get_employee(request.user, employee_id)
    form = DevelopmentItemForm(request.POST, competencies=selectors.profile_competencies(employee))
    if not form.is_valid():
        _flash_form_errors(request, form)
        return _back_to(request, employee)
    try:
        services.add_development_item(
            acting_user=request.user,
            employee=employee,
            cycle=_cycle_from(request),
            competency=form.selected_competency,
            target_level=form.cleaned_data["target_level"],
            action=form.cleaned_data["action"],
            due_on=form.cleaned_data["due_on"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Development of {form.selected_competency.name} planned.")
    return _back_to(request, employee)


@require_POST
def development_item_status(request: AuthenticatedRequest, item_id: int) -> HttpResponse:
    item = selectors.get_development_item(request.user, item_id)
    form = DevelopmentStatusForm(request.POST)
    if form.is_valid():
        services.set_development_item_status(
            acting_user=request.user, item=item, status=form.cleaned_data["status"]
        )
        messages.success(request, f"{item.competency.name}: {item.get_status_display()}.")
    else:
        _flash_form_errors(request, form)
    return _back_to(request, item.employee)


def _flash_form_errors(request: AuthenticatedRequest, form: Any) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
