"""BM25F over weighted fields (preferred label, alternative labels, description, group).

Each document's term counts are kept, so adding, changing or removing one document only marks
the postings stale; they are rebuilt from the kept counts (no re-tokenising) on the next query,
which takes well under a second for the full ESCO skill set.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from milepost.engines.matching.text import terms

FIELDS = ("label", "alt", "description", "group")


@dataclass(frozen=True)
class BM25Params:
    """BM25F knobs: field weights (labels count more), saturation k1, per-field length norm b."""

    weights: Mapping[str, float] = field(
        default_factory=lambda: {"label": 3.0, "alt": 1.5, "description": 1.0, "group": 0.5}
    )
    b: Mapping[str, float] = field(
        default_factory=lambda: {"label": 0.5, "alt": 0.5, "description": 0.75, "group": 0.3}
    )
    k1: float = 1.2


def field_terms(fields: Mapping[str, str | Iterable[str]]) -> dict[str, Counter[str]]:
    """Term counts per field; a field may be one text or several (alternative labels)."""
    counts: dict[str, Counter[str]] = {}
    for name in FIELDS:
        value = fields.get(name, "")
        texts = [value] if isinstance(value, str) else list(value)
        counts[name] = Counter(t for text in texts for t in terms(text))
    return counts


class BM25Index:
    """A BM25F index over documents kept by integer slot."""

    def __init__(self, params: BM25Params | None = None) -> None:
        self.params = params or BM25Params()
        self._docs: dict[int, dict[str, Counter[str]]] = {}
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._idf: dict[str, float] = {}
        self._size = 0
        self._stale = True

    def __len__(self) -> int:
        return len(self._docs)

    def put(self, slot: int, counts: dict[str, Counter[str]]) -> None:
        """Add or replace the document in ``slot``."""
        self._docs[slot] = counts
        self._size = max(self._size, slot + 1)
        self._stale = True

    def remove(self, slot: int) -> None:
        self._docs.pop(slot, None)
        self._stale = True

    def doc_terms(self, slot: int) -> set[str]:
        """All index terms of one document (for "the words that matched")."""
        counts = self._docs.get(slot, {})
        return {t for c in counts.values() for t in c}

    def _rebuild(self) -> None:
        params = self.params
        n_docs = max(len(self._docs), 1)
        avg_len = {
            name: max(sum(sum(d[name].values()) for d in self._docs.values()) / n_docs, 1.0)
            for name in FIELDS
        }
        slots: dict[str, list[int]] = {}
        values: dict[str, list[float]] = {}
        for slot, counts in self._docs.items():
            pseudo: dict[str, float] = {}
            for name in FIELDS:
                field_counts = counts[name]
                if not field_counts:
                    continue
                length = sum(field_counts.values())
                norm = 1.0 - params.b[name] + params.b[name] * length / avg_len[name]
                weight = params.weights[name] / norm
                for term, tf in field_counts.items():
                    pseudo[term] = pseudo.get(term, 0.0) + weight * tf
            for term, weighted_tf in pseudo.items():
                slots.setdefault(term, []).append(slot)
                values.setdefault(term, []).append(weighted_tf / (params.k1 + weighted_tf))
        self._postings = {
            term: (np.asarray(slots[term], dtype=np.int32), np.asarray(values[term], np.float32))
            for term in slots
        }
        self._idf = {
            term: math.log(1.0 + (n_docs - len(s) + 0.5) / (len(s) + 0.5))
            for term, s in slots.items()
        }
        self._stale = False

    def scores(
        self,
        query_terms: Iterable[str],
        size: int | None = None,
        *,
        weights: Mapping[str, float] | None = None,
    ) -> np.ndarray:
        """BM25F score of every slot for the query (zero where no term matches); `weights`
        scales single query terms (1 when absent)."""
        if self._stale:
            self._rebuild()
        out = np.zeros(max(size or 0, self._size), dtype=np.float32)
        for term, count in Counter(query_terms).items():
            posting = self._postings.get(term)
            if posting is None:
                continue
            doc_slots, contributions = posting
            weight = 1.0 if weights is None else weights.get(term, 1.0)
            # A term repeated in the query counts a little more, not linearly.
            out[doc_slots] += (
                weight * self._idf[term] * (1.0 + 0.5 * math.log(count)) * contributions
            )
        return out
