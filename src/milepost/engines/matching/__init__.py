"""Text-to-competency and title-to-job-profile matching: BM25F + dense embeddings, fused.

Plain Python, no Django: the needs app adapts competencies and job profiles in and out.
"""

from milepost.engines.matching.embedding import (
    Embedder,
    EmbedderUnavailable,
    OnnxMiniLMEmbedder,
    default_embedder,
    shared_embedder,
)
from milepost.engines.matching.index import (
    JOB_PROFILE_PARAMS,
    Document,
    Match,
    MatchIndex,
    MatchParams,
    build_job_profile_index,
    clean_title,
    competency,
    job_profile,
    reciprocal_rank_fusion,
    suggest_job_profiles,
    weighted_fusion,
)

__all__ = [
    "JOB_PROFILE_PARAMS",
    "Document",
    "Embedder",
    "EmbedderUnavailable",
    "Match",
    "MatchIndex",
    "MatchParams",
    "OnnxMiniLMEmbedder",
    "build_job_profile_index",
    "clean_title",
    "competency",
    "default_embedder",
    "job_profile",
    "reciprocal_rank_fusion",
    "shared_embedder",
    "suggest_job_profiles",
    "weighted_fusion",
]
