"""The ingest stage: read inputs, clean each document, store the articles batch by batch.

Every batch is written in its own transactions (line counts first, then the articles), so a kill
loses at most the batch in flight. Boilerplate learned from the corpus (a line repeated in many
articles of one source) applies to the batch that crosses the threshold and everything after it;
at the end, articles stored before that batch are stripped of the learned lines too, so the
result does not depend on input order and re-running the same input changes nothing.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from detente.clean.dates import estimate_published
from detente.clean.document import clean_document, clean_extracted, document_source
from detente.clean.extract import ExtractedDocument, extract_document
from detente.clean.learned import LearnedBoilerplate, candidate_keys, line_key
from detente.clean.patterns import load_patterns
from detente.ingest.line_counts import (
    ArticleLines,
    article_lines,
    documents_with_lines,
    learned_keys,
    record_lines,
)
from detente.ingest.readers import read_documents
from detente.ingest.skips import SKIPPED_COUNTER, report_skip
from detente.progress import Reporter
from detente.records import Article, RawDocument
from detente.store import Store
from detente.store.articles import iter_articles, upsert_articles

__all__ = ["clean_document", "ingest_stage", "read_documents"]

ENGLISH = "en"


def _batches(documents: Iterable[RawDocument], size: int) -> Iterator[list[RawDocument]]:
    iterator = iter(documents)
    while batch := list(itertools.islice(iterator, max(1, size))):
        yield batch


def _extract_all(batch: Sequence[RawDocument], reporter: Reporter) -> list[ExtractedDocument]:
    extracted = []
    for raw in batch:
        try:
            extracted.append(extract_document(raw))
        except Exception as error:  # a parser failing on one odd page must not stop the run
            report_skip(reporter, raw.origin, f"cannot extract text ({type(error).__name__}: {error})")
    return extracted


def _learn(
    store: Store, extracted: Sequence[ExtractedDocument], newly_learned: dict[str, set[int]]
) -> LearnedBoilerplate:
    """Count the batch's lines per source; return what is learned so far for the batch's sources."""
    settings = load_patterns().learned
    batch: list[ArticleLines] = []
    for item in extracted:
        source = document_source(item)
        if source and item.raw.id:
            keys = candidate_keys(item.lines, settings.max_chars)
            batch.append(article_lines(item.raw.id, source, item.lines, keys))
    if not batch:
        return LearnedBoilerplate()
    with store.transaction() as con:
        before, after = record_lines(con, batch)
    for pair, count in after.items():
        if count >= settings.min_articles > before.get(pair, 0):
            newly_learned.setdefault(pair[0], set()).add(pair[1])
    return LearnedBoilerplate.from_counts(after, settings.min_articles)


def _strip_learned(article: Article, keys: set[int]) -> Article | None:
    """The article without its learned lines, or None when it has none of them."""
    lines = article.text.split("\n")
    kept = [line for line in lines if line_key(line) not in keys]
    if len(kept) == len(lines) or not kept:
        return None
    article.text = "\n".join(kept)
    article.metadata["removed_lines"] = article.metadata.get("removed_lines", 0) + len(lines) - len(kept)
    if article.date_source == "estimated":
        estimate = estimate_published(article.text)
        article.published = estimate.day if estimate else None
        article.date_source = "estimated" if estimate else None
    return article


def _apply_learned_to_earlier(store: Store, newly_learned: dict[str, set[int]], batch_size: int) -> int:
    """Strip lines learned during this run from the articles stored before they were learned."""
    if not newly_learned:
        return 0
    min_articles = load_patterns().learned.min_articles
    with store.reader() as con:
        ids = documents_with_lines(con, newly_learned)
        learned = learned_keys(con, newly_learned, min_articles)
    changed = [
        stripped
        for article in iter_articles(store, ids=ids)
        if article.source in learned and (stripped := _strip_learned(article, learned[article.source]))
    ]
    updated = 0
    for start in range(0, len(changed), batch_size):
        updated += upsert_articles(store, changed[start : start + batch_size]).updated
    return updated


def ingest_stage(store: Store, paths: list[str], options: Any, reporter: Reporter) -> dict[str, int]:
    """Read ``paths``, clean, and store; returns counts for the closing summary."""
    counts: Counter[str] = Counter()
    skipped_before = reporter.counters[SKIPPED_COUNTER]
    newly_learned: dict[str, set[int]] = {}
    with reporter.task("ingest") as progress:
        for number, batch in enumerate(_batches(read_documents(paths, options, reporter), options.batch_size), 1):
            extracted = _extract_all(batch, reporter)
            learned = _learn(store, extracted, newly_learned)
            articles = []
            for item in extracted:
                article = clean_extracted(item, learned).article
                if not article.text.strip():
                    report_skip(reporter, item.raw.origin, "no text left after cleaning")
                    continue
                articles.append(article)
                counts["non_english"] += article.language != ENGLISH
            written = upsert_articles(store, articles)
            counts["ingested"] += written.inserted
            counts["updated"] += written.updated
            counts["unchanged"] += written.unchanged
            progress.advance(len(batch))
            reporter.debug(f"ingest batch {number} committed: {len(articles)} articles")
    counts["recleaned"] = _apply_learned_to_earlier(store, newly_learned, options.batch_size)
    counts["skipped"] = reporter.counters[SKIPPED_COUNTER] - skipped_before
    return {key: counts[key] for key in ("ingested", "updated", "unchanged", "skipped", "non_english", "recleaned")}
