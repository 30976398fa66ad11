"""The courses and qualifications booklet: the live offer as a printable document.

`build_booklet` reads the catalogue (active items only, narrowed by unit, job profile or
audience) in a fixed number of queries; `render_booklet_html` and `render_booklet_pdf` turn it
into one HTML document, printed by WeasyPrint with the same template.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from milepost.accounts.access import AnyUser, unit_filter
from milepost.accounts.models import OrgUnit
from milepost.catalogue.models import Course, LearningOutcome, Qualification, Track, TrackStep
from milepost.frameworks.models import JobProfile, JobProfileRequirement
from milepost.people.models import Employee

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcher

DEFAULT_TITLE = "Courses and qualifications"
ALL_AUDIENCES = "All audiences"


@dataclass(frozen=True)
class BookletOptions:
    """What the reader asked for: the filters (any may be empty) and whether prices show."""

    unit: OrgUnit | None = None
    job_profile: JobProfile | None = None
    audience: str = ""
    prices: bool = False

    @property
    def description(self) -> str:
        """The selection in words, for the cover: "Unit: Claims; audience: 'handlers'"."""
        parts = []
        if self.unit is not None:
            parts.append(f"Business unit: {self.unit.name} ({self.unit.code})")
        if self.job_profile is not None:
            parts.append(f"Job profile: {self.job_profile.title}")
        if self.audience.strip():
            parts.append(f"Audience: \u201c{self.audience.strip()}\u201d")
        return "; ".join(parts) or "The whole catalogue"


@dataclass
class TrackSection:
    track: Track
    steps: list[TrackStep]
    # Courses first printed in this section (a course in several tracks is printed once).
    courses: list[Course] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"track-{self.track.pk}"


@dataclass
class AudienceSection:
    audience: str
    courses: list[Course]
    number: int

    @property
    def anchor(self) -> str:
        return f"audience-{self.number}"


@dataclass
class Booklet:
    title: str
    organisation: str
    generated_on: datetime.date
    options: BookletOptions
    currency: str
    tracks: list[TrackSection]
    audiences: list[AudienceSection]
    qualifications: list[Qualification]

    @property
    def course_count(self) -> int:
        sections: list[TrackSection | AudienceSection] = [*self.tracks, *self.audiences]
        return sum(len(section.courses) for section in sections)

    @property
    def is_empty(self) -> bool:
        return not (self.course_count or self.qualifications or self.tracks)


class BookletScopeError(Exception):
    """The unit asked for is not one the reader may see."""


def visible_units(user: AnyUser | None) -> QuerySet[OrgUnit]:
    """The units a reader may narrow the booklet to (None: an operator on the command line)."""
    units = OrgUnit.objects.order_by("path")
    if user is None:
        return units
    limit = unit_filter(user)
    return units if limit is None else units.filter(limit)


def _required_competencies(options: BookletOptions) -> QuerySet[Any] | None:
    """A subquery of competency ids the unit's or job profile's people need (None: no filter)."""
    requirements = JobProfileRequirement.objects.all()
    if options.unit is not None:
        profiles = Employee.objects.filter(
            is_active=True,
            job_profile__isnull=False,
            unit__path__startswith=options.unit.path,
        ).values("job_profile_id")
        requirements = requirements.filter(job_profile_id__in=profiles)
    if options.job_profile is not None:
        requirements = requirements.filter(job_profile=options.job_profile)
    if options.unit is None and options.job_profile is None:
        return None
    return requirements.values("competency_id")


def _outcomes() -> QuerySet[LearningOutcome]:
    return LearningOutcome.objects.select_related("competency").order_by("competency__name", "pk")


def _audience_key(course: Course) -> str:
    return " ".join(course.audience.split()) or ALL_AUDIENCES


def build_booklet(
    user: AnyUser | None, *, options: BookletOptions, title: str = DEFAULT_TITLE
) -> Booklet:
    """The booklet's sections from the live catalogue, in eight queries (nine to check a unit).

    Tracks come first (their matching steps in order), then the courses no track holds,
    grouped by audience, then the qualifications. `user` None is a trusted operator.
    """
    if (
        options.unit is not None
        and user is not None
        and not visible_units(user).filter(pk=options.unit.pk).exists()
    ):
        raise BookletScopeError(f"unit {options.unit.code} is not one you may see")
    competencies = _required_competencies(options)

    courses = Course.objects.filter(is_active=True)
    qualifications = Qualification.objects.filter(is_active=True)
    if competencies is not None:
        courses = courses.filter(
            pk__in=LearningOutcome.objects.filter(competency_id__in=competencies).values(
                "course_id"
            )
        )
        qualifications = qualifications.filter(
            pk__in=LearningOutcome.objects.filter(competency_id__in=competencies).values(
                "qualification_id"
            )
        )
    if options.audience.strip():
        for word in options.audience.split():
            courses = courses.filter(audience__icontains=word)
        # Qualifications carry no audience: a booklet for an audience lists only its courses.
        qualifications = qualifications.none()

    selected = {
        course.pk: course
        for course in courses.order_by("title", "code").prefetch_related(
            Prefetch("outcomes", queryset=_outcomes()),
            Prefetch(
                "prerequisites",
                queryset=Course.objects.filter(is_active=True).order_by("title", "code"),
            ),
        )
    }
    chosen_qualifications = list(
        qualifications.order_by("title", "code").prefetch_related(
            Prefetch("outcomes", queryset=_outcomes())
        )
    )
    qualification_ids = {q.pk for q in chosen_qualifications}

    steps = TrackStep.objects.filter(
        Q(course__is_active=True) | Q(qualification__is_active=True)
    ).order_by("position", "pk")
    printed: set[int] = set()
    track_sections = []
    for track in (
        Track.objects.filter(is_active=True)
        .order_by("title", "code")
        .prefetch_related(Prefetch("steps", queryset=steps, to_attr="ordered_steps"))
    ):
        kept = [
            step
            for step in track.ordered_steps
            if (step.course_id in selected) or (step.qualification_id in qualification_ids)
        ]
        if not kept:
            continue
        section = TrackSection(track=track, steps=kept)
        for step in kept:
            if step.course_id is not None:
                # The step's own course object carries the prefetched outcomes.
                step.course = selected[step.course_id]
                if step.course_id not in printed:
                    printed.add(step.course_id)
                    section.courses.append(selected[step.course_id])
            else:
                step.qualification = next(
                    q for q in chosen_qualifications if q.pk == step.qualification_id
                )
        track_sections.append(section)

    groups: dict[str, list[Course]] = {}
    for course in selected.values():
        if course.pk not in printed:
            groups.setdefault(_audience_key(course), []).append(course)
    order = sorted(groups, key=lambda name: (name == ALL_AUDIENCES, name.lower()))
    audiences = [
        AudienceSection(audience=name, courses=groups[name], number=number)
        for number, name in enumerate(order, start=1)
    ]

    root = OrgUnit.objects.filter(parent__isnull=True).order_by("path").first()
    return Booklet(
        title=title,
        organisation=root.name if root is not None else "Milepost",
        generated_on=timezone.localdate(),
        options=options,
        currency=settings.CATALOGUE_CURRENCY,
        tracks=track_sections,
        audiences=audiences,
        qualifications=chosen_qualifications,
    )


def render_booklet_html(booklet: Booklet) -> str:
    """The booklet as a standalone HTML document with its print stylesheet."""
    return render_to_string("catalogue/booklet/document.html", {"booklet": booklet})


STATIC_DIR = Path(__file__).resolve().parent.parent / "static"


def local_only_url_fetcher() -> URLFetcher:
    # CI machines have no internet: anything but local files and data: URLs is refused.
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"file", "data"}, timeout=1)


# Told the percentage done and what is happening: a print's progress page shows both.
StageCallback = Callable[[int, str], None]


@dataclass(frozen=True)
class PrintedBooklet:
    pdf: bytes
    pages: int


def print_booklet(booklet: Booklet, *, on_stage: StageCallback | None = None) -> PrintedBooklet:
    """The booklet printed to PDF (A4, page numbers in the footer), with its page count.

    Laying out the pages is nearly all the time (docs/benchmarks.md#booklet); WeasyPrint tells
    nothing on the way, so `on_stage` hears of the three stages only.
    """
    from weasyprint import HTML  # imported here: loading pango costs ~0.3 s

    stage = on_stage or (lambda percent, text: None)
    stage(10, f"Laying out {booklet.course_count} courses on pages")
    document = HTML(
        string=render_booklet_html(booklet),
        base_url=STATIC_DIR.as_uri() + "/",
        url_fetcher=local_only_url_fetcher(),
    ).render()
    pages = len(document.pages)
    stage(85, f"Writing the PDF ({pages} pages)")
    pdf = document.write_pdf()
    assert pdf is not None  # write_pdf returns bytes when no target is given
    return PrintedBooklet(pdf=bytes(pdf), pages=pages)


def render_booklet_pdf(booklet: Booklet) -> bytes:
    """The booklet printed to PDF."""
    return print_booklet(booklet).pdf
