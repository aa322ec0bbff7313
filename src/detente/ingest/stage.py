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
    source_articles,
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


def extract_all(batch: Sequence[RawDocument], reporter: Reporter) -> list[ExtractedDocument]:
    """The text lines of each document; one whose extraction fails is skipped with a warning."""
    extracted = []
    for raw in batch:
        try:
            extracted.append(extract_document(raw))
        except Exception as error:  # a parser failing on one odd page must not stop the run
            report_skip(reporter, raw.origin, f"cannot extract text ({type(error).__name__}: {error})")
    return extracted


def article_lines_of(extracted: Sequence[ExtractedDocument]) -> list[ArticleLines]:
    """The candidate boilerplate lines of each document that has an id and a known source."""
    max_chars = load_patterns().learned.max_chars
    found = []
    for item in extracted:
        source = document_source(item)
        if source and item.raw.id:
            found.append(article_lines(item.raw.id, source, item.lines, candidate_keys(item.lines, max_chars)))
    return found


def record_learned(
    store: Store, batch: Sequence[ArticleLines], newly_learned: dict[str, set[int]]
) -> LearnedBoilerplate:
    """Count the batch's lines per source (adding to ``newly_learned`` the lines that cross the
    threshold now); return what is learned so far for the batch's lines."""
    if not batch:
        return LearnedBoilerplate()
    settings = load_patterns().learned
    with store.transaction() as con:
        before, after = record_lines(con, batch)
        totals = source_articles(con, {source for source, _ in after})
    for pair, count in after.items():
        total = totals.get(pair[0], 0)
        if settings.is_learned(count, total) and not settings.is_learned(before.get(pair, 0), total):
            newly_learned.setdefault(pair[0], set()).add(pair[1])
    return LearnedBoilerplate.from_counts(after, totals, settings)


def clean_all(
    extracted: Sequence[ExtractedDocument], learned: LearnedBoilerplate | None, reporter: Reporter
) -> list[Article]:
    """Clean each document; one that keeps no text is skipped with a warning."""
    articles = []
    for item in extracted:
        article = clean_extracted(item, learned).article
        if article.text.strip():
            articles.append(article)
        else:
            report_skip(reporter, item.raw.origin, "no text left after cleaning")
    return articles


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


def apply_learned_to_earlier(store: Store, newly_learned: dict[str, set[int]], batch_size: int) -> int:
    """Strip lines learned during this run from the articles stored before they were learned."""
    if not newly_learned:
        return 0
    with store.reader() as con:
        ids = documents_with_lines(con, newly_learned)
        learned = learned_keys(con, newly_learned, load_patterns().learned)
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
            extracted = extract_all(batch, reporter)
            learned = record_learned(store, article_lines_of(extracted), newly_learned)
            articles = clean_all(extracted, learned, reporter)
            counts["non_english"] += sum(article.language != ENGLISH for article in articles)
            written = upsert_articles(store, articles)
            counts["ingested"] += written.inserted
            counts["updated"] += written.updated
            counts["unchanged"] += written.unchanged
            progress.advance(len(batch))
            reporter.debug(f"ingest batch {number} committed: {len(articles)} articles")
    counts["recleaned"] = apply_learned_to_earlier(store, newly_learned, options.batch_size)
    counts["skipped"] = reporter.counters[SKIPPED_COUNTER] - skipped_before
    return {key: counts[key] for key in ("ingested", "updated", "unchanged", "skipped", "non_english", "recleaned")}
