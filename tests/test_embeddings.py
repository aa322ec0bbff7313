"""The numpy MiniLM encoder reproduces sentence-transformers' all-MiniLM-L6-v2 scores."""

import numpy as np
import pytest

from detente.errors import ConfigError
from detente.nlp import embeddings


@pytest.fixture(scope="module")
def encoder():
    return embeddings.load_encoder()


def test_unit_vectors_and_known_similarities(encoder):
    # Pairs from the sentence-transformers documentation, whose published cosines for this model
    # are 0.8939, 0.6788 and 0.5096.
    vectors = encoder.encode(
        [
            "The new movie is awesome",
            "The new movie is so great",
            "The cat sits outside",
            "The cat plays in the garden",
            "I love pasta",
            "Do you like pizza?",
        ]
    )
    assert vectors.shape == (6, embeddings.DIMENSIONS)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert float(vectors[0] @ vectors[1]) == pytest.approx(0.8939, abs=2e-3)
    assert float(vectors[2] @ vectors[3]) == pytest.approx(0.6788, abs=2e-3)
    assert float(vectors[4] @ vectors[5]) == pytest.approx(0.5096, abs=2e-3)


def test_paraphrase_closer_than_unrelated(encoder):
    first, paraphrase, unrelated = encoder.encode(
        [
            "The government ordered ten foreign diplomats to leave the country within three days.",
            "Ten envoys were told by the authorities to depart within 72 hours.",
            "Heavy rain flooded several villages in the south, and farmers lost their harvest.",
        ]
    )
    assert float(first @ paraphrase) > float(first @ unrelated) + 0.3


def test_batching_and_truncation_do_not_change_short_texts(encoder):
    texts = ["Short one.", "A somewhat longer sentence about talks between two ministers in Vienna."]
    together = encoder.encode(texts, batch_size=2)
    alone = np.vstack([encoder.encode([text]) for text in texts])
    assert np.allclose(together, alone, atol=1e-5)
    truncated = encoder.encode([" ".join(["word"] * 400)], max_tokens=16)
    assert truncated.shape == (1, embeddings.DIMENSIONS)


def test_missing_model_directory_is_a_config_error(tmp_path, monkeypatch):
    monkeypatch.setenv(embeddings.MODEL_ENV, str(tmp_path))
    with pytest.raises(ConfigError, match=r"model\.safetensors"):
        embeddings.model_dir()
