"""What the catalogue offers for needs and themes: the courses, qualifications and tracks that
raise the competencies a need counts, or a gap in the catalogue when nothing does.

Batched: one call answers a whole board (every row at once) in seven queries, however many
rows, needs or offers there are; none when no row has a competency.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum
from django.urls import reverse

from milepost.accounts.access import AnyUser
from milepost.catalogue.models import Track, TrackStep
from milepost.catalogue.selectors import Offer, offers_for_competencies, visible_tracks
from milepost.frameworks.models import JobProfileRequirement
from milepost.needs.models import Need
from milepost.needs.selectors import mapped_competency_ids

GAP_MESSAGE = "Gap in the catalogue: no course, qualification or track answers these competencies"
KIND_LABELS = {"course": "Course", "qualification": "Qualification", "track": "Track"}


@dataclass(frozen=True)
class AskedCompetency:
    pk: int
    name: str


@dataclass(frozen=True)
class Raise:
    """One of the need's competencies an offer or a track answers, and to what level."""

    competency: AskedCompetency
    level: int | None
    source: str = ""  # tracks: "steps", "target" or "job profile"

    @property
    def label(self) -> str:
        if self.source == "target":
            return f"{self.competency.name} (a target of the track)"
        level = f" to level {self.level}" if self.level is not None else ""
        if self.source == "job profile":
            return f"{self.competency.name} (its job profile requires level {self.level})"
        return f"{self.competency.name}{level}"


@dataclass(frozen=True)
class Match:
    """A course, qualification or track that answers some of the need's competencies."""

    kind: str  # "course", "qualification" or "track"
    pk: int
    code: str
    title: str
    cost_per_person: Decimal  # a track: the per-person cost of its active steps together
    raises: tuple[Raise, ...]

    @property
    def covered(self) -> int:
        return len(self.raises)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def url(self) -> str:
        return reverse(f"catalogue:{self.kind}-detail", args=[self.pk])

    @property
    def raises_label(self) -> str:
        return "; ".join(item.label for item in self.raises)

    def rank_key(self) -> tuple[int, Decimal, str, str]:
        return (-self.covered, self.cost_per_person, self.title.lower(), self.code)


@dataclass(frozen=True)
class CatalogueAnswer:
    """What the catalogue offers for one need or theme, best first."""

    competencies: tuple[AskedCompetency, ...]
    offers: tuple[Match, ...]  # courses and qualifications
    tracks: tuple[Match, ...]

    @property
    def count(self) -> int:
        return len(self.offers) + len(self.tracks)

    @property
    def is_gap(self) -> bool:
        """Competencies to answer, and nothing in the catalogue answers any of them."""
        return bool(self.competencies) and not self.count

    @property
    def best(self) -> Match | None:
        """The match covering most of the competencies, then the cheapest (offers first)."""
        candidates = [*self.offers[:1], *self.tracks[:1]]
        return min(candidates, key=Match.rank_key) if candidates else None

    @property
    def competency_names(self) -> list[str]:
        return [competency.name for competency in self.competencies]

    @property
    def unanswered_names(self) -> list[str]:
        """The competencies no offer or track answers (when others are answered)."""
        answered = {
            item.competency.pk for match in (*self.offers, *self.tracks) for item in match.raises
        }
        return [c.name for c in self.competencies if c.pk not in answered]

    @property
    def summary(self) -> str:
        """One cell of the board's export."""
        if self.is_gap:
            return "Gap in the catalogue"
        best = self.best
        if best is None:
            return ""
        return f"{self.count}: {best.kind_label} {best.title} ({best.code})"


EMPTY = CatalogueAnswer((), (), ())


def asked_competencies(needs: Iterable[Need]) -> tuple[AskedCompetency, ...]:
    """The competencies the needs count (confirmed or accepted, else the top suggestions),
    named from their prefetched mapping, by name."""
    found: dict[int, str] = {}
    for need in needs:
        counted = mapped_competency_ids(need)
        for row in need.mappings.all():
            if row.competency_id in counted:
                found[row.competency_id] = row.competency.name
    return tuple(
        AskedCompetency(pk, name)
        for pk, name in sorted(found.items(), key=lambda item: (item[1].lower(), item[0]))
    )


def _offer_match(offer: Offer, asked: tuple[AskedCompetency, ...]) -> Match | None:
    raises = tuple(
        Raise(competency, offer.levels[competency.pk])
        for competency in asked
        if competency.pk in offer.levels
    )
    if not raises:
        return None
    kind = offer.kind
    return Match(kind, offer.pk, offer.code, offer.title, offer.cost_per_person, raises)


@dataclass
class _TrackFacts:
    """What one active track does for each competency asked anywhere on the page."""

    code: str
    title: str
    cost_per_person: Decimal
    by_steps: dict[int, int]  # competency id -> highest level a step raises it to
    targets: set[int]
    by_profile: dict[int, int]  # competency id -> level the job profile requires

    def match(self, pk: int, asked: tuple[AskedCompetency, ...]) -> Match | None:
        raises = []
        for competency in asked:
            if competency.pk in self.by_steps:
                raises.append(Raise(competency, self.by_steps[competency.pk], "steps"))
            elif competency.pk in self.by_profile:
                raises.append(Raise(competency, self.by_profile[competency.pk], "job profile"))
            elif competency.pk in self.targets:
                raises.append(Raise(competency, None, "target"))
        if not raises:
            return None
        return Match("track", pk, self.code, self.title, self.cost_per_person, tuple(raises))


def _track_facts(
    user: AnyUser, competency_ids: list[int], offers: list[Offer]
) -> dict[int, _TrackFacts]:
    """Active tracks whose active steps raise, or whose target competencies or job profile's
    requirements name, any of `competency_ids` (four queries)."""
    by_step_item = Q(
        course__is_active=True, course__outcomes__competency_id__in=competency_ids
    ) | Q(
        qualification__is_active=True,
        qualification__outcomes__competency_id__in=competency_ids,
    )
    # The follow-up reads filter on active tracks rather than on the tracks found, so the
    # number of queries does not depend on whether any track was found.
    steps = TrackStep.objects.filter(by_step_item)
    targets = Track.competencies.through.objects.filter(competency_id__in=competency_ids)
    requirements = JobProfileRequirement.objects.filter(competency_id__in=competency_ids)
    # pk__in subqueries rather than joins, so the cost sums below are not multiplied.
    tracks = (
        visible_tracks(user)
        .filter(is_active=True)
        .filter(
            Q(pk__in=steps.values("track_id"))
            | Q(pk__in=targets.values("track_id"))
            | Q(job_profile_id__in=requirements.values("job_profile_id"))
        )
        .annotate(
            course_cost=Sum(
                "steps__course__cost_per_person", filter=Q(steps__course__is_active=True)
            ),
            qualification_cost=Sum(
                "steps__qualification__cost_per_person",
                filter=Q(steps__qualification__is_active=True),
            ),
        )
        .values_list("pk", "code", "title", "course_cost", "qualification_cost")
    )
    facts: dict[int, _TrackFacts] = {}
    for pk, code, title, course_cost, qualification_cost in tracks:
        cost = (course_cost or Decimal("0")) + (qualification_cost or Decimal("0"))
        facts[pk] = _TrackFacts(code, title, cost, {}, set(), {})
    levels = {(offer.kind, offer.pk): offer.levels for offer in offers}
    step_rows = steps.filter(track__is_active=True).values_list(
        "track_id", "course_id", "qualification_id"
    )
    for track_id, course_id, qualification_id in step_rows.order_by().distinct():
        key = ("course", course_id) if course_id else ("qualification", qualification_id)
        if track_id in facts:
            by_steps = facts[track_id].by_steps
            for competency_id, level in levels.get(key, {}).items():
                by_steps[competency_id] = max(level, by_steps.get(competency_id, 0))
    for track_id, competency_id in targets.filter(track__is_active=True).values_list(
        "track_id", "competency_id"
    ):
        if track_id in facts:
            facts[track_id].targets.add(competency_id)
    for track_id, competency_id, level in requirements.filter(
        job_profile__tracks__is_active=True
    ).values_list("job_profile__tracks", "competency_id", "required_level"):
        if track_id in facts:
            facts[track_id].by_profile[competency_id] = level
    return facts


def catalogue_answers(user: AnyUser, groups: Sequence[Iterable[Need]]) -> list[CatalogueAnswer]:
    """For each group of needs (a theme's needs, or one need, with their mapping prefetched),
    the offers and tracks that answer its competencies, best first: the most of its
    competencies covered, then the lowest cost per person. Seven queries for all groups."""
    asked = [asked_competencies(needs) for needs in groups]
    competency_ids = sorted({competency.pk for group in asked for competency in group})
    if not competency_ids:
        return [EMPTY if not group else CatalogueAnswer(group, (), ()) for group in asked]
    offers = offers_for_competencies(competency_ids)
    tracks = _track_facts(user, competency_ids, offers)
    answers = []
    for group in asked:
        offer_matches = [_offer_match(offer, group) for offer in offers]
        track_matches = [facts.match(pk, group) for pk, facts in tracks.items()]
        answers.append(
            CatalogueAnswer(
                group,
                tuple(sorted((m for m in offer_matches if m), key=Match.rank_key)),
                tuple(sorted((m for m in track_matches if m), key=Match.rank_key)),
            )
        )
    return answers


def catalogue_answer(user: AnyUser, needs: Iterable[Need]) -> CatalogueAnswer:
    """What the catalogue offers for one need or one theme's needs."""
    return catalogue_answers(user, [list(needs)])[0]
