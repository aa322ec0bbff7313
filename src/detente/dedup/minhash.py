"""Near duplicates: MinHash signatures over word shingles, and LSH band keys to find candidates.

The band keys are persisted (table ``dedup_bands``), so a new batch finds its candidates among all
earlier articles with one indexed lookup instead of rebuilding an in-memory LSH index.
"""

from __future__ import annotations

import functools
import hashlib
import re

import numpy as np
from datasketch import MinHash, MinHashLSH

from detente.dedup.settings import MinHashSettings
from detente.records import normalise_text

_WORD = re.compile(r"\w+")
_SCHEME = "affine32"


def shingles(text: str, size: int) -> set[bytes]:
    """Word ``size``-grams of the normalised text; a text shorter than that is one shingle."""
    words = _WORD.findall(normalise_text(text))
    if len(words) <= size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


@functools.cache
def _template(num_perm: int, seed: int) -> MinHash:
    # Generating the permutations dominates the cost of a MinHash; share them.
    # The scheme is pinned: persisted signatures stay comparable across datasketch versions.
    return MinHash(num_perm=num_perm, seed=seed, scheme=_SCHEME)


@functools.cache
def banding(num_perm: int, threshold: float) -> tuple[int, int]:
    """(bands, rows per band) that datasketch's LSH picks for ``threshold``."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


def signature(text: str, settings: MinHashSettings) -> np.ndarray:
    """The MinHash signature (``num_perm`` uint32 values) of ``text``'s word shingles."""
    template = _template(settings.num_perm, settings.seed)
    minhash = MinHash(
        num_perm=settings.num_perm, seed=settings.seed, permutations=template.permutations, scheme=_SCHEME
    )
    grams = shingles(text, settings.shingle_words)
    if grams:
        minhash.update_batch(list(grams))
    return minhash.hashvalues.astype(np.uint32)


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
