"""Extraction speed against spaCy's full pipeline, measured side by side over the same texts."""

from __future__ import annotations

import time
from typing import Any

import spacy
from spacy.language import Language

from detente.events.extract import ExtractionStats, Extractor
from detente.nlp.folded_embed import fold_hash_embeddings
from detente.nlp.matmul_ops import one_blas_thread, use_matmul_ops
from detente.nlp.spacy_model import model_name
from detente.records import Article


def extraction_ratio(texts: list[str]) -> dict[str, Any]:
    """Words/s of detente's extraction (actors, triggers, selective parsing, roles) and of the same
    spaCy model with every component enabled, over ``texts``; all warmed up before timing.

    ``ratio`` compares with spaCy as it ships. ``ratio_against_tuned`` compares with the full
    pipeline given detente's inference speed-ups too (folded embeddings, numpy BLAS), so it shows
    what choosing the sentences and components alone is worth."""
    words = sum(len(text.split()) for text in texts)
    articles = [Article(id=f"bench-{i}", text=text, language="en") for i, text in enumerate(texts)]
    extractor = Extractor()
    extractor.extract(articles[:2])  # load the parser and the resolver outside the timing
    full = spacy.load(model_name())
    tuned = spacy.load(model_name())
    fold_hash_embeddings(tuned)
    use_matmul_ops(tuned)
    extractor.stats = ExtractionStats()
    extractor.recent_parses.clear()  # nothing parsed during the warm-up is reused

    started = time.perf_counter()
    events = extractor.extract(articles)
    extractor_seconds = time.perf_counter() - started
    extractor_rate = words / extractor_seconds if extractor_seconds else 0.0
    full_rate = _words_per_s(full, texts, words)
    with one_blas_thread():
        tuned_rate = _words_per_s(tuned, texts, words)
    return {
        "words": words,
        "events": len(events),
        "sentences": extractor.stats.sentences,
        "sentences_parsed": extractor.stats.sentences_parsed,
        "sentences_reused": extractor.stats.sentences_reused,
        "sentences_per_s": round(extractor.stats.sentences / extractor_seconds) if extractor_seconds else 0,
        "extractor_words_per_s": round(extractor_rate),
        "spacy_full_words_per_s": round(full_rate),
        "ratio": round(extractor_rate / full_rate, 2) if full_rate else 0.0,
        "spacy_full_tuned_words_per_s": round(tuned_rate),
        "ratio_against_tuned": round(extractor_rate / tuned_rate, 2) if tuned_rate else 0.0,
    }


def _words_per_s(nlp: Language, texts: list[str], words: int) -> float:
    list(nlp.pipe(texts[:2]))
    started = time.perf_counter()
    for _doc in nlp.pipe(texts, batch_size=64):
        pass
    seconds = time.perf_counter() - started
    return words / seconds if seconds else 0.0
