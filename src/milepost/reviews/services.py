from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from milepost.accounts.access import AnyUser, can_administer_people, own_employee_id, require
from milepost.accounts.models import OrgUnit, User
from milepost.accounts.services import notify, notify_many
from milepost.frameworks.models import Competency, JobProfile, JobProfileRequirement
from milepost.people.models import Assessment, Employee
from milepost.people.selectors import visible_employees
from milepost.people.services import (
    ALL_KINDS,
    MANAGER_KINDS,
    allowed_assessment_kinds,
    check_assessment_date,
)
from milepost.reviews.models import DevelopmentPlanItem, Objective, ReviewCycle, ReviewParticipant

# --- review cycles ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Rating:
    """One competency's level and comment in a review submission."""

    competency_id: int
    level: int
    comment: str = ""


# Which timestamp each kind of submission sets on the participant.
STEP_FIELD = {
    Assessment.Kind.SELF: "self_submitted_at",
    Assessment.Kind.MANAGER: "manager_submitted_at",
    Assessment.Kind.AGREED: "agreed_at",
}


def cycle_participants_for(
    *, units: Iterable[OrgUnit], job_profiles: Iterable[JobProfile]
) -> QuerySet[Employee]:
    """Active employees in the units (with the units below) and/or holding the profiles.

    Both given: employees matching both. Only employees whose profile has requirements can
    be reviewed against it, so the others are left out.
    """
    employees = Employee.objects.filter(
        is_active=True, job_profile__isnull=False, job_profile__requirements__isnull=False
    )
    unit_list, profile_list = list(units), list(job_profiles)
    if unit_list:
        in_units = Q()
        for unit in unit_list:
            in_units |= Q(unit__path__startswith=unit.path)
        employees = employees.filter(in_units)
    if profile_list:
        employees = employees.filter(job_profile__in=profile_list)
    return employees.distinct()


@transaction.atomic
def open_review_cycle(
    *,
    acting_user: User,
    name: str,
    opens_on: datetime.date,
    self_assessment_due: datetime.date,
    manager_assessment_due: datetime.date,
    closes_on: datetime.date,
    units: Iterable[OrgUnit] = (),
    job_profiles: Iterable[JobProfile] = (),
    description: str = "",
) -> ReviewCycle:
    """Open a review cycle and enrol everyone it covers, with the profile they hold now.

    Raises PermissionDenied unless the user administers people, ValidationError for dates out
    of order, a name in use, no scope chosen, or a scope with nobody to review.
    """
    require(can_administer_people(acting_user), "Only L&D coordinators open review cycles.")
    unit_list, profile_list = list(units), list(job_profiles)
    name = name.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Give the cycle a name, e.g. '2027 annual review'."
    elif ReviewCycle.objects.filter(name__iexact=name).exists():
        errors["name"] = f"A review cycle named '{name}' already exists."
    steps = [
        ("opens_on", opens_on),
        ("self_assessment_due", self_assessment_due),
        ("manager_assessment_due", manager_assessment_due),
        ("closes_on", closes_on),
    ]
    for (earlier, first), (later, second) in itertools.pairwise(steps):
        if second < first:
            label = later.replace("_", " ")
            errors[later] = f"{label} ({second:%Y-%m-%d}) is before {earlier.replace('_', ' ')}"
    if not unit_list and not profile_list:
        errors["units"] = "Choose at least one unit or job profile to review."
    if errors:
        raise ValidationError(errors)
    employees = list(
        cycle_participants_for(units=unit_list, job_profiles=profile_list).values_list(
            "pk", "job_profile_id"
        )
    )
    if not employees:
        scope = ", ".join([u.name for u in unit_list] + [p.title for p in profile_list])
        raise ValidationError(
            {
                "units": f"Nobody to review in {scope}: no active employee there holds a job "
                "profile with competency requirements."
            }
        )
    cycle = ReviewCycle.objects.create(
        name=name,
        description=description.strip(),
        opens_on=opens_on,
        self_assessment_due=self_assessment_due,
        manager_assessment_due=manager_assessment_due,
        closes_on=closes_on,
        created_by=acting_user,
    )
    cycle.units.set(unit_list)
    cycle.job_profiles.set(profile_list)
    participants = ReviewParticipant.objects.bulk_create(
        ReviewParticipant(cycle=cycle, employee_id=pk, job_profile_id=profile_id)
        for pk, profile_id in employees
    )
    logins = dict(
        Employee.objects.filter(pk__in=[pk for pk, _ in employees], user__isnull=False).values_list(
            "pk", "user_id"
        )
    )
    notify_many(
        (
            logins[participant.employee_id],
            f"{cycle.name} is open: please self-assess by {_day(cycle.self_assessment_due)}.",
            _review_url(participant),
        )
        for participant in participants
        if participant.employee_id in logins
    )
    return cycle


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _review_url(participant: ReviewParticipant) -> str:
    return reverse("reviews:review", args=[participant.pk])


@transaction.atomic
def close_review_cycle(*, acting_user: User, cycle: ReviewCycle) -> ReviewCycle:
    """Close a cycle: no more ratings are taken in it. Its assessments stay."""
    require(can_administer_people(acting_user), "Only L&D coordinators close review cycles.")
    if not cycle.is_open:
        raise ValidationError(f"The review cycle '{cycle.name}' is already closed.")
    cycle.status = ReviewCycle.Status.CLOSED
    cycle.closed_at = timezone.now()
    cycle.save(update_fields=["status", "closed_at"])
    return cycle


def review_requirements(participant: ReviewParticipant) -> list[JobProfileRequirement]:
    """The competencies a participant is reviewed on: their profile's, as it stands now."""
    return list(
        JobProfileRequirement.objects.filter(job_profile_id=participant.job_profile_id)
        .select_related("competency__framework__scale")
        .order_by("-essential", "-importance", "competency__name")
    )


@transaction.atomic
def submit_review_ratings(
    *,
    acting_user: User,
    participant: ReviewParticipant,
    kind: str,
    ratings: Iterable[Rating],
    assessed_on: datetime.date | None = None,
) -> list[Assessment]:
    """Record a whole self, manager or agreed rating of a participant, one row a competency.

    Every competency of the participant's job profile must be rated, and nothing else; an
    agreement needs the self and manager ratings first. All or nothing: one bad rating and
    nothing is written. Raises Http404 out of scope, PermissionDenied for a kind the user may
    not give, ValidationError naming the competency otherwise.
    """
    employee = participant.employee
    if not visible_employees(acting_user).filter(pk=employee.pk).exists():
        raise Http404("No such review.")
    if kind not in ALL_KINDS:
        choices = ", ".join(k.value for k in Assessment.Kind)
        raise ValidationError({"kind": f"kind '{kind}' is not one of: {choices}"})
    if kind not in allowed_assessment_kinds(acting_user, employee):
        raise PermissionDenied(
            f"You may not give a '{kind}' rating in {employee.full_name}'s review."
        )
    cycle = participant.cycle
    if not cycle.is_open:
        raise ValidationError(f"The review cycle '{cycle.name}' is closed.")
    if participant.agreed_at is not None:
        raise ValidationError(
            f"{employee.full_name}'s review was agreed on {participant.agreed_at:%d %b %Y}; its "
            "ratings no longer change. To change an agreed level, propose a change with a "
            f"reason on {employee.full_name}'s page for the other party to agree.",
            code="agreed",
        )
    if kind == Assessment.Kind.AGREED:
        missing = [
            label
            for label, done in (
                ("self-assessment", participant.self_submitted_at),
                ("manager's assessment", participant.manager_submitted_at),
            )
            if not done
        ]
        if missing:
            raise ValidationError(
                f"{employee.full_name}'s {' and '.join(missing)} must be in before a level "
                "is agreed."
            )
    requirements = {r.competency_id: r for r in review_requirements(participant)}
    rating_list = list(ratings)
    errors: list[str] = []
    seen: set[int] = set()
    for rating in rating_list:
        requirement = requirements.get(rating.competency_id)
        if requirement is None:
            name = (
                Competency.objects.filter(pk=rating.competency_id)
                .values_list("name", flat=True)
                .first()
            )
            label = f"'{name}'" if name else f"id {rating.competency_id}"
            errors.append(
                f"competency {label} is not on the job profile "
                f"'{participant.job_profile.title}' this review is against"
            )
            continue
        if rating.competency_id in seen:
            errors.append(f"'{requirement.competency.name}' is rated twice")
        seen.add(rating.competency_id)
        try:
            requirement.competency.framework.scale.check_level(rating.level)
        except ValidationError as exc:
            errors.append(f"{requirement.competency.name}: {exc.messages[0]}")
    unrated = [r.competency.name for pk, r in requirements.items() if pk not in seen]
    if unrated:
        errors.append(f"rate every competency; missing: {', '.join(unrated)}")
    if errors:
        raise ValidationError(errors)
    on = assessed_on or timezone.localdate()
    check_assessment_date(employee, on)
    if on < cycle.opens_on:
        raise ValidationError(
            {
                "assessed_on": f"assessment date {on:%Y-%m-%d} is before the cycle opened "
                f"({cycle.opens_on:%Y-%m-%d})"
            }
        )
    rows = Assessment.objects.bulk_create(
        Assessment(
            employee=employee,
            competency_id=rating.competency_id,
            kind=kind,
            level=rating.level,
            assessed_on=on,
            assessed_by=acting_user,
            note=rating.comment.strip(),
            source=Assessment.Source.REVIEW,
            cycle=cycle,
        )
        for rating in rating_list
    )
    setattr(participant, STEP_FIELD[Assessment.Kind(kind)], timezone.now())
    participant.save(update_fields=[STEP_FIELD[Assessment.Kind(kind)]])
    _tell_the_other_side(acting_user=acting_user, participant=participant, kind=kind)
    return rows


def _tell_the_other_side(*, acting_user: User, participant: ReviewParticipant, kind: str) -> None:
    """After a step, the inbox of whoever acts next (never the person who just acted)."""
    employee, cycle = participant.employee, participant.cycle
    manager_login = employee.manager.user if employee.manager else None
    url = _review_url(participant)
    if kind == Assessment.Kind.SELF and manager_login and manager_login != acting_user:
        notify(
            recipient=manager_login,
            message=f"{employee.full_name} has self-assessed in {cycle.name}: your assessment "
            f"is due by {_day(cycle.manager_assessment_due)}.",
            url=url,
        )
    elif kind != Assessment.Kind.SELF and employee.user and employee.user != acting_user:
        message = (
            f"Your agreed levels in {cycle.name} are recorded."
            if kind == Assessment.Kind.AGREED
            else f"Your manager has assessed you in {cycle.name}; next you agree the levels."
        )
        notify(recipient=employee.user, message=message, url=url)


@transaction.atomic
def send_review_reminders(*, acting_user: User, cycle: ReviewCycle, today: datetime.date) -> int:
    """Remind everyone whose step is overdue: employees to self-assess, managers to assess.

    Returns how many reminders went out. Only coordinators send them.
    """
    require(can_administer_people(acting_user), "Only L&D coordinators send review reminders.")
    if not cycle.is_open:
        raise ValidationError(f"The review cycle '{cycle.name}' is closed.")
    waiting = cycle.participants.filter(agreed_at__isnull=True).select_related(
        "employee__user", "employee__manager__user"
    )
    messages: list[tuple[User | int, str, str]] = []
    if cycle.self_assessment_due < today:
        for participant in waiting.filter(self_submitted_at__isnull=True):
            if participant.employee.user_id:
                messages.append(
                    (
                        participant.employee.user_id,
                        f"Reminder: your self-assessment in {cycle.name} was due on "
                        f"{_day(cycle.self_assessment_due)}.",
                        _review_url(participant),
                    )
                )
    if cycle.manager_assessment_due < today:
        for participant in waiting.filter(manager_submitted_at__isnull=True):
            manager = participant.employee.manager
            if manager is not None and manager.user_id:
                messages.append(
                    (
                        manager.user_id,
                        f"Reminder: your assessment of {participant.employee.full_name} in "
                        f"{cycle.name} was due on {_day(cycle.manager_assessment_due)}.",
                        _review_url(participant),
                    )
                )
    return notify_many(messages)


# --- objectives and development plans --------------------------------------------------------


def can_plan_for(user: AnyUser, employee: Employee) -> bool:
    """Who may set objectives and plan development: coordinators, the employee's line
    managers, and (for their own development plan) the employee."""
    return bool(allowed_assessment_kinds(user, employee) & MANAGER_KINDS)


def _check_visible(user: User, employee: Employee) -> None:
    if not visible_employees(user).filter(pk=employee.pk).exists():
        raise Http404("No such employee.")


def _require_own_or_planner(user: User, employee: Employee, message: str) -> None:
    """The employee themselves, or someone who plans for them (404 if not visible at all)."""
    _check_visible(user, employee)
    require(employee.pk == own_employee_id(user) or can_plan_for(user, employee), message)


def _check_percent(field: str, value: int, what: str) -> None:
    if not 0 <= value <= 100:
        raise ValidationError({field: f"{what} must be between 0 and 100 (got {value})"})


@transaction.atomic
def add_objective(
    *,
    acting_user: User,
    employee: Employee,
    title: str,
    weight: int,
    cycle: ReviewCycle | None = None,
    description: str = "",
    due_on: datetime.date | None = None,
) -> Objective:
    """Set an objective; the active objectives of one employee and cycle weigh 100 % at most."""
    _check_visible(acting_user, employee)
    require(
        can_plan_for(acting_user, employee),
        f"Only {employee.full_name}'s manager or an L&D coordinator sets their objectives.",
    )
    title = title.strip()
    if not title:
        raise ValidationError({"title": "An objective needs a title."})
    _check_percent("weight", weight, "weight")
    if weight == 0:
        raise ValidationError({"weight": "weight must be above 0 %"})
    others = Objective.objects.filter(employee=employee, cycle=cycle).exclude(
        status=Objective.Status.DROPPED
    )
    used = sum(others.values_list("weight", flat=True))
    if used + weight > 100:
        raise ValidationError(
            {
                "weight": f"{employee.full_name}'s objectives already weigh {used} %: "
                f"{weight} % more would make {used + weight} % (at most 100 %)"
            }
        )
    return Objective.objects.create(
        employee=employee,
        cycle=cycle,
        title=title,
        description=description.strip(),
        weight=weight,
        due_on=due_on,
        created_by=acting_user,
    )


@transaction.atomic
def update_objective_progress(
    *, acting_user: User, objective: Objective, progress: int, status: str | None = None
) -> Objective:
    """Record progress (0-100 %); the employee may update their own objectives too."""
    employee = objective.employee
    _require_own_or_planner(acting_user, employee, "You may not update this objective.")
    _check_percent("progress", progress, "progress")
    objective.progress = progress
    if status is not None:
        if status not in Objective.Status.values:
            raise ValidationError({"status": f"status '{status}' is not known"})
        objective.status = status
    elif progress == 100:
        objective.status = Objective.Status.ACHIEVED
    objective.save(update_fields=["progress", "status", "updated_at"])
    return objective


@transaction.atomic
def add_development_item(
    *,
    acting_user: User,
    employee: Employee,
    competency: Competency,
    target_level: int,
    action: str,
    cycle: ReviewCycle | None = None,
    due_on: datetime.date | None = None,
) -> DevelopmentPlanItem:
    """Plan development of one competency of the employee's job profile to a target level."""
    _require_own_or_planner(acting_user, employee, "You may not plan this person's development.")
    on_profile = JobProfileRequirement.objects.filter(
        job_profile_id=employee.job_profile_id, competency=competency
    ).exists()
    if not on_profile:
        profile = employee.job_profile.title if employee.job_profile else "no job profile"
        raise ValidationError(
            {
                "competency": f"'{competency.name}' is not on {employee.full_name}'s job profile "
                f"({profile})"
            }
        )
    try:
        competency.framework.scale.check_level(target_level)
    except ValidationError as exc:
        raise ValidationError({"target_level": exc.messages}) from exc
    action = action.strip()
    if not action:
        raise ValidationError({"action": "Say what will be done, e.g. a course or a project."})
    return DevelopmentPlanItem.objects.create(
        employee=employee,
        cycle=cycle,
        competency=competency,
        target_level=target_level,
        action=action,
        due_on=due_on,
        created_by=acting_user,
    )


@transaction.atomic
def set_development_item_status(
    *, acting_user: User, item: DevelopmentPlanItem, status: str
) -> DevelopmentPlanItem:
    employee = item.employee
    _require_own_or_planner(acting_user, employee, "You may not update this plan.")
    if status not in DevelopmentPlanItem.Status.values:
        raise ValidationError({"status": f"status '{status}' is not known"})
    item.status = status
    item.save(update_fields=["status", "updated_at"])
    return item
