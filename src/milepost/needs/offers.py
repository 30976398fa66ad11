"""What the catalogue offers for needs and themes: the courses, qualifications and tracks that
raise the competencies a need counts, or a gap in the catalogue when nothing does.

Batched: one call answers a whole board (every row at once) in seven queries, however many
rows, needs or offers there are; none when no row has a competency.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import Q
from django.urls import reverse

from milepost.accounts.access import AnyUser
from milepost.catalogue.costing import Costed, seat_cost
from milepost.catalogue.models import Track, TrackStep
from milepost.catalogue.selectors import Offer, offers_for_competencies, visible_tracks
from milepost.frameworks.models import JobProfileRequirement
from milepost.needs.models import Need
from milepost.needs.selectors import mapped_competency_ids, mapping_rows

GAP_MESSAGE = "Gap in the catalogue: no course, qualification or track answers these competencies"
ZERO = Decimal("0")
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
    seat_cost: Decimal  # `catalogue.costing.seat_cost`; a track: the seats of its active steps
    raises: tuple[Raise, ...]
    asked: int = 0  # how many competencies the need or theme asks for
    extra: int = 0  # competencies it raises that were not asked for
    # What the seat cost is worked out from (a course or qualification); None for a track.
    priced: Costed | None = field(default=None, compare=False)
    steps: int = 0  # a track's active steps

    @property
    def covered(self) -> int:
        return len(self.raises)

    @property
    def fit(self) -> Fraction:
        """Asked and covered / (asked + taught but not asked): 1 answers exactly the need;
        a broad track covering one asked competency and six others fits 1/7."""
        whole = self.asked + self.extra
        return Fraction(self.covered, whole) if whole else Fraction(0)

    @property
    def fit_percent(self) -> int:
        return round(100 * self.fit)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def url(self) -> str:
        return reverse(f"catalogue:{self.kind}-detail", args=[self.pk])

    @property
    def raises_label(self) -> str:
        return "; ".join(item.label for item in self.raises)

    def rank_key(self) -> tuple[Fraction, Decimal, str, str]:
        """Best fit first, then the cheaper seat."""
        return (-self.fit, self.seat_cost, self.title.lower(), self.code)


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
        """The match that fits the competencies best, then the cheapest seat (offers first)."""
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
        for row in mapping_rows(need):
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
    return Match(
        offer.kind,
        offer.pk,
        offer.code,
        offer.title,
        seat_cost(offer),
        raises,
        asked=len(asked),
        extra=max(0, offer.taught - len(raises)),
        priced=offer,
    )


@dataclass(frozen=True)
class _Priced:
    """A track step's course or qualification, as the costing rule reads it."""

    cost_per_person: Decimal
    cost_per_run: Decimal
    places_per_run: int | None


@dataclass
class _TrackFacts:
    """What one active track does: every competency its active steps raise, its targets and
    its job profile's requirements, and the seats of its active steps."""

    code: str
    title: str
    seat_cost: Decimal = ZERO
    steps: int = 0
    by_steps: dict[int, int] = field(default_factory=dict)  # competency id -> highest level
    targets: set[int] = field(default_factory=set)
    by_profile: dict[int, int] = field(default_factory=dict)  # competency id -> required level

    @property
    def taught(self) -> set[int]:
        return {*self.by_steps, *self.targets, *self.by_profile}

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
        extra = len(self.taught - {competency.pk for competency in asked})
        return Match(
            "track",
            pk,
            self.code,
            self.title,
            self.seat_cost,
            tuple(raises),
            asked=len(asked),
            extra=extra,
            steps=self.steps,
        )


def _track_facts(user: AnyUser, competency_ids: list[int]) -> dict[int, _TrackFacts]:
    """Active tracks whose active steps raise, or whose target competencies or job profile's
    requirements name, any of `competency_ids`, with everything they teach (four queries)."""
    by_step_item = Q(
        course__is_active=True, course__outcomes__competency_id__in=competency_ids
    ) | Q(
        qualification__is_active=True,
        qualification__outcomes__competency_id__in=competency_ids,
    )
    steps = TrackStep.objects.filter(by_step_item)
    targets = Track.competencies.through.objects.filter(competency_id__in=competency_ids)
    requirements = JobProfileRequirement.objects.filter(competency_id__in=competency_ids)
    # The follow-up reads filter on the found tracks as a subquery, so the number of queries
    # does not depend on whether any track was found.
    tracks = (
        visible_tracks(user)
        .filter(is_active=True)
        .filter(
            Q(pk__in=steps.values("track_id"))
            | Q(pk__in=targets.values("track_id"))
            | Q(job_profile_id__in=requirements.values("job_profile_id"))
        )
    )
    facts = {
        pk: _TrackFacts(code, title)
        for pk, code, title in tracks.values_list("pk", "code", "title")
    }
    # One row per outcome of each active step (a step without outcomes: one row of None).
    step_rows = (
        TrackStep.objects.filter(track__in=tracks.values("pk"))
        .filter(Q(course__is_active=True) | Q(qualification__is_active=True))
        .values_list(
            "track_id",
            "pk",
            "course__cost_per_person",
            "course__cost_per_run",
            "course__places_per_run",
            "qualification__cost_per_person",
            "course__outcomes__competency_id",
            "course__outcomes__raises_to_level",
            "qualification__outcomes__competency_id",
            "qualification__outcomes__raises_to_level",
        )
        .order_by()
    )
    priced_steps: set[int] = set()
    for row in step_rows:
        track_id, step_id, per_person, per_run, places, qualification_cost = row[:6]
        track = facts.get(track_id)
        if track is None:
            continue
        if step_id not in priced_steps:
            priced_steps.add(step_id)
            track.steps += 1
            if qualification_cost is not None:
                track.seat_cost += seat_cost(_Priced(qualification_cost, ZERO, None))
            else:
                track.seat_cost += seat_cost(_Priced(per_person, per_run, places))
        competency_id = row[6] if row[6] is not None else row[8]
        level = row[7] if row[6] is not None else row[9]
        if competency_id is not None:
            track.by_steps[competency_id] = max(level, track.by_steps.get(competency_id, 0))
    for track_id, competency_id in Track.competencies.through.objects.filter(
        track__in=tracks.values("pk")
    ).values_list("track_id", "competency_id"):
        if track_id in facts:
            facts[track_id].targets.add(competency_id)
    for track_id, competency_id, level in JobProfileRequirement.objects.filter(
        job_profile__tracks__in=tracks.values("pk")
    ).values_list("job_profile__tracks", "competency_id", "required_level"):
        if track_id in facts:
            facts[track_id].by_profile[competency_id] = level
    return facts


def catalogue_answers(user: AnyUser, groups: Sequence[Iterable[Need]]) -> list[CatalogueAnswer]:
    """For each group of needs (a theme's needs, or one need, with their mapping prefetched),
    the offers and tracks that answer its competencies, best first: the best fit (asked and
    covered / (asked + taught but not asked)), then the cheapest seat. Seven queries for all
    groups."""
    asked = [asked_competencies(needs) for needs in groups]
    competency_ids = sorted({competency.pk for group in asked for competency in group})
    if not competency_ids:
        return [EMPTY if not group else CatalogueAnswer(group, (), ()) for group in asked]
    offers = offers_for_competencies(competency_ids)
    tracks = _track_facts(user, competency_ids)
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
