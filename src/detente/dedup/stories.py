"""Stories: articles about one development, linked incrementally within a sliding time window.

A new article joins the story of any article it links to (duplicates always, other articles by
``rewrite.same_story``); when it links to several stories they merge into the oldest one. Earlier
articles are never re-compared with each other, so a batch costs what its own links cost.

A story is one development, so it stops growing ``max_span_days`` after its first report: a link
to a story that began earlier is not followed, and the article starts or joins a younger story (a
copy stays recorded as a duplicate either way). Without the cap, single linkage percolates once
coverage is dense: at about 23 articles a day, leads on the same pair of states a week apart kept
linking, and one synthetic story absorbed 24,713 articles from 2014 to 2024, whose canonical
events every later batch then recomputed.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date

import duckdb

from detente.dedup.groups import UnionFind
from detente.records import Story
from detente.store import Store
from detente.store.db import insert_rows

Span = tuple[date | None, date | None]  # first and last day; None where no member is dated


def story_id_for(first_doc_id: str) -> str:
    return "story-" + hashlib.sha1(first_doc_id.encode("utf-8")).hexdigest()[:12]


def assign_stories(
    con: duckdb.DuckDBPyConnection,
    new_docs: Sequence[tuple[str, date | None]],
    pairs: Iterable[tuple[str, str]],
    max_span_days: int,
) -> set[str]:
    """Inside the caller's transaction: put each new article into a story; returns the stories changed.

    ``new_docs`` are (doc id, publication date) in processing order; ``pairs`` link a new article
    to another article (new or stored), in either order. The new articles join stories one at a
    time in that order, so the span cap holds among them too: an article joins the story of each
    linked article (stored, or new and placed before it) unless that would stretch the story
    beyond ``max_span_days``, the oldest stories first.
    """
    published = dict(new_docs)
    linked: dict[str, set[str]] = {doc_id: set() for doc_id in published}
    for doc_id, other in pairs:
        linked[doc_id].add(other)
        if other in linked:
            linked[other].add(doc_id)
    stored = _stored_stories(con, sorted({other for found in linked.values() for other in found} - set(published)))
    union: UnionFind[str] = UnionFind()
    span: dict[str, Span] = {}  # of each union root
    for story_id, first, last in stored.values():
        span[union.find(f"story:{story_id}")] = (first, last)
    placed: set[str] = set()
    for doc_id, day in new_docs:
        node = f"doc:{doc_id}"
        span[union.find(node)] = (day, day)
        roots = {
            union.find(f"story:{stored[other][0]}" if other in stored else f"doc:{other}")
            for other in linked[doc_id]
            if other in stored or other in placed
        }
        for root in sorted(roots, key=lambda root: (span[root][0] or date.max, root)):
            joined = _joined_span(span[union.find(node)], span[root])
            if _within(joined, max_span_days):
                union.union(root, node)
                span[union.find(node)] = joined
        placed.add(doc_id)
    order = {doc_id: (day or date.max, doc_id) for doc_id, day in new_docs}
    changed: set[str] = set()
    for component in union.components():
        docs = sorted((node[4:] for node in component if node.startswith("doc:")), key=order.__getitem__)
        existing = sorted(node[6:] for node in component if node.startswith("story:"))
        if existing and not docs:
            continue
        if existing:
            survivor = _oldest(con, existing)
            merged = [story for story in existing if story != survivor]
            if merged:
                con.execute(
                    "UPDATE story_articles SET story_id = ? WHERE story_id IN (SELECT unnest(?::VARCHAR[]))",
                    [survivor, merged],
                )
                con.execute("DELETE FROM stories WHERE story_id IN (SELECT unnest(?::VARCHAR[]))", [merged])
        else:
            survivor = story_id_for(docs[0])
        insert_rows(con, "story_articles", None, [(doc, survivor) for doc in docs])
        changed.add(survivor)
    return changed


def _stored_stories(
    con: duckdb.DuckDBPyConnection, doc_ids: list[str]
) -> dict[str, tuple[str, date | None, date | None]]:
    """The story of each stored article in ``doc_ids``, with the story's first and last day."""
    if not doc_ids:
        return {}
    rows = con.execute(
        "SELECT sa.doc_id, sa.story_id, s.first_date, s.last_date FROM story_articles sa "
        "LEFT JOIN stories s ON s.story_id = sa.story_id WHERE sa.doc_id IN (SELECT unnest(?::VARCHAR[]))",
        [doc_ids],
    ).fetchall()
    return {doc_id: (story_id, first, last) for doc_id, story_id, first, last in rows}


def _joined_span(a: Span, b: Span) -> Span:
    firsts = [day for day in (a[0], b[0]) if day]
    lasts = [day for day in (a[1], b[1]) if day]
    return min(firsts, default=None), max(lasts, default=None)


def _within(span: Span, max_span_days: int) -> bool:
    first, last = span
    return first is None or last is None or (last - first).days <= max_span_days


def _oldest(con: duckdb.DuckDBPyConnection, story_ids: list[str]) -> str:
    rows = con.execute(
        "SELECT story_id FROM stories WHERE story_id IN (SELECT unnest(?::VARCHAR[])) "
        "ORDER BY first_date NULLS LAST, story_id LIMIT 1",
        [story_ids],
    ).fetchall()
    return rows[0][0] if rows else story_ids[0]


def refresh_stories(con: duckdb.DuckDBPyConnection, story_ids: Iterable[str], main_actors: int) -> None:
    """Inside the caller's transaction: recompute title, dates and main actors of ``story_ids``."""
    ids = sorted(set(story_ids))
    if not ids:
        return
    rows = con.execute(
        """
        SELECT sa.story_id, a.id, a.title, a.published, s.actors
        FROM story_articles sa JOIN articles a ON a.id = sa.doc_id
        LEFT JOIN dedup_signatures s ON s.doc_id = sa.doc_id
        LEFT JOIN duplicates d ON d.doc_id = sa.doc_id
        WHERE sa.story_id IN (SELECT unnest(?::VARCHAR[]))
        ORDER BY sa.story_id, d.doc_id IS NOT NULL, a.published NULLS LAST, a.id
        """,
        [ids],
    ).fetchall()
    members: dict[str, list[tuple[str, str | None, date | None, list[str] | None]]] = {}
    for story_id, *member in rows:
        members.setdefault(story_id, []).append(tuple(member))  # type: ignore[arg-type]
    con.execute("DELETE FROM stories WHERE story_id IN (SELECT unnest(?::VARCHAR[]))", [ids])
    story_rows = []
    for story_id, docs in members.items():
        # Rows come canonical copies first, earliest first: the title of the first report.
        title = next((title for _, title, _, _ in docs if title), "")
        days = [day for _, _, day, _ in docs if day]
        counts = Counter(code for *_, actors in docs for code in set(actors or ()))
        top = [code for code, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:main_actors]]
        story_rows.append((story_id, title, min(days, default=None), max(days, default=None), top))
    insert_rows(con, "stories", None, story_rows)


def load_stories(store: Store) -> list[Story]:
    """Every story with its articles (earliest first), newest stories first."""
    with store.reader() as con:
        stories = con.execute(
            "SELECT story_id, title, first_date, last_date, main_actors FROM stories "
            "ORDER BY last_date DESC NULLS LAST, story_id"
        ).fetchall()
        members = con.execute(
            "SELECT sa.story_id, sa.doc_id FROM story_articles sa JOIN articles a ON a.id = sa.doc_id "
            "ORDER BY a.published NULLS LAST, a.id"
        ).fetchall()
    doc_ids: dict[str, list[str]] = {}
    for story_id, doc_id in members:
        doc_ids.setdefault(story_id, []).append(doc_id)
    return [
        Story(
            story_id=story_id,
            title=title or "",
            first_date=first,
            last_date=last,
            doc_ids=doc_ids.get(story_id, []),
            main_actors=list(actors or []),
        )
        for story_id, title, first, last, actors in stories
    ]
