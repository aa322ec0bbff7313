"""Extraction speed against spaCy's full pipeline, measured side by side over the same texts."""

from __future__ import annotations

import time
from typing import Any

import spacy

from detente.events.extract import ExtractionStats, Extractor
from detente.nlp.spacy_model import model_name
from detente.records import Article


def extraction_ratio(texts: list[str]) -> dict[str, Any]:
    """Words/s of detente's extraction (actors, triggers, selective parsing, roles) and of the same
    spaCy model with every component enabled, over ``texts``; both warmed up before timing."""
    words = sum(len(text.split()) for text in texts)
    articles = [Article(id=f"bench-{i}", text=text, language="en") for i, text in enumerate(texts)]
    extractor = Extractor()
    extractor.extract(articles[:2])  # load the parser and the resolver outside the timing
    full = spacy.load(model_name())
    list(full.pipe(texts[:2]))
    extractor.stats = ExtractionStats()
    extractor.recent_parses.clear()  # nothing parsed during the warm-up is reused

    started = time.perf_counter()
    events = extractor.extract(articles)
    extractor_seconds = time.perf_counter() - started

    started = time.perf_counter()
    for _doc in full.pipe(texts, batch_size=64):
        pass
    full_seconds = time.perf_counter() - started

    extractor_rate = words / extractor_seconds if extractor_seconds else 0.0
    full_rate = words / full_seconds if full_seconds else 0.0
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
    }
