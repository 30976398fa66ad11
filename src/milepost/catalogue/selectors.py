"""Reads for the catalogue.

The catalogue is the training function's offer: every logged-in user may read it, employer
contacts included (editing is checked in services). The selectors still take the user, so a
narrower rule can be added here in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from milepost.accounts.access import AnyUser
from milepost.catalogue.models import Course, LearningOutcome, Qualification, Track, TrackStep


def _outcomes() -> QuerySet[LearningOutcome]:
    return LearningOutcome.objects.select_related("competency__framework__scale").order_by(
        "competency__name", "pk"
    )


def visible_courses(user: AnyUser) -> QuerySet[Course]:
    if not user.is_authenticated:
        return Course.objects.none()
    return Course.objects.all()


def visible_qualifications(user: AnyUser) -> QuerySet[Qualification]:
    if not user.is_authenticated:
        return Qualification.objects.none()
    return Qualification.objects.all()


def visible_tracks(user: AnyUser) -> QuerySet[Track]:
    if not user.is_authenticated:
        return Track.objects.none()
    return Track.objects.all()


def _text(query: str) -> Q:
    words = query.split()
    condition = Q()
    for word in words:
        condition &= Q(code__icontains=word) | Q(title__icontains=word) | Q(summary__icontains=word)
    return condition


def search_courses(
    user: AnyUser,
    *,
    query: str = "",
    modality: str = "",
    provider_kind: str = "",
    competency_id: int | None = None,
    active: bool | None = None,
) -> QuerySet[Course]:
    """Courses matching every filter given, with how many outcomes each has."""
    courses = visible_courses(user)
    if query.strip():
        courses = courses.filter(_text(query))
    if modality:
        courses = courses.filter(modality=modality)
    if provider_kind:
        courses = courses.filter(provider_kind=provider_kind)
    if competency_id is not None:
        courses = courses.filter(
            pk__in=LearningOutcome.objects.filter(competency_id=competency_id).values("course_id")
        )
    if active is not None:
        courses = courses.filter(is_active=active)
    return courses.annotate(outcome_count=Count("outcomes", distinct=True)).order_by(
        "title", "code"
    )


def search_qualifications(
    user: AnyUser,
    *,
    query: str = "",
    level_framework: str = "",
    competency_id: int | None = None,
    active: bool | None = None,
) -> QuerySet[Qualification]:
    qualifications = visible_qualifications(user)
    if query.strip():
        words = Q()
        for word in query.split():
            words &= (
                Q(code__icontains=word)
                | Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(awarding_body__icontains=word)
            )
        qualifications = qualifications.filter(words)
    if level_framework:
        qualifications = qualifications.filter(level_framework=level_framework)
    if competency_id is not None:
        qualifications = qualifications.filter(
            pk__in=LearningOutcome.objects.filter(competency_id=competency_id).values(
                "qualification_id"
            )
        )
    if active is not None:
        qualifications = qualifications.filter(is_active=active)
    return qualifications.annotate(outcome_count=Count("outcomes", distinct=True)).order_by(
        "title", "code"
    )


def get_course(user: AnyUser, pk: int) -> Course:
    """A course with its outcomes (and their scales), prerequisites and the tracks it is in."""
    return get_object_or_404(
        visible_courses(user).prefetch_related(
            Prefetch("outcomes", queryset=_outcomes()),
            Prefetch("prerequisites", queryset=Course.objects.order_by("title")),
            Prefetch("required_for", queryset=Course.objects.order_by("title")),
            Prefetch("track_steps", queryset=TrackStep.objects.select_related("track")),
        ),
        pk=pk,
    )


def get_qualification(user: AnyUser, pk: int) -> Qualification:
    return get_object_or_404(
        visible_qualifications(user).prefetch_related(
            Prefetch("outcomes", queryset=_outcomes()),
            Prefetch("track_steps", queryset=TrackStep.objects.select_related("track")),
        ),
        pk=pk,
    )


def search_tracks(user: AnyUser, *, query: str = "") -> QuerySet[Track]:
    tracks = visible_tracks(user).select_related("job_profile")
    for word in query.split():
        tracks = tracks.filter(
            Q(code__icontains=word) | Q(title__icontains=word) | Q(description__icontains=word)
        )
    return tracks.annotate(step_count=Count("steps", distinct=True)).order_by("title", "code")


def get_track(user: AnyUser, pk: int) -> Track:
    """A track with its steps in order (each with its offer) and target competencies."""
    return get_object_or_404(
        visible_tracks(user)
        .select_related("job_profile")
        .prefetch_related(
            Prefetch(
                "steps",
                queryset=TrackStep.objects.select_related("course", "qualification").order_by(
                    "position", "pk"
                ),
            ),
            "competencies__framework",
        ),
        pk=pk,
    )


def course_choices(user: AnyUser) -> QuerySet[Course]:
    return visible_courses(user).only("pk", "code", "title").order_by("title", "code")


def qualification_choices(user: AnyUser) -> QuerySet[Qualification]:
    return visible_qualifications(user).only("pk", "code", "title").order_by("title", "code")


# --- what the recommendation engine and the needs board read ----------------------------------


@dataclass(frozen=True)
class Offer:
    """An active course or qualification and the levels it raises the asked competencies to."""

    kind: str  # "course" or "qualification"
    pk: int
    code: str
    title: str
    cost_per_person: Decimal
    cost_per_run: Decimal
    duration_hours: Decimal | None  # a qualification's guided learning hours
    modality: str  # "" for qualifications
    levels: dict[int, int] = field(default_factory=dict)  # competency id -> raises to level
    places_per_run: int | None = None  # people one run takes; None: no limit (qualifications)
    taught: int = 0  # competencies it raises in all, asked or not (how broad it is)


def offers_for_competencies(competency_ids: Iterable[int]) -> list[Offer]:
    """Active courses and qualifications with an outcome in any of `competency_ids`.

    Each offer carries only the outcomes in those competencies, and how many competencies it
    raises in all. Courses come before qualifications; each sorted by code, so the result is
    deterministic. Three queries.
    """
    ids = sorted(set(competency_ids))
    if not ids:
        return []
    outcomes = LearningOutcome.objects.filter(competency_id__in=ids).filter(
        Q(course__is_active=True) | Q(qualification__is_active=True)
    )
    offers: dict[tuple[str, int], Offer] = {}
    # pk__in rather than a join, so the count of everything taught is not narrowed to `ids`.
    asked = LearningOutcome.objects.filter(competency_id__in=ids)
    taught = Count("outcomes", distinct=True)
    for course in Course.objects.filter(is_active=True, pk__in=asked.values("course_id")).annotate(
        taught=taught
    ):
        offers[("course", course.pk)] = Offer(
            kind="course",
            pk=course.pk,
            code=course.code,
            title=course.title,
            cost_per_person=course.cost_per_person,
            cost_per_run=course.cost_per_run,
            duration_hours=course.duration_hours,
            modality=course.modality,
            places_per_run=course.places_per_run,
            taught=course.taught,
        )
    for qualification in Qualification.objects.filter(
        is_active=True, pk__in=asked.values("qualification_id")
    ).annotate(taught=taught):
        offers[("qualification", qualification.pk)] = Offer(
            kind="qualification",
            pk=qualification.pk,
            code=qualification.code,
            title=qualification.title,
            cost_per_person=qualification.cost_per_person,
            cost_per_run=Decimal("0"),
            duration_hours=(
                Decimal(qualification.guided_learning_hours)
                if qualification.guided_learning_hours is not None
                else None
            ),
            modality="",
            taught=qualification.taught,
        )
    for course_id, qualification_id, competency_id, level in outcomes.values_list(
        "course_id", "qualification_id", "competency_id", "raises_to_level"
    ):
        key = ("course", course_id) if course_id else ("qualification", qualification_id)
        offer = offers.get(key)
        if offer is not None:
            offer.levels[competency_id] = level
    return sorted(offers.values(), key=lambda offer: (offer.kind != "course", offer.code))
