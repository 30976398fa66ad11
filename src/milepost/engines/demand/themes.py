"""Group similar needs into demand themes.

Two needs are similar when they are about the same competencies and say similar things:

    similarity = text_weight x cosine(text vectors) + (1 - text_weight) x jaccard(competencies)

Text vectors are the needs' sentence embeddings when every item has one, otherwise TF-IDF
vectors over stemmed words (so grouping works without the dense model). Groups are formed by
average-linkage agglomerative clustering: the two groups with the highest mean pairwise
similarity merge while that mean is at least `threshold`. Average linkage (not single) keeps
one borderline pair from chaining unrelated needs into one theme.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from milepost.engines.matching.text import terms

DEFAULT_THRESHOLD = 0.5
DEFAULT_TEXT_WEIGHT = 0.5


@dataclass(frozen=True)
class ThemeItem:
    """One need as the grouping sees it."""

    id: int
    text: str
    competencies: frozenset[int] = field(default_factory=frozenset)
    vector: np.ndarray | None = None


def tfidf_vectors(texts: Sequence[str]) -> np.ndarray:
    """Unit-length TF-IDF rows over stemmed, stop-word-filtered words."""
    counts = [Counter(terms(text)) for text in texts]
    vocabulary: dict[str, int] = {}
    for counter in counts:
        for term in counter:
            vocabulary.setdefault(term, len(vocabulary))
    matrix = np.zeros((len(texts), max(len(vocabulary), 1)), dtype=np.float32)
    document_frequency = Counter(term for counter in counts for term in counter)
    for row, counter in enumerate(counts):
        for term, count in counter.items():
            idf = math.log((1 + len(texts)) / (1 + document_frequency[term])) + 1
            matrix[row, vocabulary[term]] = (1 + math.log(count)) * idf
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, 1e-12)


def similarity_matrix(
    items: Sequence[ThemeItem], text_weight: float = DEFAULT_TEXT_WEIGHT
) -> np.ndarray:
    """Pairwise similarity on 0..1 (diagonal 1)."""
    n = len(items)
    if n == 0:
        return np.zeros((0, 0), dtype=np.float32)
    if all(item.vector is not None for item in items):
        vectors = np.vstack([np.asarray(item.vector, dtype=np.float32) for item in items])
        vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    else:
        vectors = tfidf_vectors([item.text for item in items])
    text = np.clip(vectors @ vectors.T, 0.0, 1.0)
    competency = np.zeros((n, n), dtype=np.float32)
    for i in range(n):
        left = items[i].competencies
        if not left:
            continue
        for j in range(i + 1, n):
            right = items[j].competencies
            if right:
                overlap = len(left & right) / len(left | right)
                competency[i, j] = competency[j, i] = overlap
    # Needs with no competencies on either side are judged on their text alone.
    has_competencies = np.array([bool(item.competencies) for item in items])
    both = np.outer(has_competencies, has_competencies)
    weight = np.where(both, text_weight, 1.0)
    similarity = weight * text + (1 - weight) * competency
    np.fill_diagonal(similarity, 1.0)
    return similarity.astype(np.float32)


def group_similar(
    items: Sequence[ThemeItem],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    text_weight: float = DEFAULT_TEXT_WEIGHT,
) -> list[list[int]]:
    """Groups of at least two item ids, largest first; items like no other are left out."""
    if not 0 < threshold <= 1:
        raise ValueError("threshold must be above 0 and at most 1")
    n = len(items)
    if n < 2:
        return []
    average = similarity_matrix(items, text_weight).astype(np.float64)
    np.fill_diagonal(average, -np.inf)
    sizes = np.ones(n)
    alive = np.ones(n, dtype=bool)
    members: list[list[int]] = [[index] for index in range(n)]
    # Each live row's best partner, so a merge costs O(n) instead of a full O(n^2) scan.
    best_partner = np.argmax(average, axis=1)
    best_value = average[np.arange(n), best_partner]
    while True:
        a = int(np.argmax(np.where(alive, best_value, -np.inf)))
        b = int(best_partner[a])
        if not alive[a] or best_value[a] < threshold:
            break
        # Average linkage (Lance-Williams): the merged group's mean similarity to every other.
        merged = (sizes[a] * average[a] + sizes[b] * average[b]) / (sizes[a] + sizes[b])
        merged[~alive] = -np.inf
        merged[a] = merged[b] = -np.inf
        average[a, :] = merged
        average[:, a] = merged
        average[b, :] = -np.inf
        average[:, b] = -np.inf
        sizes[a] += sizes[b]
        alive[b] = False
        best_value[b] = -np.inf
        members[a].extend(members[b])
        members[b] = []
        for row in np.flatnonzero(alive):
            if row == a or best_partner[row] in (a, b):
                best_partner[row] = int(np.argmax(average[row]))
                best_value[row] = average[row, best_partner[row]]
            elif average[row, a] > best_value[row]:
                best_partner[row] = a
                best_value[row] = average[row, a]
    groups = [
        sorted(items[index].id for index in group)
        for index, group in enumerate(members)
        if alive[index] and len(group) > 1
    ]
    return sorted(groups, key=lambda group: (-len(group), group))
