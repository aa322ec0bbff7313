"""Near duplicates: MinHash signatures over word shingles, and LSH band keys to find candidates.

The band keys are persisted (table ``dedup_bands``), so a new batch finds its candidates among all
earlier articles with one lookup instead of rebuilding an in-memory LSH index. The hashing is
this module's own rather than datasketch's, whose package imports SciPy: about 47 MiB and a second
in every process that computes or compares signatures.
"""

from __future__ import annotations

import functools
import hashlib
import re

import numpy as np

from detente.dedup.settings import MinHashSettings
from detente.records import normalise_text

_WORD = re.compile(r"\w+")
_SHIFT = np.uint64(32)
_GRID = np.linspace(0.0, 1.0, 4001)  # similarity points at which banding's error is integrated


def shingles(text: str, size: int) -> set[bytes]:
    """Word ``size``-grams of the normalised text; a text shorter than that is one shingle."""
    words = _WORD.findall(normalise_text(text))
    if len(words) <= size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


@functools.cache
def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Multipliers and offsets of ``num_perm`` multiply-add-shift hashes (a·h + b mod 2^64) >> 32,
    a strongly universal family from 32-bit shingle hashes to 32 bits (Dietzfelbinger, 1996)."""
    generator = np.random.default_rng(seed)
    multipliers = generator.integers(0, 1 << 64, size=(num_perm, 1), dtype=np.uint64)
    offsets = generator.integers(0, 1 << 64, size=(num_perm, 1), dtype=np.uint64)
    return multipliers, offsets


def signature(text: str, settings: MinHashSettings) -> np.ndarray:
    """The MinHash signature (``num_perm`` uint32 values) of ``text``'s word shingles; a text
    without words gets the largest value everywhere."""
    grams = shingles(text, settings.shingle_words)
    if not grams:
        return np.full(settings.num_perm, (1 << 32) - 1, dtype=np.uint32)
    digests = b"".join(hashlib.blake2b(gram, digest_size=4).digest() for gram in grams)
    hashes = np.frombuffer(digests, dtype="<u4").astype(np.uint64)
    multipliers, offsets = _permutations(settings.num_perm, settings.seed)
    # in place, one permutation a row: the temporaries of (a·h + b) >> 32 cost more than the arithmetic
    permuted = np.multiply(multipliers, hashes)
    permuted += offsets
    permuted >>= _SHIFT
    return permuted.min(axis=1).astype(np.uint32)


@functools.cache
def banding(num_perm: int, threshold: float) -> tuple[int, int]:
    """(bands, rows per band) with at most ``num_perm`` rows in all that minimise the mean of the
    false-positive area below ``threshold`` and the false-negative area above it, where a pair of
    similarity s is a candidate with probability 1 − (1 − s^rows)^bands."""
    below = threshold >= _GRID
    errors: dict[tuple[int, int], float] = {}
    for bands in range(1, num_perm + 1):
        for rows in range(1, num_perm // bands + 1):
            candidate = 1.0 - (1.0 - _GRID**rows) ** bands
            false_positive = np.trapezoid(candidate[below], _GRID[below])
            false_negative = np.trapezoid(1.0 - candidate[~below], _GRID[~below])
            errors[bands, rows] = float(false_positive + false_negative) / 2
    return min(errors, key=errors.__getitem__)


def band_keys(sig: np.ndarray, settings: MinHashSettings) -> list[int]:
    """One signed 64-bit key per LSH band: two texts are candidates if any band key is equal."""
    bands, rows = banding(settings.num_perm, settings.lsh_threshold)
    keys = []
    for band in range(bands):
        digest = hashlib.blake2b(
            sig[band * rows : (band + 1) * rows].tobytes(), digest_size=8, person=band.to_bytes(2, "little")
        ).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.count_nonzero(a == b)) / len(a)
