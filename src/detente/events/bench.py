"""Extraction speed against spaCy's full pipeline, measured side by side over the same texts."""

from __future__ import annotations

import time
from typing import Any

import spacy
from spacy.language import Language

from detente.events.extract import Extractor
from detente.events.stats import ExtractionStats
from detente.nlp.matmul_ops import one_blas_thread
from detente.nlp.spacy_model import model_name, tune_for_inference
from detente.records import Article, Event


def extraction_ratio(texts: list[str], repeats: int = 3) -> dict[str, Any]:
    """Words/s of detente's extraction (actors, triggers, selective parsing, roles) and of the same
    spaCy model with every component enabled, over ``texts``; all warmed up before timing.

    The three are timed in turn ``repeats`` times and each keeps its fastest pass, as ``timeit``
    does: a busy moment of a shared machine then slows one pass, not one side of the ratio.
    ``ratio`` compares with spaCy as it ships. ``ratio_against_tuned`` compares with the full
    pipeline given detente's inference speed-ups too (folded embeddings, numpy BLAS), so it shows
    what choosing the sentences and components alone is worth."""
    words = sum(len(text.split()) for text in texts)
    articles = [Article(id=f"bench-{i}", text=text, language="en") for i, text in enumerate(texts)]
    extractor = Extractor()
    extractor.extract(articles[:2])  # load the parser and the resolver outside the timing
    full = spacy.load(model_name())
    tuned = spacy.load(model_name())
    tune_for_inference(tuned)
    list(full.pipe(texts[:2]))
    list(tuned.pipe(texts[:2]))
    fastest = {"extractor": float("inf"), "full": float("inf"), "tuned": float("inf")}
    events: list[Event] = []
    for _ in range(max(1, repeats)):
        extractor.stats = ExtractionStats()
        extractor.recent_parses.clear()  # nothing parsed before is reused
        started = time.perf_counter()
        events = extractor.extract(articles)
        fastest["extractor"] = min(fastest["extractor"], time.perf_counter() - started)
        fastest["full"] = min(fastest["full"], _seconds(full, texts))
        with one_blas_thread():
            fastest["tuned"] = min(fastest["tuned"], _seconds(tuned, texts))
    extractor_rate, full_rate, tuned_rate = (
        words / fastest[side] if fastest[side] else 0.0 for side in ("extractor", "full", "tuned")
    )
    return {
        "words": words,
        "events": len(events),
        "sentences": extractor.stats.sentences,
        "sentences_parsed": extractor.stats.sentences_parsed,
        "sentences_reused": extractor.stats.sentences_reused,
        "sentences_per_s": round(extractor.stats.sentences / fastest["extractor"]) if fastest["extractor"] else 0,
        "extractor_words_per_s": round(extractor_rate),
        "spacy_full_words_per_s": round(full_rate),
        "ratio": round(extractor_rate / full_rate, 2) if full_rate else 0.0,
        "spacy_full_tuned_words_per_s": round(tuned_rate),
        "ratio_against_tuned": round(extractor_rate / tuned_rate, 2) if tuned_rate else 0.0,
        "repeats": max(1, repeats),
    }


def _seconds(nlp: Language, texts: list[str]) -> float:
    started = time.perf_counter()
    for _doc in nlp.pipe(texts, batch_size=64):
        pass
    return time.perf_counter() - started
