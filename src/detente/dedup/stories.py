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
    to another article (new or stored). A pair to a stored story that began more than
    ``max_span_days`` before the new article is not followed.
    """
    published = dict(new_docs)
    pair_list = list(pairs)
    others = sorted({other for _, other in pair_list if other not in published})
    story_of: dict[str, tuple[str, date | None]] = {}
    if others:
        rows = con.execute(
            "SELECT sa.doc_id, sa.story_id, s.first_date FROM story_articles sa "
            "LEFT JOIN stories s ON s.story_id = sa.story_id WHERE sa.doc_id IN (SELECT unnest(?::VARCHAR[]))",
            [others],
        ).fetchall()
        story_of = {doc_id: (story_id, first_date) for doc_id, story_id, first_date in rows}
    union: UnionFind[str] = UnionFind()
    for doc_id, _ in new_docs:
        union.find(f"doc:{doc_id}")
    for doc_id, other in pair_list:
        if other not in story_of:
            union.union(f"doc:{doc_id}", f"doc:{other}")
            continue
        story_id, first_date = story_of[other]
        day = published[doc_id]
        if day is None or first_date is None or (day - first_date).days <= max_span_days:
            union.union(f"doc:{doc_id}", f"story:{story_id}")
    order = {doc_id: (day or date.max, doc_id) for doc_id, day in new_docs}
    changed: set[str] = set()
    for component in union.components():
        docs = sorted((node[4:] for node in component if node.startswith("doc:")), key=order.__getitem__)
        existing = sorted(node[6:] for node in component if node.startswith("story:"))
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
        if docs:
            insert_rows(con, "story_articles", None, [(doc, survivor) for doc in docs])
        changed.add(survivor)
    return changed


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
