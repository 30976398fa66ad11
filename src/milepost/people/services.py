"""Writes for people: competency assessments, review cycles, objectives, development plans."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from milepost.accounts.access import AnyUser, can_administer_people, own_employee_id
from milepost.accounts.models import Role, User
from milepost.accounts.services import notify
from milepost.frameworks.models import Competency
from milepost.people.models import AgreedLevelChange, Assessment, Employee
from milepost.people.selectors import visible_employees

ALL_KINDS = frozenset(Assessment.Kind)
MANAGER_KINDS = frozenset({Assessment.Kind.MANAGER, Assessment.Kind.AGREED})
# Without a start date, no assessment is dated before this (1900-01-01 and 0001-01-01 were
# accepted once, and agreed levels drive gaps and recommendations).
EARLIEST_ASSESSMENT = datetime.date(1970, 1, 1)


def assessment_date_problem(employee: Employee, on: datetime.date) -> str | None:
    """Why `on` cannot be an assessment date for `employee`, or None: not in the future, not
    before they started (or, with no start date, before 1970)."""
    today = timezone.localdate()
    if on > today:
        return f"assessment date {on:%Y-%m-%d} is in the future (today is {today:%Y-%m-%d})"
    if employee.start_date and on < employee.start_date:
        return (
            f"assessment date {on:%Y-%m-%d} is before {employee.full_name} started "
            f"({employee.start_date:%Y-%m-%d})"
        )
    if on < EARLIEST_ASSESSMENT:
        return f"assessment date {on:%Y-%m-%d} is before {EARLIEST_ASSESSMENT:%Y-%m-%d}"
    return None


def check_assessment_date(employee: Employee, on: datetime.date) -> None:
    problem = assessment_date_problem(employee, on)
    if problem:
        raise ValidationError({"assessed_on": problem})


def current_agreed(employee: Employee, competency: Competency) -> Assessment | None:
    """The agreed rating in force: the latest by date, then by entry."""
    return (
        Assessment.objects.filter(
            employee=employee, competency=competency, kind=Assessment.Kind.AGREED
        )
        .order_by("-assessed_on", "-created_at", "-pk")
        .first()
    )


def refuse_rewriting_agreed(employee: Employee, competency: Competency) -> None:
    """An agreed level changes only by a new agreement of both parties (`propose_agreed_change`)."""
    agreed = current_agreed(employee, competency)
    if agreed is not None:
        raise ValidationError(
            {
                "kind": f"{employee.full_name}'s level in {competency.name} was agreed at "
                f"{agreed.level} on {agreed.assessed_on:%d %b %Y}; to change it, propose a "
                "change with a reason for the other party to agree."
            },
            code="agreed",
        )


def allowed_assessment_kinds(user: AnyUser, employee: Employee) -> frozenset[str]:
    """The kinds of assessment `user` may record for `employee` (who must be visible to them).

    Coordinators and admins: any kind. Everyone: 'self' on their own record. Line
    managers: 'manager' and 'agreed' for the other employees in their units.
    """
    if not user.is_authenticated:
        return frozenset()
    if can_administer_people(user):
        return ALL_KINDS
    if employee.pk == own_employee_id(user):
        return frozenset({Assessment.Kind.SELF})
    if user.role == Role.LINE_MANAGER:
        # Visible to a line manager and not themselves means: in their unit or below.
        return MANAGER_KINDS
    return frozenset()


@transaction.atomic
def record_assessment(
    *,
    acting_user: User,
    employee: Employee,
    competency: Competency,
    kind: str,
    level: int,
    assessed_on: datetime.date,
    note: str = "",
) -> Assessment:
    """Add one dated assessment row (history is never overwritten).

    Raises Http404 if `employee` is outside the user's scope, PermissionDenied if the
    user may not record this kind for them, ValidationError for a level off the scale.
    """
    if not visible_employees(acting_user).filter(pk=employee.pk).exists():
        raise Http404("No such employee.")
    if kind not in ALL_KINDS:
        choices = ", ".join(k.value for k in Assessment.Kind)
        raise ValidationError({"kind": f"kind '{kind}' is not one of: {choices}"})
    if kind not in allowed_assessment_kinds(acting_user, employee):
        raise PermissionDenied(
            f"You may not record a '{kind}' assessment for {employee.full_name}."
        )
    if competency.kind == Competency.Kind.GROUP:
        raise ValidationError(
            {
                "competency": f"'{competency.name}' is a group of competencies; "
                "assess one of the competencies in it"
            }
        )
    try:
        competency.framework.scale.check_level(level)
    except ValidationError as exc:
        raise ValidationError({"level": exc.messages}) from exc
    check_assessment_date(employee, assessed_on)
    if kind == Assessment.Kind.AGREED:
        refuse_rewriting_agreed(employee, competency)
    return Assessment.objects.create(
        employee=employee,
        competency=competency,
        kind=kind,
        level=level,
        assessed_on=assessed_on,
        assessed_by=acting_user,
        note=note.strip(),
    )


def _employee_url(employee_id: int) -> str:
    return reverse("people:employee-detail", kwargs={"employee_id": employee_id})


def _is_the_person(user: User, employee: Employee) -> bool:
    return employee.pk == own_employee_id(user)


def _speaks_for_the_manager(user: User, employee: Employee) -> bool:
    return Assessment.Kind.MANAGER in allowed_assessment_kinds(user, employee) and not (
        _is_the_person(user, employee)
    )


def may_answer_agreed_change(user: AnyUser, change: AgreedLevelChange) -> bool:
    """The other party answers: the person when their manager proposed, a manager of theirs
    (or a coordinator) when they proposed; never the proposer. A person with no log-in is
    answered for by a coordinator."""
    if not user.is_authenticated or change.status != AgreedLevelChange.Status.PROPOSED:
        return False
    if user.pk == change.proposed_by_id:
        return False
    employee = change.employee
    if change.proposed_by_id is not None and change.proposed_by_id == employee.user_id:
        return _speaks_for_the_manager(user, employee)
    if employee.user_id is not None:
        return user.pk == employee.user_id
    return can_administer_people(user)


def may_propose_agreed_change(user: AnyUser, employee: Employee) -> bool:
    if not user.is_authenticated:
        return False
    return _is_the_person(user, employee) or _speaks_for_the_manager(user, employee)


@transaction.atomic
def propose_agreed_change(
    *,
    acting_user: User,
    employee: Employee,
    competency: Competency,
    to_level: int,
    reason: str,
) -> AgreedLevelChange:
    """Ask the other party to agree a new level for an agreed competency, with a reason."""
    if not visible_employees(acting_user).filter(pk=employee.pk).exists():
        raise Http404("No such employee.")
    if not may_propose_agreed_change(acting_user, employee):
        raise PermissionDenied(
            f"Only {employee.full_name} or their manager may propose a change to an agreed level."
        )
    agreed = current_agreed(employee, competency)
    errors: dict[str, str] = {}
    if agreed is None:
        errors["competency"] = f"No level of {competency.name} has been agreed yet."
    try:
        competency.framework.scale.check_level(to_level)
    except ValidationError as exc:
        errors["to_level"] = exc.messages[0]
    if agreed is not None and "to_level" not in errors and to_level == agreed.level:
        errors["to_level"] = f"{to_level} is already the agreed level."
    reason = reason.strip()
    if len(reason) < 10:
        errors["reason"] = "Say why the agreed level should change (at least 10 characters)."
    if AgreedLevelChange.objects.filter(
        employee=employee, competency=competency, status=AgreedLevelChange.Status.PROPOSED
    ).exists():
        errors["competency"] = f"A change to {competency.name} is already waiting for an answer."
    if errors:
        raise ValidationError(errors)
    assert agreed is not None
    change = AgreedLevelChange.objects.create(
        employee=employee,
        competency=competency,
        from_level=agreed.level,
        to_level=to_level,
        reason=reason,
        proposed_by=acting_user,
    )
    for user in _answerers(change):
        notify(
            recipient=user,
            message=f"{acting_user} proposes changing {employee.full_name}'s agreed level in "
            f"{competency.name} from {agreed.level} to {to_level}: please agree or decline.",
            url=_employee_url(employee.pk),
        )
    return change


def _answerers(change: AgreedLevelChange) -> list[User]:
    employee = change.employee
    if change.proposed_by_id == employee.user_id:
        manager = employee.manager
        if manager is not None and manager.user_id is not None and manager.user is not None:
            return [manager.user]
        return list(User.objects.filter(role=Role.COORDINATOR, is_active=True)[:20])
    if employee.user is not None:
        return [employee.user]
    return list(User.objects.filter(role=Role.COORDINATOR, is_active=True)[:20])


@transaction.atomic
def answer_agreed_change(
    *, acting_user: User, change: AgreedLevelChange, agree: bool, note: str = ""
) -> AgreedLevelChange:
    """The other party agrees (a new agreed rating is written, dated today) or declines."""
    change = AgreedLevelChange.objects.select_for_update().get(pk=change.pk)
    if not visible_employees(acting_user).filter(pk=change.employee_id).exists():
        raise Http404("No such employee.")
    if change.status != AgreedLevelChange.Status.PROPOSED:
        raise ValidationError(f"This change was already {change.get_status_display().lower()}.")
    if not may_answer_agreed_change(acting_user, change):
        raise PermissionDenied("Only the other party may answer a proposed change.")
    change.answered_by = acting_user
    change.answered_at = timezone.now()
    change.answer_note = note.strip()
    if agree:
        proposer = change.proposed_by
        change.assessment = Assessment.objects.create(
            employee=change.employee,
            competency=change.competency,
            kind=Assessment.Kind.AGREED,
            level=change.to_level,
            assessed_on=timezone.localdate(),
            assessed_by=acting_user,
            note=f"Changed from {change.from_level} by agreement of {proposer} and "
            f"{acting_user}: {change.reason}",
        )
        change.status = AgreedLevelChange.Status.CONFIRMED
    else:
        change.status = AgreedLevelChange.Status.DECLINED
    change.save()
    if change.proposed_by is not None:
        verb = "agreed" if agree else "declined"
        notify(
            recipient=change.proposed_by,
            message=f"{acting_user} {verb} the change of {change.employee.full_name}'s level in "
            f"{change.competency.name} to {change.to_level}.",
            url=_employee_url(change.employee_id),
        )
    return change


@transaction.atomic
def withdraw_agreed_change(*, acting_user: User, change: AgreedLevelChange) -> AgreedLevelChange:
    if change.proposed_by_id != acting_user.pk:
        raise PermissionDenied("Only the person who proposed a change may withdraw it.")
    if change.status != AgreedLevelChange.Status.PROPOSED:
        raise ValidationError(f"This change was already {change.get_status_display().lower()}.")
    change.status = AgreedLevelChange.Status.WITHDRAWN
    change.answered_at = timezone.now()
    change.save(update_fields=["status", "answered_at"])
    return change
