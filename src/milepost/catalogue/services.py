"""Writes for the catalogue: courses, qualifications, their outcomes, and training tracks.

Every function checks that the user may edit the catalogue (admin or L&D coordinator), runs in
one transaction and raises ValidationError (keyed by the field it is about, with a message
naming the object and the fix) or PermissionDenied.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from milepost.accounts.access import AnyUser, can_edit_catalogue, require
from milepost.catalogue.models import (
    MAX_PLACES_PER_RUN,
    Course,
    LearningOutcome,
    LevelFramework,
    Modality,
    ProviderKind,
    Qualification,
    Track,
    TrackStep,
)
from milepost.catalogue.printing import mark_booklet_prints_stale
from milepost.frameworks.models import Competency, JobProfile

EDIT_DENIED = "Only an admin or an L&D coordinator can change the catalogue."


class Keep(enum.Enum):
    """`update_course(places_per_run=KEEP)`: leave it; None there means "no limit"."""

    KEEP = "keep"


KEEP = Keep.KEEP


@dataclass(frozen=True)
class OutcomeSpec:
    """One learning outcome as entered: the competency and the level the offer raises it to."""

    competency: Competency
    raises_to_level: int
    description: str = ""


def require_editor(user: AnyUser) -> None:
    require(can_edit_catalogue(user), EDIT_DENIED)


# --- checks shared by courses and qualifications ------------------------------------------


def _check_code_and_title(
    model: type[Course] | type[Qualification] | type[Track],
    *,
    code: str,
    title: str,
    exclude_pk: int | None,
    errors: dict[str, list[str]],
) -> None:
    noun = model._meta.verbose_name
    if not code:
        errors.setdefault("code", []).append(f"Give the {noun} a code, e.g. 'CLM-101'.")
    if not title:
        errors.setdefault("title", []).append(f"Give the {noun} a title.")
    if code:
        others = model.objects.filter(code__iexact=code)
        if exclude_pk is not None:
            others = others.exclude(pk=exclude_pk)
        clash = others.first()
        if clash is not None:
            errors.setdefault("code", []).append(
                f"Code '{code}' is already used by {noun} '{clash.title}'. Choose another code."
            )


def _check_amount(value: Decimal | None, field: str, label: str, errors: dict[str, list[str]]):
    if value is None:
        return
    if value < 0:
        errors.setdefault(field, []).append(f"{label} cannot be negative (got {value}).")


def check_outcome(spec: OutcomeSpec) -> str | None:
    """Why an outcome cannot be recorded, or None: no groups, and a level on the scale."""
    competency = spec.competency
    if competency.kind == Competency.Kind.GROUP:
        return (
            f"'{competency.name}' is a group of competencies and cannot be assessed; "
            "pick one of the competencies inside it."
        )
    scale = competency.framework.scale
    if not scale.min_level <= spec.raises_to_level <= scale.max_level:
        return (
            f"'{competency.name}': level {spec.raises_to_level} is not on scale "
            f"'{scale.name}' ({scale.min_level}-{scale.max_level}) of framework "
            f"'{competency.framework.name}'. Pick a level from {scale.min_level} "
            f"to {scale.max_level}."
        )
    return None


def _check_outcomes(specs: Sequence[OutcomeSpec], errors: dict[str, list[str]]) -> None:
    seen: set[int] = set()
    for spec in specs:
        if spec.competency.pk in seen:
            errors.setdefault("outcomes", []).append(
                f"'{spec.competency.name}' is listed more than once. Keep one row for it."
            )
            continue
        seen.add(spec.competency.pk)
        problem = check_outcome(spec)
        if problem:
            errors.setdefault("outcomes", []).append(problem)


def _replace_outcomes(
    *,
    course: Course | None = None,
    qualification: Qualification | None = None,
    specs: Sequence[OutcomeSpec],
) -> None:
    owner: dict[str, Any] = {"course": course} if course else {"qualification": qualification}
    existing = {o.competency_id: o for o in LearningOutcome.objects.filter(**owner)}
    wanted = {spec.competency.pk for spec in specs}
    LearningOutcome.objects.filter(**owner).exclude(competency_id__in=wanted).delete()
    to_create, to_update = [], []
    for spec in specs:
        outcome = existing.get(spec.competency.pk)
        if outcome is None:
            to_create.append(
                LearningOutcome(
                    **owner,
                    competency=spec.competency,
                    raises_to_level=spec.raises_to_level,
                    description=spec.description.strip(),
                )
            )
        elif (outcome.raises_to_level, outcome.description) != (
            spec.raises_to_level,
            spec.description.strip(),
        ):
            outcome.raises_to_level = spec.raises_to_level
            outcome.description = spec.description.strip()
            to_update.append(outcome)
    LearningOutcome.objects.bulk_create(to_create)
    LearningOutcome.objects.bulk_update(to_update, ["raises_to_level", "description"])
    mark_booklet_prints_stale()  # bulk writes send no signals


def _raise(errors: Mapping[str, list[str]]) -> None:
    if errors:
        raise ValidationError(dict(errors))


# --- courses -----------------------------------------------------------------------------------

COURSE_FIELDS = (
    "code",
    "title",
    "summary",
    "modality",
    "duration_hours",
    "cost_per_person",
    "cost_per_run",
    "places_per_run",
    "provider_kind",
    "provider_name",
    "audience",
    "is_active",
)
# May be set to None on purpose (no limit); the other fields take None as "unchanged".
NULLABLE_COURSE_FIELDS = frozenset({"places_per_run"})


def prerequisite_cycle(
    course_code: str, prerequisite_codes: Mapping[str, Iterable[str]]
) -> list[str]:
    """A chain of course codes leading from `course_code` back to itself, or [] if none.

    `prerequisite_codes` maps a course code to the codes it requires.
    """
    stack: list[tuple[str, list[str]]] = [(course_code, [course_code])]
    visited: set[str] = set()
    while stack:
        current, chain = stack.pop()
        for required in prerequisite_codes.get(current, ()):
            if required == course_code:
                return [*chain, required]
            if required not in visited:
                visited.add(required)
                stack.append((required, [*chain, required]))
    return []


def _prerequisite_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for code, required in Course.prerequisites.through.objects.values_list(
        "from_course__code", "to_course__code"
    ):
        graph.setdefault(code, set()).add(required)
    return graph


def _check_prerequisites(
    course: Course, prerequisites: Sequence[Course], errors: dict[str, list[str]]
) -> None:
    codes = [p.code for p in prerequisites]
    if course.pk and any(p.pk == course.pk for p in prerequisites):
        errors.setdefault("prerequisites", []).append(
            f"'{course.title}' cannot be its own prerequisite."
        )
        return
    graph = _prerequisite_graph()
    graph[course.code] = set(codes)
    cycle = prerequisite_cycle(course.code, graph)
    if cycle:
        errors.setdefault("prerequisites", []).append(
            "Circular prerequisites: " + " requires ".join(f"'{code}'" for code in cycle) + "."
        )


def _set_course_fields(course: Course, fields: Mapping[str, Any], errors: dict[str, list[str]]):
    for name, value in fields.items():
        if value is None and name not in NULLABLE_COURSE_FIELDS:
            continue
        if isinstance(value, str) and name != "summary" and name != "audience":
            value = value.strip()
        setattr(course, name, value)
    if course.modality not in Modality.values:
        errors.setdefault("modality", []).append(
            f"'{course.modality}' is not a modality; use one of {', '.join(Modality.values)}."
        )
    if course.provider_kind not in ProviderKind.values:
        errors.setdefault("provider_kind", []).append(
            f"'{course.provider_kind}' is not a provider kind; use internal or external."
        )
    _check_amount(course.duration_hours, "duration_hours", "The duration", errors)
    _check_amount(course.cost_per_person, "cost_per_person", "The cost per person", errors)
    _check_amount(course.cost_per_run, "cost_per_run", "The cost per run", errors)
    places = course.places_per_run
    if places is not None and not 1 <= places <= MAX_PLACES_PER_RUN:
        errors.setdefault("places_per_run", []).append(
            f"Places per run must be from 1 to {MAX_PLACES_PER_RUN:,} (got {places}); "
            "leave it empty if a run takes any number of people."
        )


def _check_enforced_tracks(course: Course) -> None:
    """Changing a course's prerequisites must not break a track that enforces its order."""
    tracks = Track.objects.filter(enforce_order=True, steps__course=course).distinct()
    problems = [problem for track in tracks for problem in track_order_problems(track)]
    if problems:
        raise ValidationError({"prerequisites": problems})


@transaction.atomic
def create_course(
    *,
    acting_user: AnyUser,
    code: str,
    title: str,
    modality: str,
    summary: str = "",
    duration_hours: Decimal = Decimal("0"),
    cost_per_person: Decimal = Decimal("0"),
    cost_per_run: Decimal = Decimal("0"),
    places_per_run: int | None = None,
    provider_kind: str = ProviderKind.INTERNAL,
    provider_name: str = "",
    audience: str = "",
    is_active: bool = True,
    prerequisites: Sequence[Course] = (),
    outcomes: Sequence[OutcomeSpec] = (),
) -> Course:
    """Add a course with its prerequisites and learning outcomes."""
    require_editor(acting_user)
    course = Course()
    return _save_course(
        course,
        fields={
            "code": code,
            "title": title,
            "summary": summary,
            "modality": modality,
            "duration_hours": duration_hours,
            "cost_per_person": cost_per_person,
            "cost_per_run": cost_per_run,
            "places_per_run": places_per_run,
            "provider_kind": provider_kind,
            "provider_name": provider_name,
            "audience": audience,
            "is_active": is_active,
        },
        prerequisites=prerequisites,
        outcomes=outcomes,
    )


@transaction.atomic
def update_course(
    *,
    acting_user: AnyUser,
    course: Course,
    code: str | None = None,
    title: str | None = None,
    summary: str | None = None,
    modality: str | None = None,
    duration_hours: Decimal | None = None,
    cost_per_person: Decimal | None = None,
    cost_per_run: Decimal | None = None,
    places_per_run: int | Keep | None = KEEP,
    provider_kind: str | None = None,
    provider_name: str | None = None,
    audience: str | None = None,
    is_active: bool | None = None,
    prerequisites: Sequence[Course] | None = None,
    outcomes: Sequence[OutcomeSpec] | None = None,
) -> Course:
    """Change the given fields; `prerequisites` and `outcomes`, when given, replace the set.
    `places_per_run=None` removes the limit; leave it out to keep the course's."""
    require_editor(acting_user)
    places = {} if places_per_run is KEEP else {"places_per_run": places_per_run}
    return _save_course(
        course,
        fields={
            **places,
            "code": code,
            "title": title,
            "summary": summary,
            "modality": modality,
            "duration_hours": duration_hours,
            "cost_per_person": cost_per_person,
            "cost_per_run": cost_per_run,
            "provider_kind": provider_kind,
            "provider_name": provider_name,
            "audience": audience,
            "is_active": is_active,
        },
        prerequisites=prerequisites,
        outcomes=outcomes,
    )


def _save_course(
    course: Course,
    *,
    fields: Mapping[str, Any],
    prerequisites: Sequence[Course] | None,
    outcomes: Sequence[OutcomeSpec] | None,
) -> Course:
    errors: dict[str, list[str]] = {}
    _set_course_fields(course, fields, errors)
    _check_code_and_title(
        Course, code=course.code, title=course.title, exclude_pk=course.pk, errors=errors
    )
    if prerequisites is not None:
        _check_prerequisites(course, prerequisites, errors)
    if outcomes is not None:
        _check_outcomes(outcomes, errors)
    _raise(errors)
    course.save()
    if prerequisites is not None:
        course.prerequisites.set(prerequisites)
        _check_enforced_tracks(course)
    if outcomes is not None:
        _replace_outcomes(course=course, specs=outcomes)
    return course


# --- qualifications ----------------------------------------------------------------------------


@transaction.atomic
def save_qualification(
    *,
    acting_user: AnyUser,
    qualification: Qualification | None = None,
    code: str,
    title: str,
    awarding_body: str,
    level_framework: str,
    level: int,
    summary: str = "",
    credits: int | None = None,
    guided_learning_hours: int | None = None,
    funding_eligible: bool = False,
    funding_note: str = "",
    validity_months: int | None = None,
    renewal: str = "",
    cost_per_person: Decimal = Decimal("0"),
    is_active: bool = True,
    outcomes: Sequence[OutcomeSpec] | None = None,
) -> Qualification:
    """Create a qualification (or replace every field of `qualification`) with its outcomes."""
    require_editor(acting_user)
    qualification = qualification or Qualification()
    code, title, awarding_body = code.strip(), title.strip(), awarding_body.strip()
    errors: dict[str, list[str]] = {}
    _check_code_and_title(
        Qualification, code=code, title=title, exclude_pk=qualification.pk, errors=errors
    )
    if not awarding_body:
        errors["awarding_body"] = ["Name the awarding body, e.g. 'Chartered Insurance Institute'."]
    if level_framework not in LevelFramework.values:
        errors["level_framework"] = [
            f"'{level_framework}' is not a level framework; use RQF or EQF."
        ]
    if not 1 <= level <= 8:
        errors["level"] = [f"Level {level} is not on the {level_framework} scale; use 1 to 8."]
    for field, value in (
        ("credits", credits),
        ("guided_learning_hours", guided_learning_hours),
        ("validity_months", validity_months),
    ):
        if value is not None and value < 0:
            errors[field] = [f"{field.replace('_', ' ').capitalize()} cannot be negative."]
    if validity_months == 0:
        errors["validity_months"] = [
            "A validity of 0 months makes no sense; leave it empty if it does not expire."
        ]
    _check_amount(cost_per_person, "cost_per_person", "The cost per person", errors)
    if outcomes is not None:
        _check_outcomes(outcomes, errors)
    _raise(errors)
    qualification.code = code
    qualification.title = title
    qualification.summary = summary.strip()
    qualification.awarding_body = awarding_body
    qualification.level_framework = level_framework
    qualification.level = level
    qualification.credits = credits
    qualification.guided_learning_hours = guided_learning_hours
    qualification.funding_eligible = funding_eligible
    qualification.funding_note = funding_note.strip()
    qualification.validity_months = validity_months
    qualification.renewal = renewal.strip()
    qualification.cost_per_person = cost_per_person
    qualification.is_active = is_active
    qualification.save()
    if outcomes is not None:
        _replace_outcomes(qualification=qualification, specs=outcomes)
    return qualification


# --- training tracks ---------------------------------------------------------------------------


def track_order_problems(track: Track) -> list[str]:
    """With an enforced order, each course's prerequisites must sit at earlier steps."""
    steps = list(
        track.steps.select_related("course", "qualification").prefetch_related(
            "course__prerequisites"
        )
    )
    position_of: dict[int, int] = {}
    problems = []
    for number, step in enumerate(steps, start=1):
        if step.course is not None:
            for required in step.course.prerequisites.all():
                earlier = position_of.get(required.pk)
                if earlier is None:
                    problems.append(
                        f"Step {number} '{step.course.title}' requires '{required.title}', "
                        f"which must be at an earlier step of track '{track.title}'. "
                        f"Add '{required.title}' before it, or stop enforcing the order."
                    )
            position_of.setdefault(step.course.pk, number)
    return problems


def _check_track_order(track: Track) -> None:
    if track.enforce_order:
        problems = track_order_problems(track)
        if problems:
            raise ValidationError({"steps": problems})


@transaction.atomic
def save_track(
    *,
    acting_user: AnyUser,
    track: Track | None = None,
    code: str,
    title: str,
    description: str = "",
    job_profile: JobProfile | None = None,
    competencies: Sequence[Competency] = (),
    enforce_order: bool = False,
    is_active: bool = True,
) -> Track:
    """Create a track (or replace every field of `track`); its steps are kept."""
    require_editor(acting_user)
    track = track or Track()
    code, title = code.strip(), title.strip()
    errors: dict[str, list[str]] = {}
    _check_code_and_title(Track, code=code, title=title, exclude_pk=track.pk, errors=errors)
    groups = [c.name for c in competencies if c.kind == Competency.Kind.GROUP]
    if groups:
        errors["competencies"] = [
            f"'{name}' is a group of competencies; pick the competencies inside it."
            for name in groups
        ]
    _raise(errors)
    track.code = code
    track.title = title
    track.description = description.strip()
    track.job_profile = job_profile
    track.enforce_order = enforce_order
    track.is_active = is_active
    track.save()
    track.competencies.set(competencies)
    _check_track_order(track)
    return track


@transaction.atomic
def set_track_enforce_order(*, acting_user: AnyUser, track: Track, enforce_order: bool) -> Track:
    """Turn the enforced order on or off; on is refused while a prerequisite comes too late."""
    require_editor(acting_user)
    track.enforce_order = enforce_order
    track.save(update_fields=["enforce_order", "updated_at"])
    _check_track_order(track)
    return track


def _renumber(track: Track, steps: Sequence[TrackStep]) -> None:
    for number, step in enumerate(steps, start=1):
        step.position = number
    TrackStep.objects.bulk_update(steps, ["position"])
    mark_booklet_prints_stale()  # bulk writes send no signals


@transaction.atomic
def add_track_step(
    *,
    acting_user: AnyUser,
    track: Track,
    course: Course | None = None,
    qualification: Qualification | None = None,
    note: str = "",
) -> TrackStep:
    """Append a course or a qualification (exactly one) as the track's last step."""
    require_editor(acting_user)
    if (course is None) == (qualification is None):
        raise ValidationError({"offer": ["Pick one course or one qualification for the step."]})
    offer = course or qualification
    duplicate = track.steps.filter(course=course, qualification=qualification).exists()
    if duplicate:
        raise ValidationError({"offer": [f"'{offer}' is already a step of track '{track.title}'."]})
    last = track.steps.aggregate(last=Max("position"))["last"] or 0
    step = TrackStep.objects.create(
        track=track,
        position=last + 1,
        course=course,
        qualification=qualification,
        note=note.strip(),
    )
    _check_track_order(track)
    return step


@transaction.atomic
def move_track_step(*, acting_user: AnyUser, step: TrackStep, direction: str) -> TrackStep:
    """Swap a step with the one before ('up') or after ('down') it."""
    require_editor(acting_user)
    if direction not in ("up", "down"):
        raise ValidationError({"direction": [f"'{direction}' is not a direction; use up or down."]})
    steps = list(step.track.steps.all())
    index = next(i for i, s in enumerate(steps) if s.pk == step.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(steps):
        steps[index], steps[other] = steps[other], steps[index]
    _renumber(step.track, steps)
    _check_track_order(step.track)
    step.refresh_from_db()
    return step


@transaction.atomic
def remove_track_step(*, acting_user: AnyUser, step: TrackStep) -> None:
    """Remove a step; refused when an enforced order then misses a prerequisite."""
    require_editor(acting_user)
    track = step.track
    step.delete()
    _renumber(track, list(track.steps.all()))
    _check_track_order(track)
