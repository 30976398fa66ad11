"""Personal data rights: one person's data exported, erased (anonymised), retained no longer
than the organisation says (docs/privacy.md).

The site app sits on the top floor, so it reads every app's records about a person: their
employee record and log-in, assessments (of them, and the ones they gave), reviews,
objectives, development plan, proposed changes to agreed levels, needs they raised, status
changes they made, notifications, API tokens (names and dates, never the digest) and log-in
attempts. Erasure keeps every figure (levels, dates, counts, who-is-in-which-unit) so gap
analysis, demand and other people's records stay correct, and removes what identifies or
describes the person in words.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any

from auditlog.context import disable_auditlog
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from milepost.accounts import audit
from milepost.accounts.access import AnyUser, has_role, own_employee_id
from milepost.accounts.models import ApiToken, Notification, Role, User
from milepost.clients.models import (
    Contact,
    Interaction,
    MapReview,
    Stakeholder,
    SurveyResponse,
)
from milepost.clients.services.clients import anonymise_contact
from milepost.needs.models import Need, StatusChange
from milepost.people.models import AgreedLevelChange, Assessment, Employee
from milepost.reviews.models import DevelopmentPlanItem, Objective, ReviewParticipant

PRIVACY_ADMINS = frozenset({Role.ADMIN})
# Never exported, even to the person: secrets and what would let someone act as them.
SECRET_FIELDS = {"password", "digest", "key", "token"}
ERASED_TEXT = "(erased)"


def can_manage_personal_data(user: AnyUser) -> bool:
    """Exports of anyone's data, erasure: administrators only (with the data protection
    officer's request in hand; docs/privacy.md)."""
    return has_role(user, PRIVACY_ADMINS)


def may_export(user: AnyUser, employee: Employee) -> bool:
    """An administrator, or the person themselves."""
    return can_manage_personal_data(user) or own_employee_id(user) == employee.pk


def _rows(queryset: models.QuerySet[Any]) -> list[dict[str, Any]]:
    model = queryset.model
    names = [
        f.attname
        for f in model._meta.concrete_fields
        if f.name not in SECRET_FIELDS and f.attname not in SECRET_FIELDS
    ]
    return list(queryset.order_by("pk").values(*names))


def personal_data(
    employee: Employee | None, user: User | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Everything Milepost holds about `employee` and their log-in (or, for a log-in with no
    employee record, about `user`), table by table."""
    tables: dict[str, list[dict[str, Any]]] = {}
    if employee is not None:
        user = employee.user
        tables = {
            "employee": _rows(Employee.objects.filter(pk=employee.pk)),
            "assessments": _rows(Assessment.objects.filter(employee=employee)),
            "agreed_level_changes": _rows(AgreedLevelChange.objects.filter(employee=employee)),
            "reviews": _rows(ReviewParticipant.objects.filter(employee=employee)),
            "objectives": _rows(Objective.objects.filter(employee=employee)),
            "development_plan": _rows(DevelopmentPlanItem.objects.filter(employee=employee)),
        }
    if user is not None:
        tables.update(
            {
                "login": _rows(User.objects.filter(pk=user.pk)),
                "ratings_given": _rows(
                    Assessment.objects.filter(assessed_by=user).exclude(employee=employee)
                    if employee is not None
                    else Assessment.objects.filter(assessed_by=user)
                ),
                "needs_raised": _rows(Need.objects.filter(requester=user)),
                "need_status_changes_made": _rows(StatusChange.objects.filter(changed_by=user)),
                "notifications": _rows(Notification.objects.filter(user=user)),
                "api_tokens": _rows(ApiToken.objects.filter(user=user)),
                "login_attempts": _rows(AccessLog.objects.filter(username=user.get_username())),
                # As a client's contact (employer contacts) and in the clients app's records.
                "client_contact": _rows(Contact.objects.filter(user=user)),
                "stakeholder_entries": _rows(
                    Stakeholder.objects.filter(Q(person=user) | Q(contact__user=user))
                ),
                "stakeholder_map_answers": _rows(MapReview.objects.filter(colleague=user)),
                "survey_answers": _rows(
                    SurveyResponse.objects.filter(invitation__contact__user=user)
                ),
                "client_next_steps_owned": _rows(Interaction.objects.filter(next_step_owner=user)),
            }
        )
    return tables


def _csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {
                    key: value.isoformat() if isinstance(value, datetime.date) else value
                    for key, value in row.items()
                }
            )
    return buffer.getvalue()


def export_zip(employee: Employee | None, user: User | None = None) -> bytes:
    """A ZIP with `personal-data.json` (every table) and one CSV a table, plus a README."""
    tables = personal_data(employee, user)
    who = f"employee {employee.employee_id}" if employee is not None else f"log-in {user}"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "README.txt",
            f"Personal data held by Milepost about {who}, "
            f"exported {timezone.now():%Y-%m-%d %H:%M %Z}.\n"
            "personal-data.json holds every table; each CSV holds one. Secrets (password "
            "hashes, token digests) are never exported.\n",
        )
        archive.writestr(
            "personal-data.json",
            json.dumps(tables, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        )
        for name, rows in tables.items():
            archive.writestr(f"{name}.csv", _csv(rows))
    return buffer.getvalue()


@dataclass
class Erasure:
    employee_id: int
    changed: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        return [f"{name}: {count}" for name, count in self.changed.items() if count]


def _count(report: Erasure, name: str, value: int) -> None:
    report.changed[name] = report.changed.get(name, 0) + value


@transaction.atomic
def erase_person(*, acting_user: AnyUser | None, employee: Employee, reason: str) -> Erasure:
    """Anonymise `employee` and their log-in; keep every figure.

    `acting_user` None means the retention task. Raises PermissionDenied for anyone but an
    administrator, ValidationError without a reason or when already erased.
    """
    if acting_user is not None and not can_manage_personal_data(acting_user):
        raise PermissionDenied("Only an administrator may erase a person's data.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why (a request's reference, or the retention rule)."})
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    if employee.erased_at is not None:
        raise ValidationError(
            f"This person's data was already erased on {employee.erased_at:%d %b %Y}."
        )
    report = Erasure(employee_id=employee.pk)
    user = employee.user
    username = user.get_username() if user is not None else ""
    # The anonymisation records no entry of its own in the audit trail (its "before" values are
    # what is being erased); earlier entries about the person lose theirs, and one entry says
    # that the erasure happened, why, and who did it.
    with disable_auditlog():
        _anonymise(employee, user, report)
    trail = _erase_from_audit_trail(employee, user, username)
    _count(report, "audit trail entries anonymised", trail)
    audit.record_change(employee, changes={"personal data": ("", f"erased: {reason.strip()}")})
    return report


def _anonymise(employee: Employee, user: User | None, report: Erasure) -> None:
    label = f"erased-{employee.pk}"
    employee.employee_id = label
    employee.first_name = "Erased"
    employee.last_name = f"person {employee.pk}"
    employee.email = ""
    employee.job_title = ""
    employee.user = None
    # is_active stays: a leaver is counted as before, and so is someone still employed.
    employee.erased_at = timezone.now()
    employee.save()
    _count(report, "employee record anonymised", 1)
    # Levels, kinds and dates stay (figures); words about the person go.
    _count(
        report,
        "assessment notes cleared",
        Assessment.objects.filter(employee=employee).exclude(note="").update(note=""),
    )
    _count(
        report,
        "agreed-level changes: reasons cleared",
        AgreedLevelChange.objects.filter(employee=employee).update(
            reason=ERASED_TEXT, answer_note=""
        ),
    )
    _count(
        report,
        "objectives: words cleared",
        Objective.objects.filter(employee=employee).update(title=ERASED_TEXT, description=""),
    )
    _count(
        report,
        "development plan: actions cleared",
        DevelopmentPlanItem.objects.filter(employee=employee).update(action=ERASED_TEXT),
    )
    if user is not None:
        _erase_login(user, report)


# What the audit trail may hold in words about a person, by the records it is about.
PERSONAL_FIELDS = {
    "employee_id",
    "first_name",
    "last_name",
    "email",
    "job_title",
    "username",
    "note",
    "reason",
    "answer_note",
    "title",
    "description",
    "action",
}


def _erase_from_audit_trail(employee: Employee, user: User | None, username: str) -> int:
    about: dict[type[models.Model], Any] = {
        Employee: [employee.pk],
        Assessment: Assessment.objects.filter(employee=employee).values_list("pk", flat=True),
        AgreedLevelChange: AgreedLevelChange.objects.filter(employee=employee).values_list(
            "pk", flat=True
        ),
        ReviewParticipant: ReviewParticipant.objects.filter(employee=employee).values_list(
            "pk", flat=True
        ),
        Objective: Objective.objects.filter(employee=employee).values_list("pk", flat=True),
        DevelopmentPlanItem: DevelopmentPlanItem.objects.filter(employee=employee).values_list(
            "pk", flat=True
        ),
    }
    if user is not None:
        about[User] = [user.pk]
    changed = audit.erase_from_trail(
        objects=about, fields=PERSONAL_FIELDS, user=user, username=username
    )
    if user is not None:
        # The needs they raised stay, with their words; only the requester's name goes.
        raised = Need.objects.filter(requester=user).values_list("pk", flat=True)
        changed += audit.erase_from_trail(objects={Need: raised}, fields={"requester_name"})
    return changed


def _erase_login(user: User, report: Erasure) -> None:
    username = user.get_username()
    # Needs they raised stay (the demand is the unit's), with the requester anonymised below.
    _count(
        report,
        "needs: requester name cleared",
        Need.objects.filter(requester=user).exclude(requester_name="").update(requester_name=""),
    )
    _count(report, "notifications deleted", Notification.objects.filter(user=user).delete()[0])
    _count(report, "API tokens deleted", ApiToken.objects.filter(user=user).delete()[0])
    devices = TOTPDevice.objects.filter(user=user).delete()[0]
    devices += StaticDevice.objects.filter(user=user).delete()[0]
    _count(report, "second-factor devices deleted", devices)
    attempts = AccessAttempt.objects.filter(username=username).delete()[0]
    attempts += AccessLog.objects.filter(username=username).delete()[0]
    _count(report, "log-in records deleted", attempts)
    contacts = list(Contact.objects.filter(user=user))
    for contact in contacts:
        anonymise_contact(contact)
    _count(report, "client contact anonymised", len(contacts))
    user.username = f"erased-user-{user.pk}"
    user.first_name = ""
    user.last_name = ""
    user.email = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    _count(report, "log-in anonymised", 1)


def leavers_due(today: datetime.date | None = None) -> models.QuerySet[Employee]:
    """Leavers whose data the retention rule says to erase now (none when the rule is off)."""
    days = settings.RETENTION_LEAVER_DAYS
    if not days:
        return Employee.objects.none()
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=days)
    return Employee.objects.filter(
        Q(is_active=False) & Q(erased_at__isnull=True) & Q(left_on__lte=cutoff)
    ).order_by("left_on", "pk")


def apply_retention(today: datetime.date | None = None) -> list[Erasure]:
    """Erase every leaver past the retention period; one transaction a person."""
    days = settings.RETENTION_LEAVER_DAYS
    return [
        erase_person(
            acting_user=None,
            employee=employee,
            reason=f"retention: left {employee.left_on:%Y-%m-%d}, kept {days} days",
        )
        for employee in leavers_due(today)
    ]
