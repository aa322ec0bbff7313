"""The dedup stage: duplicates, stories and canonical events for the articles not yet processed.

Incremental: pending articles (new, changed, or seen by an older version of this stage) are taken
in publication order, a batch at a time. Each batch computes its features without holding the
database, finds its links among stored features (hash, LSH buckets, time window), and writes
features, duplicate groups, stories, canonical events and stage marks in one transaction.
Re-running on the same input finds nothing pending and changes nothing.

A long run does its batches in a spawned worker process that is replaced every
``DEFAULT_WORKER_ARTICLES`` articles. A process that embeds and queries batch after batch keeps
growing (about 4 kB per article, in native allocations that neither ``malloc_trim`` nor closing
DuckDB gives back), while a fresh process on a database of any size starts at the same footprint,
so replacing the worker keeps that growth from accumulating over a long run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from detente.dedup.canonical import refresh_canonical
from detente.dedup.exact import exact_links
from detente.dedup.groups import regroup
from detente.dedup.minhash import estimated_jaccard
from detente.dedup.settings import DedupSettings, load_settings
from detente.dedup.signatures import (
    DocFeatures,
    FeatureSource,
    bucket_mates,
    compute_features,
    delete_features,
    describes,
    event_actor_codes,
    features_in_window,
    hash_holders,
    load_features,
    save_features,
    stored_signatures,
)
from detente.dedup.stories import assign_stories, refresh_stories
from detente.dedup.window import window_links
from detente.pipeline import RunOptions
from detente.processes import spawn_pool
from detente.progress import Reporter
from detente.records import Article, DuplicateLink
from detente.store import Store
from detente.store.articles import iter_articles
from detente.store.db import insert_rows
from detente.store.marks import mark_done, pending_documents

STAGE = "dedup"
DEFAULT_BATCH = 1000
DEFAULT_WORKER_ARTICLES = 5000
Embedder = Callable[[Sequence[str]], np.ndarray]


def stage_version(settings: DedupSettings) -> str:
    return f"dedup-{settings.version}"


def default_embedder(settings: DedupSettings) -> Embedder:
    """MiniLM over the leads; the model loads on the first call, so a run whose features were all
    computed elsewhere never loads it."""

    def embed(texts: Sequence[str]) -> np.ndarray:
        from detente.nlp.embeddings import load_encoder

        encoder = load_encoder()
        return encoder.encode(texts, batch_size=settings.embedding.batch_size, max_tokens=settings.embedding.max_tokens)

    return embed


def dedup_stage(store: Store, options: RunOptions, reporter: Reporter) -> dict[str, Any]:
    """``options.extra`` may hold ``dedup_embedder`` (an ``Embedder``), ``dedup_batch_size``,
    ``dedup_features`` (a ``FeatureSource`` of features computed elsewhere, e.g. by the Ray runner;
    picklable, since worker processes read it) and ``dedup_worker_articles`` (articles a worker
    process handles before it is replaced; 0 keeps every batch in this process). A custom embedder
    keeps the batches in this process: it need not be picklable."""
    settings = load_settings()
    version = stage_version(settings)
    pending = pending_documents(store, STAGE, version)
    summary: Counter[str] = Counter()
    if pending:
        pending = sorted(set(pending) | _detach(store, pending, settings))
        ordered = _by_publication(store, pending)
        batch_size = max(1, int(options.extra.get("dedup_batch_size", DEFAULT_BATCH)))
        worker_articles = int(options.extra.get("dedup_worker_articles", DEFAULT_WORKER_ARTICLES))
        batches = [ordered[start : start + batch_size] for start in range(0, len(ordered), batch_size)]
        custom_embedder: Embedder | None = options.extra.get("dedup_embedder")
        supplied: FeatureSource | None = options.extra.get("dedup_features")
        if custom_embedder is not None or worker_articles <= 0 or len(ordered) <= worker_articles:
            embed = custom_embedder or default_embedder(settings)
            results = (_process_batch(store, batch, settings, embed, version, supplied) for batch in batches)
        else:
            per_worker = max(1, worker_articles // batch_size)
            results = _in_replaced_workers(store.path, batches, settings, version, supplied, per_worker)
        with reporter.task("stories", total=len(ordered)) as task:
            for batch, counts in zip(batches, results, strict=True):
                summary.update(counts)
                task.advance(len(batch))
    summary["canonical_events"] += _relink_new_mentions(store, settings)
    return {
        "articles": len(pending),
        **{key: summary[key] for key in ("exact", "near", "rewrite")},
        "stories": summary["stories"],
        "canonical_events": summary["canonical_events"],
    }


def _in_replaced_workers(
    path: Path,
    batches: list[list[str]],
    settings: DedupSettings,
    version: str,
    supplied: FeatureSource | None,
    batches_per_worker: int,
) -> Iterator[Counter[str]]:
    """Each batch's counts, the batches done one after another (each sees the ones before it) in
    a spawned process that is replaced after ``batches_per_worker`` batches."""
    # A pool per worker rather than ``max_tasks_per_child``, whose pool starts the next worker
    # while the last one is still exiting (seen in a trace: both resident at once).
    for start in range(0, len(batches), batches_per_worker):
        with spawn_pool(1, _init_worker, (path, settings, version, supplied)) as pool:
            for batch in batches[start : start + batches_per_worker]:
                yield pool.submit(_worker_batch, batch).result()


_worker: dict[str, Any] = {}


def _init_worker(path: Path, settings: DedupSettings, version: str, supplied: FeatureSource | None) -> None:
    _worker.update(
        store=Store(path), settings=settings, embed=default_embedder(settings), version=version, supplied=supplied
    )


def _worker_batch(ids: list[str]) -> Counter[str]:
    return _process_batch(
        _worker["store"], ids, _worker["settings"], _worker["embed"], _worker["version"], _worker["supplied"]
    )


def _by_publication(store: Store, ids: list[str]) -> list[str]:
    with store.reader() as con:
        rows = con.execute(
            "SELECT id FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[])) ORDER BY published NULLS LAST, id", [ids]
        ).fetchall()
    return [row[0] for row in rows]


def _detach(store: Store, pending: list[str], settings: DedupSettings) -> set[str]:
    """Remove what earlier runs derived from articles about to be redone; returns the other
    articles that lose their group's canonical copy and must be re-linked too."""
    with store.transaction() as con:
        stale = [
            row[0]
            for row in con.execute(
                "SELECT doc_id FROM dedup_signatures WHERE doc_id IN (SELECT unnest(?::VARCHAR[])) "
                "UNION SELECT doc_id FROM story_articles WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))",
                [pending, pending],
            ).fetchall()
        ]
        if not stale:
            return set()
        orphans = {
            row[0]
            for row in con.execute(
                "SELECT doc_id FROM duplicates WHERE duplicate_of IN (SELECT unnest(?::VARCHAR[]))", [stale]
            ).fetchall()
        } - set(stale)
        detached = [*stale, *orphans]
        stories = [
            row[0]
            for row in con.execute(
                "SELECT DISTINCT story_id FROM story_articles WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))",
                [detached],
            ).fetchall()
        ]
        con.execute("DELETE FROM duplicates WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))", [detached])
        con.execute("DELETE FROM story_articles WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))", [detached])
        delete_features(con, detached)
        refresh_stories(con, stories, settings.stories.main_actors)
        refresh_canonical(con, stories, settings.publication_lag_days)
    return orphans


def _features(
    store: Store,
    articles: list[Article],
    settings: DedupSettings,
    embed: Embedder,
    supplied: FeatureSource | None,
) -> list[DocFeatures]:
    """The supplied features of the articles they still describe; the others computed here."""
    given = supplied(articles) if supplied is not None else {}
    by_id = {article.id: article for article in articles}
    ready = {doc_id: found for doc_id, found in given.items() if doc_id in by_id and describes(found, by_id[doc_id])}
    missing = [article for article in articles if article.id not in ready]
    if missing:
        codes = event_actor_codes(store, [article.id for article in missing])
        ready.update((feature.doc_id, feature) for feature in compute_features(missing, settings, codes, embed))
    return [ready[article.id] for article in articles]


def _process_batch(
    store: Store,
    ids: list[str],
    settings: DedupSettings,
    embed: Embedder,
    version: str,
    supplied: FeatureSource | None,
) -> Counter[str]:
    articles = list(iter_articles(store, ids=ids))
    order = {doc_id: position for position, doc_id in enumerate(ids)}
    articles.sort(key=lambda article: order[article.id])
    features = _features(store, articles, settings, embed, supplied)
    new = {feature.doc_id: feature for feature in features}
    links = exact_links(
        {doc: feature.text_hash for doc, feature in new.items()},
        hash_holders(store, (feature.text_hash for feature in features)),
    )
    links += _near_links(store, features, new, order, settings, {(link.doc_id, link.duplicate_of) for link in links})
    story_pairs: list[tuple[str, str]] = []
    dated = [feature.published for feature in features if feature.published]
    if dated:
        span = max(settings.stories.window_days, settings.rewrite.window_days)
        found = window_links(features, features_in_window(store, min(dated), max(dated), span), settings)
        linked = {frozenset((link.doc_id, link.duplicate_of)) for link in links}
        links += [link for link in found.rewrites if frozenset((link.doc_id, link.duplicate_of)) not in linked]
        story_pairs = found.story_pairs
    touched, rows = _regroup(store, links, new, settings)
    counts: Counter[str] = Counter(row.dup_kind for row in rows if row.doc_id in new)
    with store.transaction() as con:
        save_features(con, features, settings)
        if touched:
            con.execute("DELETE FROM duplicates WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))", [touched])
        insert_rows(
            con, "duplicates", None, [(row.doc_id, row.duplicate_of, row.dup_kind, row.similarity) for row in rows]
        )
        pairs = story_pairs + [(link.doc_id, link.duplicate_of) for link in links]
        changed = assign_stories(
            con, [(feature.doc_id, feature.published) for feature in features], pairs, settings.stories.max_span_days
        )
        refresh_stories(con, changed, settings.stories.main_actors)
        counts["canonical_events"] += refresh_canonical(con, changed, settings.publication_lag_days)
        counts["stories"] += len(changed)
        mark_done(con, STAGE, version, ids)
    return counts


def _near_links(
    store: Store,
    features: list[DocFeatures],
    new: dict[str, DocFeatures],
    order: dict[str, int],
    settings: DedupSettings,
    exact_pairs: set[tuple[str, str]],
) -> list[DuplicateLink]:
    """Near-duplicate links of the new articles to the earlier articles (stored, or earlier in the
    batch) they share an LSH bucket with, ordered by new article then mate."""
    links = []

    def link_if_near(doc_id: str, mate: str, text_hash: str, minhash: np.ndarray) -> None:
        if text_hash == new[doc_id].text_hash or (doc_id, mate) in exact_pairs:
            return
        jaccard = estimated_jaccard(new[doc_id].minhash, minhash)
        if jaccard >= settings.minhash.near_min_jaccard:
            links.append(DuplicateLink(doc_id, mate, "near", round(jaccard, 4)))

    sharing: dict[str, list[str]] = {}  # stored article → the new articles sharing a bucket with it
    for doc_id, found in bucket_mates(store, features, settings).items():
        for mate in found:
            if mate not in new:
                sharing.setdefault(mate, []).append(doc_id)
            elif order[mate] < order[doc_id]:  # the later article of a pair in the batch links to the earlier
                link_if_near(doc_id, mate, new[mate].text_hash, new[mate].minhash)
    for mate, text_hash, minhash in stored_signatures(store, sharing):
        for doc_id in sharing[mate]:
            link_if_near(doc_id, mate, text_hash, minhash)
    return sorted(links, key=lambda link: (order[link.doc_id], link.duplicate_of))


def _regroup(
    store: Store, links: list[DuplicateLink], new: dict[str, DocFeatures], settings: DedupSettings
) -> tuple[list[str], list[DuplicateLink]]:
    others = sorted({link.duplicate_of for link in links if link.duplicate_of not in new})
    with store.reader() as con:
        group_of = dict(
            con.execute(
                "SELECT doc_id, duplicate_of FROM duplicates WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))", [others]
            ).fetchall()
        )
        roots = sorted({group_of.get(doc, doc) for doc in others})
        members_of: dict[str, list[str]] = {}
        for canonical, member in con.execute(
            "SELECT duplicate_of, doc_id FROM duplicates WHERE duplicate_of IN (SELECT unnest(?::VARCHAR[]))", [roots]
        ).fetchall():
            members_of.setdefault(canonical, []).append(member)
    involved = set(others) | set(roots) | {member for found in members_of.values() for member in found}
    known = {**load_features(store, involved - set(new)), **new}
    return regroup(links, group_of, members_of, known, settings)


def _relink_new_mentions(store: Store, settings: DedupSettings) -> int:
    """Canonical events for mentions extracted after their article's story was formed, and no
    canonical rows left pointing at mentions that were re-extracted away."""
    with store.reader() as con:
        stories = [
            row[0]
            for row in con.execute(
                "SELECT DISTINCT sa.story_id FROM events e JOIN story_articles sa ON sa.doc_id = e.doc_id "
                "WHERE e.canonical_id IS NULL"
            ).fetchall()
        ]
        orphans = con.execute(
            "SELECT count(*) FROM canonical_events WHERE representative_event_id NOT IN (SELECT event_id FROM events)"
        ).fetchone()
    if not stories and not (orphans and orphans[0]):
        return 0
    with store.transaction() as con:
        con.execute("DELETE FROM canonical_events WHERE representative_event_id NOT IN (SELECT event_id FROM events)")
        return refresh_canonical(con, stories, settings.publication_lag_days)
