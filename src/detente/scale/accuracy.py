"""How much of what ``detente synth`` planted a run recovered: the events, the copies, the stories.

Scored in DuckDB, between the store and the gold file the generator writes beside the articles, so
that checking 100,000 articles holds no rows in Python. Only the articles in the store count: an
article the cleaner dropped is not a miss of extraction or of deduplication.

- **events**: a dyadic event is (article, source, PLOVER type, target), source and target as
  country codes, in either order for CONSULT and COOPERATE; precision over the dyadic events
  extracted, recall over the gold ones, each distinct tuple once. ``dyad_recall`` ignores the type
  and the direction, ``date_exact`` is the share of matched dated events whose resolved date
  equals the gold date (background events, such as ongoing cooperation, have none).
- **copies**: a planted copy is found when it lands in the same duplicate group as its original,
  per kind (exact, near, rewrite); ``link_precision`` is the share of the duplicate rows written
  whose two articles come from one planted original.
- **stories**: ``copy_recall`` is the share of copies in the story of their original;
  ``pair_precision`` the share of article pairs sharing a story that come from one original (the
  generator's originals are independent reports, so any other pair is a false merge), and
  ``pair_recall`` the share of same-original pairs that share a story.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from detente.errors import DetenteError
from detente.events.evaluate import Counts
from detente.store import Store

_GOLD_COLUMNS = (
    "{'id': 'VARCHAR', 'duplicate_of': 'VARCHAR', 'dup_kind': 'VARCHAR', "
    "'events': 'STRUCT(source VARCHAR, type VARCHAR, target VARCHAR, date DATE)[]'}"
)

# gold(doc_id, root, dup_kind): every stored article with its planted original (itself if none)
_GOLD = f"""
gold AS (
    SELECT g.id AS doc_id, coalesce(g.duplicate_of, g.id) AS root, g.dup_kind, g.events
    FROM read_json(?, format = 'newline_delimited', columns = {_GOLD_COLUMNS}) g
    JOIN articles a ON a.id = g.id
)"""

# Meeting and cooperating are mutual: "officials of A and B met" is right coded A→B or B→A, and a
# coder that codes both directions has found one event, not two.
_MUTUAL = "('CONSULT', 'COOPERATE')"
_FIRST = f"CASE WHEN type IN {_MUTUAL} THEN least(source, target) ELSE source END"
_SECOND = f"CASE WHEN type IN {_MUTUAL} THEN greatest(source, target) ELSE target END"

_EVENTS = f"""
WITH {_GOLD},
planted_events AS (
    SELECT doc_id, e.source, e.type, e.target, e.date FROM (SELECT doc_id, unnest(events) AS e FROM gold)
    WHERE e.source IS NOT NULL AND e.target IS NOT NULL
),
planted AS (
    SELECT DISTINCT doc_id, {_FIRST} AS source, type, {_SECOND} AS target, date FROM planted_events
),
found_events AS (
    SELECT doc_id, source_code AS source, event_type AS type, target_code AS target, event_date AS date
    FROM events WHERE source_code IS NOT NULL AND target_code IS NOT NULL
),
found AS (
    SELECT doc_id, {_FIRST} AS source, type, {_SECOND} AS target, min(date) AS date FROM found_events GROUP BY ALL
),
matched AS (
    SELECT p.date AS planted_date, p.date = f.date AS same_date
    FROM planted p JOIN found f USING (doc_id, source, type, target)
),
planted_pairs AS (SELECT DISTINCT doc_id, least(source, target) AS a, greatest(source, target) AS b FROM planted),
found_pairs AS (SELECT DISTINCT doc_id, least(source, target) AS a, greatest(source, target) AS b FROM found)
SELECT (SELECT count(*) FROM planted), (SELECT count(*) FROM found), (SELECT count(*) FROM matched),
       (SELECT count(*) FILTER (WHERE planted_date IS NOT NULL) FROM matched),
       (SELECT count(*) FILTER (WHERE same_date) FROM matched),
       (SELECT count(*) FROM planted_pairs),
       (SELECT count(*) FROM planted_pairs SEMI JOIN found_pairs USING (doc_id, a, b))
"""

_COPIES = f"""
WITH {_GOLD},
grouped AS (
    SELECT gold.doc_id, gold.root, gold.dup_kind, coalesce(d.duplicate_of, gold.doc_id) AS group_id
    FROM gold LEFT JOIN duplicates d USING (doc_id)
)
SELECT c.dup_kind, count(*), count(*) FILTER (WHERE c.group_id = o.group_id)
FROM grouped c JOIN grouped o ON o.doc_id = c.root
WHERE c.dup_kind IS NOT NULL
GROUP BY c.dup_kind ORDER BY c.dup_kind
"""

_LINKS = f"""
WITH {_GOLD}
SELECT count(*), count(*) FILTER (WHERE a.root = b.root)
FROM duplicates d JOIN gold a ON a.doc_id = d.doc_id JOIN gold b ON b.doc_id = d.duplicate_of
"""

_STORIES = f"""
WITH {_GOLD},
placed AS (SELECT gold.doc_id, gold.root, gold.dup_kind, s.story_id FROM gold JOIN story_articles s USING (doc_id)),
per_root_in_story AS (SELECT count(*) AS k FROM placed GROUP BY story_id, root),
per_story AS (SELECT count(*) AS k FROM placed GROUP BY story_id),
per_root AS (SELECT count(*) AS k FROM placed GROUP BY root)
SELECT
    (SELECT count(*) FROM placed c JOIN placed o ON o.doc_id = c.root WHERE c.dup_kind IS NOT NULL),
    (SELECT count(*) FROM placed c JOIN placed o ON o.doc_id = c.root
        WHERE c.dup_kind IS NOT NULL AND c.story_id = o.story_id),
    (SELECT coalesce(sum(k * (k - 1) // 2), 0) FROM per_story),
    (SELECT coalesce(sum(k * (k - 1) // 2), 0) FROM per_root_in_story),
    (SELECT coalesce(sum(k * (k - 1) // 2), 0) FROM per_root)
"""


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def event_accuracy(con: duckdb.DuckDBPyConnection, gold: str) -> dict[str, Any]:
    row = con.execute(_EVENTS, [gold]).fetchone()
    planted, found, matched, dated, same_date, pairs, pairs_found = row if row else (0,) * 7
    scores = Counts(matched, found - matched, planted - matched).scores()
    return {
        "planted": planted,
        "found": found,
        "matched": matched,
        "precision": scores["precision"],
        "recall": scores["recall"],
        "f1": scores["f1"],
        "dyad_recall": _share(pairs_found, pairs),
        "date_exact": _share(same_date, dated),
    }


def copy_accuracy(con: duckdb.DuckDBPyConnection, gold: str) -> dict[str, Any]:
    scores: dict[str, Any] = {}
    for kind, planted, grouped in con.execute(_COPIES, [gold]).fetchall():
        scores[kind] = {"planted": planted, "grouped": grouped, "recall": _share(grouped, planted)}
    row = con.execute(_LINKS, [gold]).fetchone()
    links, right = row if row else (0, 0)
    scores["links"] = links
    scores["link_precision"] = _share(right, links)
    return scores


def story_accuracy(con: duckdb.DuckDBPyConnection, gold: str) -> dict[str, Any]:
    row = con.execute(_STORIES, [gold]).fetchone()
    copies, together, pairs, right_pairs, gold_pairs = row if row else (0, 0, 0, 0, 0)
    return {
        "copy_recall": _share(together, copies),
        "pairs": pairs,
        "pair_precision": _share(right_pairs, pairs),
        "pair_recall": _share(right_pairs, gold_pairs),
    }


def accuracy_against_gold(
    store: Store, gold_path: Path, *, events: bool = True, stories: bool = True
) -> dict[str, Any]:
    """Scores of the run in ``store`` against the generator's ``gold_path``; ``events`` and
    ``stories`` choose the sections (a section is only meaningful once its stage has run)."""
    if not gold_path.is_file():
        raise DetenteError(f"{gold_path}: no such gold file; `detente synth` writes gold.jsonl beside articles/")
    gold = str(gold_path)
    scores: dict[str, Any] = {}
    with store.reader() as con:
        try:
            if events:
                scores["events"] = event_accuracy(con, gold)
            if stories:
                scores["copies"] = copy_accuracy(con, gold)
                scores["stories"] = story_accuracy(con, gold)
        except duckdb.Error as error:
            raise DetenteError(f"{gold_path}: not a gold file of `detente synth`: {error}") from error
    return scores


def summary_lines(scores: dict[str, Any]) -> list[str]:
    """The scores as the sentences ``detente bench`` and ``detente accuracy`` print."""
    lines = []
    if found := scores.get("events"):
        lines.append(
            f"events against the gold: precision {found['precision']}, recall {found['recall']}, "
            f"F1 {found['f1']} ({found['matched']} of {found['planted']} planted, {found['found']} found); "
            f"pair right whatever the type {found['dyad_recall']}, date exact {found['date_exact']}"
        )
    if copies := scores.get("copies"):
        kinds = ", ".join(
            f"{kind} {found['grouped']}/{found['planted']}" for kind, found in copies.items() if isinstance(found, dict)
        )
        lines.append(f"copies grouped with their original: {kinds}; links right {copies['link_precision']}")
    if stories := scores.get("stories"):
        lines.append(
            f"stories: copies with their original {stories['copy_recall']}; pairs sharing a story "
            f"from one original {stories['pair_precision']} (of {stories['pairs']}), "
            f"same-original pairs sharing a story {stories['pair_recall']}"
        )
    return lines
