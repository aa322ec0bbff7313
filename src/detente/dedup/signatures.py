"""Per-article dedup features: computed once, persisted, and read back for later batches."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

import duckdb
import numpy as np

from detente.dedup.facts import EMPTY_FACTS, TextFacts, extract_facts
from detente.dedup.minhash import band_keys, signature
from detente.dedup.settings import DedupSettings
from detente.records import Article
from detente.store import Store
from detente.store.db import insert_rows

_WORD_SPAN = re.compile(r"\S+")
FEATURE_COLUMNS = (
    "doc_id", "text_hash", "published", "language", "source", "title", "chars", "minhash", "embedding", "actors",
    "numbers", "dates", "names", "lead_numbers", "lead_dates", "lead_actor",
)  # fmt: skip
_COLUMNS = ", ".join(FEATURE_COLUMNS)


@dataclass(slots=True)
class DocFeatures:
    doc_id: str
    text_hash: str
    published: date | None
    language: str | None
    source: str | None
    title: str | None
    chars: int
    minhash: np.ndarray
    embedding: np.ndarray | None
    actors: frozenset[str]
    facts: TextFacts
    lead_facts: TextFacts = EMPTY_FACTS  # numbers and dates of the title and lead only
    lead_actor: str | None = None  # the first actor the lead names: usually who acted

    @property
    def english(self) -> bool:
        # Articles without a language tag are taken as English: the cleaner tags the rest.
        return self.language in (None, "", "en")


def lead_text(article: Article, words: int) -> str:
    """The title and the first ``words`` words: what the embedding sees."""
    body = " ".join(match.group() for match in _WORD_SPAN.finditer(article.text[: words * 12]))
    lead = " ".join(body.split(" ")[:words])
    return f"{article.title}. {lead}" if article.title else lead


@functools.cache
def _resolver_codes() -> Callable[[str, date | None], list[str]] | None:
    """Actor codes the resolver finds in a text, in text order; None when no resolver is available."""
    try:
        from detente.actors import default_resolver
    except ImportError:
        return None
    resolver = default_resolver()

    def codes(text: str, day: date | None) -> list[str]:
        return [mention.code for mention in resolver.find_mentions(text, on=day) if mention.code]

    return codes


def actor_codes(
    doc_ids: Iterable[str], event_codes: Iterable[tuple[str, str | None, str | None]]
) -> dict[str, set[str]]:
    """Per document, the source and target codes of its events, given as (doc id, source, target)."""
    found: dict[str, set[str]] = {doc_id: set() for doc_id in doc_ids}
    for doc_id, source_code, target_code in event_codes:
        found.setdefault(doc_id, set()).update(code for code in (source_code, target_code) if code)
    return found


def event_actor_codes(store: Store, doc_ids: Sequence[str]) -> dict[str, set[str]]:
    """Source and target codes of each document's extracted events."""
    if not doc_ids:
        return {}
    with store.reader() as con:
        rows = con.execute(
            "SELECT doc_id, source_code, target_code FROM events WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))",
            [list(doc_ids)],
        ).fetchall()
    return actor_codes(doc_ids, rows)


class FeatureSource(Protocol):
    """Features computed elsewhere (e.g. on Ray workers): those it has for these articles, by doc id."""

    def __call__(self, articles: Sequence[Article]) -> dict[str, DocFeatures]: ...


def describes(feature: DocFeatures, article: Article) -> bool:
    """Whether ``feature`` was computed from the article as it is now (its text, title, date and labels)."""
    computed_from = (feature.doc_id, feature.text_hash, feature.title, feature.published, feature.language)
    now = (article.id, article.text_hash, article.title, article.published, article.language)
    return computed_from == now and feature.source == article.source


def compute_features(
    articles: Sequence[Article],
    settings: DedupSettings,
    event_codes: dict[str, set[str]],
    embed: Callable[[Sequence[str]], np.ndarray] | None,
) -> list[DocFeatures]:
    """Features of a batch; ``embed`` is None to skip embeddings (tests of the lexical paths)."""
    leads = [lead_text(article, settings.embedding.lead_words) for article in articles]
    english = [article.language in (None, "", "en") for article in articles]
    vectors: dict[int, np.ndarray] = {}
    if embed is not None:
        wanted = [i for i, is_english in enumerate(english) if is_english]
        if wanted:
            for i, vector in zip(wanted, embed([leads[i] for i in wanted]), strict=True):
                vectors[i] = vector
    resolve = _resolver_codes()
    features = []
    for i, article in enumerate(articles):
        actors = set(event_codes.get(article.id, ()))
        in_lead = resolve(leads[i], article.published) if resolve is not None else []
        actors.update(in_lead)
        features.append(
            DocFeatures(
                doc_id=article.id,
                text_hash=article.text_hash,
                published=article.published,
                language=article.language,
                source=article.source,
                title=article.title,
                chars=article.chars,
                minhash=signature(article.text, settings.minhash),
                embedding=vectors.get(i),
                actors=frozenset(actors),
                facts=extract_facts(f"{article.title or ''}\n{article.text}", settings.facts),
                lead_facts=extract_facts(leads[i], settings.facts),
                lead_actor=in_lead[0] if in_lead else None,
            )
        )
    return features


# -- persistence -------------------------------------------------------------------------------


def save_features(con: duckdb.DuckDBPyConnection, features: Sequence[DocFeatures], settings: DedupSettings) -> None:
    """Inside the caller's transaction: store the batch's features and LSH band keys."""
    if not features:
        return
    ids = [feature.doc_id for feature in features]
    delete_features(con, ids)
    insert_rows(con, "dedup_signatures", FEATURE_COLUMNS, [feature_row(feature) for feature in features])
    bands = [(key, feature.doc_id) for feature in features for key in band_keys(feature.minhash, settings.minhash)]
    insert_rows(con, "dedup_bands", ("bucket", "doc_id"), bands)


def delete_features(con: duckdb.DuckDBPyConnection, doc_ids: Sequence[str]) -> None:
    con.execute("DELETE FROM dedup_signatures WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))", [list(doc_ids)])
    con.execute("DELETE FROM dedup_bands WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))", [list(doc_ids)])


def feature_row(feature: DocFeatures) -> list[Any]:
    embedding = None if feature.embedding is None else feature.embedding.astype(np.float16).tobytes()
    return [
        feature.doc_id,
        feature.text_hash,
        feature.published,
        feature.language,
        feature.source,
        feature.title,
        feature.chars,
        feature.minhash.astype("<u4").tobytes(),
        embedding,
        sorted(feature.actors),
        sorted(feature.facts.numbers),
        sorted(feature.facts.dates),
        sorted(feature.facts.names),
        sorted(feature.lead_facts.numbers),
        sorted(feature.lead_facts.dates),
        feature.lead_actor,
    ]


def _stored_minhash(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u4").astype(np.uint32)


def row_feature(row: Sequence[Any]) -> DocFeatures:
    values = dict(zip(FEATURE_COLUMNS, row, strict=True))
    embedding = values["embedding"]
    return DocFeatures(
        doc_id=values["doc_id"],
        text_hash=values["text_hash"],
        published=values["published"],
        language=values["language"],
        source=values["source"],
        title=values["title"],
        chars=values["chars"],
        minhash=_stored_minhash(values["minhash"]),
        embedding=None if embedding is None else np.frombuffer(embedding, dtype=np.float16).astype(np.float32),
        actors=frozenset(values["actors"] or ()),
        facts=TextFacts(*(frozenset(values[name] or ()) for name in ("numbers", "dates", "names"))),
        lead_facts=TextFacts(
            frozenset(values["lead_numbers"] or ()), frozenset(values["lead_dates"] or ()), frozenset()
        ),
        lead_actor=values["lead_actor"],
    )


def load_features(store: Store, doc_ids: Iterable[str]) -> dict[str, DocFeatures]:
    ids = sorted(set(doc_ids))
    if not ids:
        return {}
    with store.reader() as con:
        rows = con.execute(
            f"SELECT {_COLUMNS} FROM dedup_signatures WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))", [ids]
        ).fetchall()
    return {row[0]: row_feature(row) for row in rows}


def features_in_window(store: Store, first: date, last: date, window_days: int) -> list[DocFeatures]:
    """Stored features of articles published from ``first - window`` to ``last + window``."""
    with store.reader() as con:
        rows = con.execute(
            f"SELECT {_COLUMNS} FROM dedup_signatures WHERE published BETWEEN ? AND ? ORDER BY published, doc_id",
            [first - timedelta(days=window_days), last + timedelta(days=window_days)],
        ).fetchall()
    return [row_feature(row) for row in rows]


def hash_holders(store: Store, hashes: Iterable[str]) -> list[tuple[str, str]]:
    """(doc id, text hash) of stored articles having one of ``hashes``."""
    wanted = sorted(set(hashes))
    if not wanted:
        return []
    with store.reader() as con:
        return con.execute(
            "SELECT doc_id, text_hash FROM dedup_signatures WHERE text_hash IN (SELECT unnest(?::VARCHAR[]))",
            [wanted],
        ).fetchall()


def bucket_mates(store: Store, features: Sequence[DocFeatures], settings: DedupSettings) -> dict[str, set[str]]:
    """For each new article, the stored articles sharing an LSH bucket with it."""
    owners: list[str] = []
    keys: list[int] = []
    for feature in features:
        for key in band_keys(feature.minhash, settings.minhash):
            owners.append(feature.doc_id)
            keys.append(key)
    mates: dict[str, set[str]] = {feature.doc_id: set() for feature in features}
    if not keys:
        return mates
    with store.reader() as con:
        rows = con.execute(
            "SELECT DISTINCT k.owner, b.doc_id FROM dedup_bands b "
            "JOIN (SELECT unnest(?::BIGINT[]) AS bucket, unnest(?::VARCHAR[]) AS owner) k USING (bucket)",
            [keys, owners],
        ).fetchall()
    for doc_id, stored_id in rows:
        mates[doc_id].add(stored_id)
    # Articles of the same batch that share a bucket with each other.
    key_owners: dict[int, set[str]] = {}
    for key, doc_id in zip(keys, owners, strict=True):
        key_owners.setdefault(key, set()).add(doc_id)
    for found in key_owners.values():
        for doc_id in found:
            mates[doc_id].update(found - {doc_id})
    return mates


def stored_signatures(
    store: Store, doc_ids: Iterable[str], rows_at_once: int = 5000
) -> Iterator[tuple[str, str, np.ndarray]]:
    """(doc id, text hash, MinHash signature) of the stored articles among ``doc_ids``, read
    ``rows_at_once`` at a time. A batch's LSH candidates grow with the store (at 19,000 articles,
    20 per new article and up to 345, some buckets holding 200 articles): loaded whole, their
    features cost about 7.7 kB each in Python, these 670 bytes, and only one chunk is held."""
    ids = sorted(set(doc_ids))
    if not ids:
        return
    with store.reader() as con:
        result = con.execute(
            "SELECT doc_id, text_hash, minhash FROM dedup_signatures WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))",
            [ids],
        )
        while rows := result.fetchmany(rows_at_once):
            for doc_id, text_hash, minhash in rows:
                yield doc_id, text_hash, _stored_minhash(minhash)
