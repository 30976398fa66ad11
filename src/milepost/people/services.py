"""Writes for people: competency assessments, review cycles, objectives, development plans."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from milepost.accounts.access import AnyUser, can_administer_people, own_employee_id
from milepost.accounts.models import Role, User
from milepost.frameworks.models import Competency
from milepost.people.models import Assessment, Employee
from milepost.people.selectors import visible_employees

ALL_KINDS = frozenset(Assessment.Kind)
MANAGER_KINDS = frozenset({Assessment.Kind.MANAGER, Assessment.Kind.AGREED})


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
    if assessed_on > timezone.localdate():
        raise ValidationError(
            {"assessed_on": f"assessment date {assessed_on:%Y-%m-%d} is in the future"}
        )
    return Assessment.objects.create(
        employee=employee,
        competency=competency,
        kind=kind,
        level=level,
        assessed_on=assessed_on,
        assessed_by=acting_user,
        note=note.strip(),
    )
