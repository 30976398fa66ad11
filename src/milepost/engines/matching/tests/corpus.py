"""A tiny competency corpus and a fast, deterministic stand-in embedder for the tests."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from milepost.engines.matching import Document, competency
from milepost.engines.matching.embedding import normalise_rows
from milepost.engines.matching.text import terms

COMPETENCIES = [
    competency(
        "python",
        "Python (computer programming)",
        ["Python programming", "Python scripting"],
        "Techniques and principles of software development in Python.",
        "computer programming",
    ),
    competency(
        "complaints",
        "handle customer complaints",
        ["deal with angry callers", "manage customer complaints"],
        "Administer complaints and negative feedback from customers.",
        "customer service",
    ),
    competency(
        "forklift",
        "operate forklift",
        ["drive forklift truck"],
        "Operate a forklift, a vehicle with a pronged device in front for lifting heavy loads.",
        "operating machinery",
    ),
    competency(
        "budget",
        "manage budgets",
        ["budget management", "control budgets"],
        "Plan, monitor and report on the budget.",
        "management skills",
    ),
]


class HashingEmbedder:
    """Bag of stemmed words hashed into 64 dimensions: similar wording -> similar vectors."""

    name = "test-hashing-64"
    dim = 64

    def __init__(self) -> None:
        self.calls: list[int] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(len(texts))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for term in terms(text):
                bucket = int(hashlib.md5(term.encode()).hexdigest(), 16) % self.dim
                out[row, bucket] += 1.0
        return normalise_rows(out)


def by_id(docs: list[Document]) -> dict[str, Document]:
    return {d.id: d for d in docs}
