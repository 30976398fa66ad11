"""Tell the cached gap engines when the organisation's structure changes, and answer the
demand board's request for skill gaps (`needs.signals.gap_suggestions_wanted`) and an
engagement's request for figures on its capability causes
(`proposals.signals.capability_figures_wanted`).

An existing employee's new unit, job profile or active flag is logged as an `EmployeeChange`,
which every worker applies incrementally. Other saves and deletes through the ORM (units, job
profiles, requirements; employees added or deleted) bump the structure token: a full reload.
Bulk writes (`bulk_create`, queryset `update`/`delete`, raw SQL) send no signals: code that does
them call `milepost.lib.signals.mark_structure_changed()` afterwards, which sends
`structure_changed`, connected here. New rows added in bulk
are also caught by the staleness check itself (it compares the highest ids); moves only by the
periodic checksum.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_init, post_save

from milepost.accounts.access import can_edit_proposals
from milepost.accounts.models import OrgUnit
from milepost.frameworks.models import JobProfile, JobProfileRequirement
from milepost.insights.models import EmployeeChange
from milepost.lib.sections import Section
from milepost.lib.signals import structure_changed
from milepost.needs.signals import gap_suggestions_wanted
from milepost.people.models import Employee
from milepost.proposals.signals import capability_figures_wanted, proposal_page_sections

# The Employee fields the gap engine reads; a save that changes none of them (a new e-mail
# address, a new manager) keeps the cached engine.
EMPLOYEE_FIELDS = ("unit_id", "job_profile_id", "is_active")


def _remember_employee_fields(sender: Any, instance: Employee, **kwargs: Any) -> None:
    # __dict__, not getattr: reading a deferred field here would cost a query per row.
    instance._gap_fields = tuple(instance.__dict__.get(name) for name in EMPLOYEE_FIELDS)  # type: ignore[attr-defined]


def _employee_saved(
    sender: Any, instance: Employee, created: bool, update_fields: Any = None, **kwargs: Any
) -> None:
    current = tuple(instance.__dict__.get(name) for name in EMPLOYEE_FIELDS)
    before = getattr(instance, "_gap_fields", None)
    instance._gap_fields = current  # type: ignore[attr-defined]
    if created:
        _changed()
    elif before != current:
        EmployeeChange.record(instance.pk)


def _structure_saved(sender: Any, **kwargs: Any) -> None:
    _changed()


def _changed(**kwargs: Any) -> None:
    from milepost.insights.gaps import bump_structure_token

    bump_structure_token()


def _board_suggestions(sender: Any, user: Any, **kwargs: Any) -> list[Any]:
    from milepost.insights.selectors import gap_suggestions

    return gap_suggestions(user)


def _capability_figures(
    sender: Any, user: Any, unit: Any, competency_ids: Any, **kwargs: Any
) -> list[Any]:
    from milepost.insights.selectors.capability import capability_figures

    return capability_figures(user, unit, competency_ids)


def _suggest_link(sender: Any, request: Any, proposal: Any, **kwargs: Any) -> Section | None:
    """'Suggest a solution' on a draft proposal its reader may edit."""
    editable = proposal.is_editable and can_edit_proposals(
        request.user, owner_id=proposal.client.owner_id
    )
    if not editable:
        return None
    return Section("insights/_proposal_suggest_link.html", {"proposal": proposal})


def connect() -> None:
    proposal_page_sections.connect(_suggest_link, dispatch_uid="gaps-proposal-suggest")
    gap_suggestions_wanted.connect(_board_suggestions, dispatch_uid="gaps-board-suggestions")
    capability_figures_wanted.connect(
        _capability_figures, dispatch_uid="gaps-engagement-capability"
    )
    structure_changed.connect(_changed, dispatch_uid="gaps-structure-changed")
    post_init.connect(_remember_employee_fields, sender=Employee, dispatch_uid="gaps-employee-init")
    post_save.connect(_employee_saved, sender=Employee, dispatch_uid="gaps-employee-save")
    for model in (Employee, OrgUnit, JobProfile, JobProfileRequirement):
        post_delete.connect(_structure_saved, sender=model, dispatch_uid=f"gaps-{model.__name__}-d")
    for model in (OrgUnit, JobProfile, JobProfileRequirement):
        post_save.connect(_structure_saved, sender=model, dispatch_uid=f"gaps-{model.__name__}-s")
