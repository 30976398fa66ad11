"""Writes for job profiles and their competency requirements.

Every function checks that the user may edit frameworks, runs in one transaction and
raises ValidationError (with a message naming the object and the fix) or PermissionDenied.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404

from milepost.accounts.access import AnyUser, can_edit_frameworks, require
from milepost.frameworks.models import (
    Competency,
    Importance,
    JobProfile,
    JobProfileRequirement,
    Source,
)
from milepost.lib.signals import mark_structure_changed

EDIT_DENIED = "Only an admin or an L&D coordinator can change job profiles."


@dataclass(frozen=True)
class RequirementSpec:
    """One requirement as entered: which competency, at which level, how much it matters."""

    competency: Competency
    required_level: int
    importance: int = Importance.MODERATE
    essential: bool = True


def require_editor(user: AnyUser) -> None:
    require(can_edit_frameworks(user), EDIT_DENIED)


def _clean_lines(text: str) -> str:
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _check_profile_fields(*, code: str, title: str, exclude_pk: int | None = None) -> None:
    errors: dict[str, str] = {}
    if not code:
        errors["code"] = "Give the job profile a code, e.g. 'CLAIMS-HANDLER'."
    if not title:
        errors["title"] = "Give the job profile a title."
    if code:
        others = JobProfile.objects.filter(code__iexact=code)
        if exclude_pk is not None:
            others = others.exclude(pk=exclude_pk)
        clash = others.first()
        if clash is not None:
            errors["code"] = (
                f"Code '{code}' is already used by job profile '{clash.title}'. "
                "Choose another code."
            )
    if errors:
        raise ValidationError(errors)


def _check_requirement(spec: RequirementSpec) -> None:
    """The level must be on the competency's framework scale; importance must be 1-5."""
    competency = spec.competency
    scale = competency.framework.scale
    if not scale.min_level <= spec.required_level <= scale.max_level:
        raise ValidationError(
            f"'{competency.name}': required level {spec.required_level} is not on scale "
            f"'{scale.name}' ({scale.min_level}-{scale.max_level}) of framework "
            f"'{competency.framework.name}'. Pick a level from {scale.min_level} "
            f"to {scale.max_level}."
        )
    if spec.importance not in Importance.values:
        raise ValidationError(
            f"'{competency.name}': importance {spec.importance} is not valid; "
            "use 1 (minimal) to 5 (critical)."
        )


def _replace_requirements(job_profile: JobProfile, specs: Sequence[RequirementSpec]) -> None:
    errors: list[str] = []
    seen: set[int] = set()
    for spec in specs:
        if spec.competency.pk in seen:
            errors.append(
                f"'{spec.competency.name}' is listed more than once. Keep one row for it."
            )
            continue
        seen.add(spec.competency.pk)
        try:
            _check_requirement(spec)
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError({"requirements": errors})
    existing = {req.competency_id: req for req in job_profile.requirements.all()}
    JobProfileRequirement.objects.filter(job_profile=job_profile).exclude(
        competency_id__in=seen
    ).delete()
    to_create, to_update = [], []
    for spec in specs:
        requirement = existing.get(spec.competency.pk)
        if requirement is None:
            to_create.append(
                JobProfileRequirement(
                    job_profile=job_profile,
                    competency=spec.competency,
                    required_level=spec.required_level,
                    importance=spec.importance,
                    essential=spec.essential,
                )
            )
        else:
            requirement.required_level = spec.required_level
            requirement.importance = spec.importance
            requirement.essential = spec.essential
            to_update.append(requirement)
    JobProfileRequirement.objects.bulk_create(to_create)
    JobProfileRequirement.objects.bulk_update(
        to_update, ["required_level", "importance", "essential"]
    )
    mark_structure_changed()  # bulk writes send no signals: the gap engines reload


@transaction.atomic
def create_job_profile(
    *,
    acting_user: AnyUser,
    code: str,
    title: str,
    description: str = "",
    alt_titles: str = "",
    is_active: bool = True,
    source: str = Source.CUSTOM,
    requirements: Sequence[RequirementSpec] = (),
) -> JobProfile:
    """Create a job profile, optionally with its requirements."""
    require_editor(acting_user)
    code, title = code.strip(), title.strip()
    _check_profile_fields(code=code, title=title)
    job_profile = JobProfile.objects.create(
        code=code,
        title=title,
        description=description.strip(),
        alt_titles=_clean_lines(alt_titles),
        is_active=is_active,
        source=source,
    )
    if requirements:
        _replace_requirements(job_profile, requirements)
    return job_profile


@transaction.atomic
def update_job_profile(
    *,
    acting_user: AnyUser,
    job_profile: JobProfile,
    code: str | None = None,
    title: str | None = None,
    description: str | None = None,
    alt_titles: str | None = None,
    is_active: bool | None = None,
    requirements: Sequence[RequirementSpec] | None = None,
) -> JobProfile:
    """Change the given fields; when `requirements` is given it replaces the whole set."""
    require_editor(acting_user)
    if code is not None:
        job_profile.code = code.strip()
    if title is not None:
        job_profile.title = title.strip()
    if description is not None:
        job_profile.description = description.strip()
    if alt_titles is not None:
        job_profile.alt_titles = _clean_lines(alt_titles)
    if is_active is not None:
        job_profile.is_active = is_active
    _check_profile_fields(code=job_profile.code, title=job_profile.title, exclude_pk=job_profile.pk)
    job_profile.save()
    if requirements is not None:
        _replace_requirements(job_profile, requirements)
    return job_profile


@transaction.atomic
def add_requirement(
    *,
    acting_user: AnyUser,
    job_profile: JobProfile,
    competency: Competency,
    required_level: int,
    importance: int = Importance.MODERATE,
    essential: bool = True,
) -> JobProfileRequirement:
    """Add one requirement; refuses a competency the profile already requires."""
    require_editor(acting_user)
    if job_profile.requirements.filter(competency=competency).exists():
        raise ValidationError(
            f"Job profile '{job_profile.title}' already requires '{competency.name}'. "
            "Change that requirement instead of adding it again."
        )
    spec = RequirementSpec(competency, required_level, importance, essential)
    _check_requirement(spec)
    return JobProfileRequirement.objects.create(
        job_profile=job_profile,
        competency=competency,
        required_level=required_level,
        importance=importance,
        essential=essential,
    )


@transaction.atomic
def set_requirement(
    *,
    acting_user: AnyUser,
    job_profile: JobProfile,
    competency: Competency,
    required_level: int,
    importance: int = Importance.MODERATE,
    essential: bool = True,
) -> JobProfileRequirement:
    """Add or change the requirement of `competency` on `job_profile`."""
    require_editor(acting_user)
    _check_requirement(RequirementSpec(competency, required_level, importance, essential))
    requirement, _ = JobProfileRequirement.objects.update_or_create(
        job_profile=job_profile,
        competency=competency,
        defaults={
            "required_level": required_level,
            "importance": importance,
            "essential": essential,
        },
    )
    return requirement


@transaction.atomic
def remove_requirement(
    *, acting_user: AnyUser, job_profile: JobProfile, competency: Competency
) -> None:
    """Stop requiring `competency` on `job_profile`."""
    require_editor(acting_user)
    deleted, _ = JobProfileRequirement.objects.filter(
        job_profile=job_profile, competency=competency
    ).delete()
    if not deleted:
        raise Http404(f"Job profile '{job_profile.title}' does not require '{competency.name}'.")
