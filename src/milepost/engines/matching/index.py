"""The hybrid match index: BM25F plus dense max-sim over label embeddings, fused.

Documents are competencies or job profiles (same shape: label, alternative labels, description,
group). The index is built once, kept up to date document by document, persisted to a directory
and queried with :meth:`MatchIndex.search`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

from milepost.engines.matching.embedding import Embedder
from milepost.engines.matching.lexical import BM25Index, BM25Params, field_terms
from milepost.engines.matching.text import query_words, stem, terms, without_words, words

logger = logging.getLogger(__name__)

Mode = Literal["hybrid", "lexical", "dense"]
CACHE_FORMAT = 1
# Row kinds in the vector matrix.
LABEL, ALT_LABEL, DESCRIPTION = 0, 1, 2


@dataclass(frozen=True)
class Document:
    """One thing to match against: a competency or a job profile."""

    id: str
    label: str
    alt_labels: tuple[str, ...] = ()
    description: str = ""
    group: str = ""

    def content_hash(self) -> str:
        payload = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()


def competency(
    id: str,
    label: str,
    alt_labels: Iterable[str] = (),
    description: str = "",
    group: str = "",
) -> Document:
    """A competency document (group: its hierarchy or skill-group label, if any)."""
    return Document(id, label, _clean(alt_labels), description.strip(), group.strip())


def job_profile(
    id: str, title: str, alt_titles: Iterable[str] = (), description: str = ""
) -> Document:
    """A job profile or occupation document."""
    return Document(id, title, _clean(alt_titles), description.strip())


def _clean(labels: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for label in labels:
        label = label.strip()
        if label:
            seen.setdefault(label, None)
    return tuple(seen)


@dataclass(frozen=True)
class Match:
    """One suggestion: the document id, fused score, ranker scores and the words that matched."""

    id: str
    score: float
    matched_terms: tuple[str, ...]
    lexical_score: float
    dense_score: float


@dataclass(frozen=True)
class MatchParams:
    """Tuned on the TECH/HOUSE validation sets only (see docs/matching.md)."""

    bm25: BM25Params = field(default_factory=BM25Params)
    # One vector per alternative label lifts TECH/HOUSE little (see docs/matching.md) and costs
    # 97k extra texts (about 120 s) for ESCO skills: labels + descriptions only by default.
    embed_alt_labels: bool = False
    max_alt_labels: int | None = None
    embed_description: bool = True
    description_words: int = 40
    # dense = max(label sims) + description_weight * description sim
    description_weight: float = 0.5
    # hybrid = dense + lexical_weight * (bm25 / best bm25 of the query)
    lexical_weight: float = 0.3
    fusion: Literal["weighted", "rrf"] = "weighted"
    rrf_k: int = 60
    # Leave filler words ("including", "senior") out of queries. Off for job titles, where
    # "Member Services Advisor" means what it says.
    drop_filler: bool = True
    # How much a query word counts when it names the searcher's own job or unit (`context=`).
    context_weight: float = 0.25

    def dense_config(self) -> dict[str, object]:
        return {
            "embed_alt_labels": self.embed_alt_labels,
            "max_alt_labels": self.max_alt_labels,
            "embed_description": self.embed_description,
            "description_words": self.description_words,
        }


def _text_key(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


class MatchIndex:
    """Hybrid retrieval over documents; dense part optional (``embedder=None``: lexical only)."""

    def __init__(self, embedder: Embedder | None = None, params: MatchParams | None = None) -> None:
        self.embedder = embedder
        self.params = params or MatchParams()
        self._docs: dict[str, Document] = {}
        self._slot_of: dict[str, int] = {}
        self._ids: list[str | None] = []
        self._free: list[int] = []
        self._lexical = BM25Index(self.params.bm25)
        dim = embedder.dim if embedder else 0
        self._vectors = np.zeros((0, dim), dtype=np.float32)
        self._owner = np.zeros(0, dtype=np.int32)  # slot of each row, -1 when dead
        self._kind = np.zeros(0, dtype=np.int8)
        self._row_keys: list[str] = []
        self._rows_used = 0

    # ----- reporting -------------------------------------------------------------------------

    @property
    def rankers(self) -> tuple[str, ...]:
        """The active rankers, e.g. ("lexical", "dense:all-MiniLM-L6-v2-onnx-int8")."""
        return ("lexical", f"dense:{self.embedder.name}") if self.embedder else ("lexical",)

    def __len__(self) -> int:
        return len(self._docs)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._docs

    def documents(self) -> list[Document]:
        return list(self._docs.values())

    # ----- building and updating ---------------------------------------------------------------

    @classmethod
    def build(
        cls,
        documents: Iterable[Document],
        *,
        embedder: Embedder | None = None,
        params: MatchParams | None = None,
        cache_dir: Path | None = None,
    ) -> MatchIndex:
        """Build an index; with ``cache_dir``, reuse every vector already embedded there."""
        index = cls(embedder, params)
        reuse = index._load_vector_cache(cache_dir) if cache_dir else {}
        index.upsert(documents, reuse=reuse)
        if cache_dir:
            index.save(cache_dir)
        return index

    def upsert(
        self, documents: Iterable[Document], *, reuse: dict[str, np.ndarray] | None = None
    ) -> None:
        """Add new documents or replace changed ones by id; unchanged ones cost nothing."""
        changed = [d for d in documents if self._docs.get(d.id) != d]
        if not changed:
            return
        for doc in changed:
            slot = self._slot_of.get(doc.id)
            if slot is None:
                slot = self._free.pop() if self._free else len(self._ids)
                if slot == len(self._ids):
                    self._ids.append(doc.id)
                else:
                    self._ids[slot] = doc.id
                self._slot_of[doc.id] = slot
            self._docs[doc.id] = doc
            self._lexical.put(
                slot,
                field_terms(
                    {
                        "label": doc.label,
                        "alt": doc.alt_labels,
                        "description": doc.description,
                        "group": doc.group,
                    }
                ),
            )
        if self.embedder is not None:
            self._embed_documents(changed, reuse or {})

    def remove(self, doc_ids: Iterable[str]) -> None:
        """Remove documents by id (unknown ids are ignored)."""
        for doc_id in doc_ids:
            slot = self._slot_of.pop(doc_id, None)
            if slot is None:
                continue
            del self._docs[doc_id]
            self._ids[slot] = None
            self._free.append(slot)
            self._lexical.remove(slot)
            self._owner[: self._rows_used][self._owner[: self._rows_used] == slot] = -1
        self._compact_if_sparse()

    def _dense_texts(self, doc: Document) -> list[tuple[int, str]]:
        texts = [(LABEL, doc.label)]
        if self.params.embed_alt_labels:
            alt_labels = doc.alt_labels[: self.params.max_alt_labels]
            texts += [(ALT_LABEL, label) for label in alt_labels]
        if self.params.embed_description and doc.description:
            description = " ".join(doc.description.split()[: self.params.description_words])
            texts.append((DESCRIPTION, f"{doc.label}: {description}"))
        return texts

    def _embed_documents(self, docs: Sequence[Document], reuse: dict[str, np.ndarray]) -> None:
        assert self.embedder is not None
        slots = {self._slot_of[d.id] for d in docs}
        live = self._owner[: self._rows_used]
        live[np.isin(live, list(slots))] = -1
        rows: list[tuple[int, int, str, str]] = []
        for doc in docs:
            for kind, text in self._dense_texts(doc):
                rows.append((self._slot_of[doc.id], kind, text, _text_key(text)))
        missing = sorted({key: text for _, _, text, key in rows if key not in reuse}.items())
        if missing:
            started = time.perf_counter()
            fresh = self.embedder.embed([text for _, text in missing])
            reuse = {**reuse, **{key: fresh[i] for i, (key, _) in enumerate(missing)}}
            logger.info("embedded %d texts in %.1fs", len(missing), time.perf_counter() - started)
        self._append_rows(
            np.stack([reuse[key] for _, _, _, key in rows]),
            np.array([slot for slot, _, _, _ in rows], dtype=np.int32),
            np.array([kind for _, kind, _, _ in rows], dtype=np.int8),
            [key for _, _, _, key in rows],
        )
        self._compact_if_sparse()

    def _append_rows(
        self, vectors: np.ndarray, owner: np.ndarray, kind: np.ndarray, keys: list[str]
    ) -> None:
        needed = self._rows_used + len(vectors)
        if needed > len(self._vectors):
            capacity = max(needed, int(len(self._vectors) * 1.5) + 64)
            grown = np.zeros((capacity, self._vectors.shape[1]), dtype=np.float32)
            grown[: self._rows_used] = self._vectors[: self._rows_used]
            self._vectors = grown
            self._owner = np.concatenate(
                [self._owner[: self._rows_used], np.full(capacity - self._rows_used, -1, np.int32)]
            )
            self._kind = np.concatenate(
                [self._kind[: self._rows_used], np.zeros(capacity - self._rows_used, np.int8)]
            )
        end = self._rows_used + len(vectors)
        self._vectors[self._rows_used : end] = vectors
        self._owner[self._rows_used : end] = owner
        self._kind[self._rows_used : end] = kind
        self._row_keys[self._rows_used :] = keys
        self._rows_used = end

    def _compact_if_sparse(self) -> None:
        live = self._owner[: self._rows_used] >= 0
        if self._rows_used and live.mean() < 0.75:
            keep = np.flatnonzero(live)
            self._vectors = self._vectors[keep].copy()
            self._owner = self._owner[keep].copy()
            self._kind = self._kind[keep].copy()
            self._row_keys = [self._row_keys[i] for i in keep]
            self._rows_used = len(keep)

    # ----- persistence --------------------------------------------------------------------------

    def fingerprint(self) -> str:
        """Content hash of the documents, the embedder and the dense settings."""
        digest = hashlib.sha256()
        digest.update(json.dumps([self.rankers, self.params.dense_config()]).encode())
        for doc_id in sorted(self._docs):
            digest.update(self._docs[doc_id].content_hash().encode())
        return digest.hexdigest()

    def save(self, directory: Path) -> None:
        """Write documents and live vectors (numpy + json) so :meth:`load` is fast."""
        directory.mkdir(parents=True, exist_ok=True)
        self._compact_if_sparse()
        live = np.flatnonzero(self._owner[: self._rows_used] >= 0)
        np.save(directory / "vectors.npy", self._vectors[live])
        manifest = {
            "format": CACHE_FORMAT,
            "fingerprint": self.fingerprint(),
            "embedder": self.embedder.name if self.embedder else None,
            "dense_config": self.params.dense_config(),
            "row_keys": [self._row_keys[i] for i in live],
            "documents": [asdict(doc) for doc in self._docs.values()],
        }
        tmp = directory / "manifest.json.tmp"
        tmp.write_text(json.dumps(manifest, ensure_ascii=False))
        tmp.replace(directory / "manifest.json")

    def _load_vector_cache(self, directory: Path) -> dict[str, np.ndarray]:
        manifest_path = directory / "manifest.json"
        if self.embedder is None or not manifest_path.exists():
            return {}
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("format") != CACHE_FORMAT or manifest["embedder"] != self.embedder.name:
            return {}
        vectors = np.load(directory / "vectors.npy")
        return dict(zip(manifest["row_keys"], vectors, strict=True))

    @classmethod
    def load(
        cls,
        directory: Path,
        *,
        embedder: Embedder | None = None,
        params: MatchParams | None = None,
    ) -> MatchIndex:
        """Load a saved index; vectors are reused, never recomputed, when the embedder matches."""
        manifest = json.loads((directory / "manifest.json").read_text())
        documents = [
            Document(**{**d, "alt_labels": tuple(d["alt_labels"])}) for d in manifest["documents"]
        ]
        index = cls(embedder, params)
        reuse = index._load_vector_cache(directory)
        index.upsert(documents, reuse=reuse)
        return index

    # ----- querying -----------------------------------------------------------------------------

    def _query_words(self, text: str) -> list[str]:
        return query_words(text) if self.params.drop_filler else words(text)

    def lexical_scores(self, text: str, *, context: str = "") -> np.ndarray:
        """BM25F per slot; query words that name the context count `context_weight`."""
        query_terms = [stem(word) for word in self._query_words(text)]
        context_terms = set(terms(context))
        weights = {t: self.params.context_weight for t in query_terms if t in context_terms}
        return self._lexical.scores(query_terms, size=len(self._ids), weights=weights or None)

    def dense_scores(self, text: str, *, context: str = "") -> np.ndarray:
        """Per slot: best cosine over label rows + weight * cosine to the description row.

        With a context, the text is also embedded without the words naming it, and the two
        scores are blended so those words count `context_weight` of what they would.
        """
        if self.embedder is None or not self._rows_used:
            return np.full(len(self._ids), -1.0, dtype=np.float32)
        context_terms = set(terms(context))
        stripped = without_words(text, context_terms) if context_terms else text
        if not words(stripped) or stripped == text:
            return self._dense_scores_for(self.embedder.embed([text])[0])
        full, focused = self.embedder.embed([text, stripped])
        weight = self.params.context_weight
        return (
            weight * self._dense_scores_for(full) + (1 - weight) * self._dense_scores_for(focused)
        ).astype(np.float32)

    def _dense_scores_for(self, query: np.ndarray) -> np.ndarray:
        out = np.full(len(self._ids), -1.0, dtype=np.float32)
        sims = self._vectors[: self._rows_used] @ query
        owner, kind = self._owner[: self._rows_used], self._kind[: self._rows_used]
        labels = (owner >= 0) & (kind != DESCRIPTION)
        np.maximum.at(out, owner[labels], sims[labels])
        descriptions = (owner >= 0) & (kind == DESCRIPTION)
        out[owner[descriptions]] += self.params.description_weight * sims[descriptions]
        return out

    def search(
        self, text: str, k: int = 10, *, mode: Mode | None = None, context: str = ""
    ) -> list[Match]:
        """The k best documents for a text; ``mode`` forces one ranker (default: all active).

        ``context`` names the searcher's own job and unit ("Claims handler. Motor Claims"):
        query words it contains count ``params.context_weight`` (0.25), so a need follows the
        problem it describes rather than the job of the people who have it.
        """
        mode = mode or ("hybrid" if self.embedder else "lexical")
        if mode != "lexical" and self.embedder is None:
            raise ValueError(f"mode {mode!r} needs an embedder; active rankers: {self.rankers}")
        if not self._docs or not text.strip():
            return []
        lexical = self.lexical_scores(text, context=context)
        if mode == "lexical":
            dense = np.zeros_like(lexical)
        else:
            dense = self.dense_scores(text, context=context)
        fused = self._fuse(lexical, dense, mode)
        valid = np.array([i is not None for i in self._ids])
        fused[~valid] = -np.inf
        if mode == "lexical":
            fused[lexical <= 0] = -np.inf
        k = min(k, int(np.isfinite(fused).sum()))
        top = np.argpartition(-fused, k - 1)[:k] if k else np.zeros(0, dtype=np.int64)
        top = top[np.argsort(-fused[top], kind="stable")]
        shown_words = self._query_words(text)
        return [
            Match(
                id=self._ids[slot] or "",
                score=float(fused[slot]),
                matched_terms=self._matched_words(shown_words, int(slot)),
                lexical_score=float(lexical[slot]),
                dense_score=float(dense[slot]),
            )
            for slot in top
        ]

    def _fuse(self, lexical: np.ndarray, dense: np.ndarray, mode: Mode) -> np.ndarray:
        if mode == "lexical":
            return lexical.copy()
        if mode == "dense":
            return dense.copy()
        if self.params.fusion == "rrf":
            return reciprocal_rank_fusion([lexical, dense], k=self.params.rrf_k)
        return weighted_fusion(lexical, dense, self.params.lexical_weight)

    def _matched_words(self, query_words: list[str], slot: int) -> tuple[str, ...]:
        doc_terms = self._lexical.doc_terms(slot)
        seen: dict[str, None] = {}
        for word in query_words:
            if stem(word) in doc_terms:
                seen.setdefault(word, None)
        return tuple(seen)


def weighted_fusion(lexical: np.ndarray, dense: np.ndarray, lexical_weight: float) -> np.ndarray:
    """Dense cosine plus the lexical score scaled to the query's best lexical score."""
    best = float(lexical.max()) if lexical.size else 0.0
    scaled = lexical / best if best > 0 else lexical
    return (dense + lexical_weight * scaled).astype(np.float32)


def reciprocal_rank_fusion(rankings: Sequence[np.ndarray], k: int = 60) -> np.ndarray:
    """Sum of 1 / (k + rank) over rankers (rank 1 = best score)."""
    fused = np.zeros(len(rankings[0]), dtype=np.float32)
    for scores in rankings:
        ranks = np.empty(len(scores), dtype=np.float32)
        ranks[np.argsort(-scores, kind="stable")] = np.arange(1, len(scores) + 1)
        fused += 1.0 / (k + ranks)
    return fused


def timed(action: Callable[[], object]) -> float:
    """Seconds one call takes (for benchmarks and logs)."""
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


__all__ = [
    "Document",
    "Match",
    "MatchIndex",
    "MatchParams",
    "competency",
    "job_profile",
    "reciprocal_rank_fusion",
    "weighted_fusion",
]


# Job titles are short and their synonyms live in the alternative titles: embed each title
# (max-sim), skip descriptions, and lean less on BM25 (tuned on JobBERT validation titles).
JOB_PROFILE_PARAMS = MatchParams(
    embed_alt_labels=True, embed_description=False, lexical_weight=0.2, drop_filler=False
)

_TITLE_NOISE = re.compile(
    r"\(?\b[mwfdhx]\s*/\s*[mwfdhx](\s*/\s*[mwfdhx])?\b\)?"  # (m/f/d), m/w/d
    r"|\b(senior|junior|sr|jr|intern|internship|trainee|graduate|entry level|ft|pt|"
    r"full time|part time|remote|contract|temporary|temp)\b",
    re.IGNORECASE,
)


def clean_title(title: str) -> str:
    """Drop what says nothing about the occupation: gender markers, seniority, contract type."""
    cleaned = " ".join(_TITLE_NOISE.sub(" ", title).split())
    return cleaned or title


def build_job_profile_index(
    job_profiles: Iterable[Document],
    *,
    embedder: Embedder | None = None,
    cache_dir: Path | None = None,
) -> MatchIndex:
    """The same engine over job profiles/occupations, with title-matching settings."""
    return MatchIndex.build(
        job_profiles, embedder=embedder, params=JOB_PROFILE_PARAMS, cache_dir=cache_dir
    )


def suggest_job_profiles(index: MatchIndex, title: str, k: int = 5) -> list[Match]:
    """Closest job profiles for an imported job title, best first."""
    return index.search(clean_title(title), k)
