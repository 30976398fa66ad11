"""Adapts competencies and needs to the matching engine (engines/matching) and back.

One competency index per process, persisted under MATCH_CACHE_DIR and refreshed when
competencies change: a refresh reuses every cached vector, so only changed competencies are
embedded again. Without the dense model everything still works on BM25 alone.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db.models import Count, Max, QuerySet

from milepost.accounts.access import AnyUser
from milepost.engines.matching import MatchIndex, shared_embedder
from milepost.engines.matching import competency as competency_document
from milepost.frameworks.models import Competency
from milepost.needs.models import fit_word
from milepost.people.models import Employee

logger = logging.getLogger(__name__)

# Hybrid scores below this are noise for a need (tuned by eye on the demo needs; see docs/needs.md).
MIN_SCORE = 0.45
SUGGESTIONS = 6
# A hybrid score of FULL_FIT or more reads as a 100 % fit (a need naming a competency's own
# label scores about 1.2; dense plus lexical can reach 1.8). Without the dense model the BM25
# score saturates instead: bm25 / (bm25 + LEXICAL_HALF_FIT) is 50 % at LEXICAL_HALF_FIT.
FULL_FIT = 1.2
LEXICAL_HALF_FIT = 3.0


def fit_from_score(score: float, *, dense: bool) -> float:
    """The engine's score as a fit on 0..1, which the pages show as a percentage."""
    if score <= 0:
        return 0.0
    if dense:
        return min(score / FULL_FIT, 1.0)
    return score / (score + LEXICAL_HALF_FIT)


@dataclass(frozen=True)
class Suggestion:
    competency: Competency
    # How well the competency fits the text, 0..1 (see fit_from_score).
    score: float
    matched_terms: tuple[str, ...]

    @property
    def fit_percent(self) -> int:
        return round(100 * self.score)

    @property
    def fit_word(self) -> str:
        return fit_word(self.score)


def embed(text: str) -> np.ndarray | None:
    """A need's sentence vector (None when the deployment runs lexical-only)."""
    model = shared_embedder(enabled=settings.MATCH_DENSE)
    return None if model is None else model.embed([text])[0]


def vector_bytes(vector: np.ndarray | None) -> bytes | None:
    return None if vector is None else np.asarray(vector, dtype=np.float32).tobytes()


def vector_from(raw: bytes | memoryview | None) -> np.ndarray | None:
    return None if raw is None else np.frombuffer(bytes(raw), dtype=np.float32)


def matchable_competencies() -> QuerySet[Competency]:
    """Competencies a need can be about: every framework's leaves and items, not its groups."""
    return Competency.objects.exclude(kind=Competency.Kind.GROUP)


class _CompetencyIndex:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._index: MatchIndex | None = None
        self._version: tuple[object, ...] | None = None

    def _current_version(self) -> tuple[object, ...]:
        stats = matchable_competencies().aggregate(count=Count("pk"), latest=Max("updated_at"))
        return (stats["count"], stats["latest"], settings.MATCH_DENSE)

    def get(self) -> MatchIndex:
        version = self._current_version()
        with self._lock:
            if self._index is None or version != self._version:
                self._index = self._build()
                self._version = version
            return self._index

    def _build(self) -> MatchIndex:
        rows = (
            matchable_competencies()
            .select_related("parent")
            .prefetch_related("levels")
            .order_by("pk")
        )
        documents = [
            competency_document(
                str(row.pk),
                row.name,
                row.alt_label_list,
                _description_with_indicators(row),
                row.parent.name if row.parent is not None else "",
            )
            for row in rows.iterator(chunk_size=2000)
        ]
        cache_dir: Path | None = settings.MATCH_CACHE_DIR
        directory = cache_dir / "competencies" if cache_dir else None
        return MatchIndex.build(
            documents, embedder=shared_embedder(enabled=settings.MATCH_DENSE), cache_dir=directory
        )

    def reset(self) -> None:
        with self._lock:
            self._index = None
            self._version = None


def _description_with_indicators(row: Competency) -> str:
    """The description, then the behavioural indicators: where a framework speaks of what
    people do ("turns an angry contact into a workable plan"), which is how needs are worded."""
    indicators = [line for level in row.levels.all() for line in level.indicator_list]
    return "\n".join([row.description, *indicators]).strip()


competency_index = _CompetencyIndex()


def requester_context(user: AnyUser) -> str:
    """Words naming the requester's own job and unit ("Claims handler. Motor claims"): a need's
    text uses them to say who has the need, not what it is about, so they count for less."""
    if not user.is_authenticated:
        return ""
    employee = (
        Employee.objects.filter(user_id=user.pk).select_related("unit", "job_profile").first()
    )
    if employee is None:
        return ""
    parts = [employee.job_title, employee.unit.name]
    if employee.job_profile is not None:
        parts.append(employee.job_profile.title)
    return ". ".join(part for part in parts if part)


def suggest_competencies(
    text: str, *, context: str = "", limit: int = SUGGESTIONS, min_score: float = MIN_SCORE
) -> list[Suggestion]:
    """The competencies `text` is about, best first, each with its fit (0..1) and matched
    words; words of `context` (the requester's job and unit) count a quarter."""
    index = competency_index.get()
    dense = index.embedder is not None
    matches = index.search(text, k=limit, context=context)
    if dense:
        matches = [match for match in matches if match.score >= min_score]
    by_id = Competency.objects.select_related("framework").in_bulk(
        [int(match.id) for match in matches]
    )
    return [
        Suggestion(
            by_id[int(match.id)],
            round(fit_from_score(match.score, dense=dense), 3),
            match.matched_terms,
        )
        for match in matches
        if int(match.id) in by_id
    ]
