"""Read-only queries behind the REST API, bounded and parameterised (never string-built from input)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from detente.records import EVENT_TYPES
from detente.relations.dyads import GroupTable, side
from detente.serialise import jsonable
from detente.store import Store
from detente.store.events import EVENT_COLUMNS, row_event

MAX_PAGE = 500
_LIST = "(SELECT unnest(?::VARCHAR[]))"  # one bound list parameter
MODALITIES = ("asserted", "reported", "intended", "hypothetical", "negated", "historical")


class BadRequest(ValueError):
    """A parameter the API cannot use; the message says which and what is allowed."""


@dataclass(slots=True)
class EventFilter:
    dyad: tuple[str, str] | None = None
    actor: str | None = None
    category: str | None = None
    quad: int | None = None
    since: date | None = None
    until: date | None = None
    modality: str | None = None
    text: str | None = None
    event_ids: list[str] | None = None

    def sql(self, groups: GroupTable) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if self.dyad:
            side_a, side_b = (sorted(side(code, groups)) for code in self.dyad)
            clauses.append(
                f"((source_code IN {_LIST} AND target_code IN {_LIST}) "
                f"OR (source_code IN {_LIST} AND target_code IN {_LIST}))"
            )
            params += [side_a, side_b, side_b, side_a]
        if self.actor:
            members = sorted(side(self.actor, groups))
            clauses.append(f"(source_code IN {_LIST} OR target_code IN {_LIST})")
            params += [members, members]
        if self.category:
            if self.category.upper() not in EVENT_TYPES:
                raise BadRequest(f"category {self.category!r}: use one of {', '.join(EVENT_TYPES)}")
            clauses.append("event_type = ?")
            params.append(self.category.upper())
        if self.quad is not None:
            if self.quad not in (1, 2, 3, 4):
                raise BadRequest("quad: use 1 (verbal cooperation) to 4 (material conflict)")
            clauses.append("quad = ?")
            params.append(self.quad)
        if self.since:
            clauses.append("event_date >= ?")
            params.append(self.since)
        if self.until:
            clauses.append("event_date <= ?")
            params.append(self.until)
        if self.modality:
            if self.modality not in MODALITIES:
                raise BadRequest(f"modality {self.modality!r}: use one of {', '.join(MODALITIES)}")
            clauses.append("modality = ?")
            params.append(self.modality)
        if self.text:
            clauses.append("sentence ILIKE ?")
            params.append("%" + self.text.replace("%", r"\%").replace("_", r"\_") + "%")
        if self.event_ids is not None:
            clauses.append(f"(event_id IN {_LIST} OR canonical_id IN {_LIST})")
            params += [self.event_ids, self.event_ids]
        return (" AND ".join(clauses) or "TRUE"), params


def _page(limit: int, offset: int) -> tuple[int, int]:
    if not 1 <= limit <= MAX_PAGE:
        raise BadRequest(f"limit must be between 1 and {MAX_PAGE}")
    if offset < 0:
        raise BadRequest("offset must be 0 or more")
    return limit, offset


def events_page(store: Store, filters: EventFilter, groups: GroupTable, limit: int, offset: int) -> dict[str, Any]:
    limit, offset = _page(limit, offset)
    where, params = filters.sql(groups)
    with store.reader() as con:
        total = con.execute(f"SELECT count(*) FROM events WHERE {where}", params).fetchone()[0]
        rows = con.execute(
            f"SELECT {', '.join(EVENT_COLUMNS)} FROM events WHERE {where} "
            "ORDER BY event_date NULLS LAST, doc_id, sentence_index, event_id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
        titles = dict(
            con.execute(
                "SELECT id, title FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[]))",
                [sorted({row[1] for row in rows})],
            ).fetchall()
        )
    items = []
    for row in rows:
        record = jsonable(row_event(row))
        record["article_title"] = titles.get(record["doc_id"])
        items.append(record)
    return {"total": total, "limit": limit, "offset": offset, "items": items}


def articles_page(store: Store, text: str | None, language: str | None, limit: int, offset: int) -> dict[str, Any]:
    limit, offset = _page(limit, offset)
    clauses, params = ["TRUE"], []
    if text:
        clauses.append("(a.title ILIKE ? OR a.text ILIKE ?)")
        params += [f"%{text}%", f"%{text}%"]
    if language:
        clauses.append("a.language = ?")
        params.append(language)
    where = " AND ".join(clauses)
    sql = f"""
        SELECT a.id, a.title, a.source, a.published, a.date_source, a.language, a.chars, a.url,
               d.duplicate_of, d.dup_kind, d.similarity, s.story_id
        FROM articles a LEFT JOIN duplicates d ON d.doc_id = a.id LEFT JOIN story_articles s ON s.doc_id = a.id
        WHERE {where} ORDER BY a.published NULLS LAST, a.id LIMIT ? OFFSET ?
    """
    with store.reader() as con:
        total = con.execute(f"SELECT count(*) FROM articles a WHERE {where}", params).fetchone()[0]
        cursor = con.execute(sql, [*params, limit, offset])
        names = [column[0] for column in cursor.description]
        items = [jsonable(dict(zip(names, row, strict=True))) for row in cursor.fetchall()]
    return {"total": total, "limit": limit, "offset": offset, "items": items}


def article_detail(store: Store, article_id: str) -> dict[str, Any] | None:
    with store.reader() as con:
        cursor = con.execute(
            "SELECT id, title, source, url, published, date_source, language, text, chars FROM articles WHERE id = ?",
            [article_id],
        )
        names = [column[0] for column in cursor.description]
        row = cursor.fetchone()
        if row is None:
            return None
        article = jsonable(dict(zip(names, row, strict=True)))
        events = [
            jsonable(row_event(r))
            for r in con.execute(
                f"SELECT {', '.join(EVENT_COLUMNS)} FROM events WHERE doc_id = ? ORDER BY sentence_index, event_id",
                [article_id],
            ).fetchall()
        ]
        duplicate = con.execute(
            "SELECT duplicate_of, dup_kind, similarity FROM duplicates WHERE doc_id = ?", [article_id]
        ).fetchone()
        copies = con.execute(
            "SELECT doc_id, dup_kind, similarity FROM duplicates WHERE duplicate_of = ? ORDER BY doc_id",
            [article_id],
        ).fetchall()
        story = con.execute(
            """
            SELECT s.story_id, s.title, list(sa2.doc_id ORDER BY sa2.doc_id)
            FROM story_articles sa JOIN stories s ON s.story_id = sa.story_id
            JOIN story_articles sa2 ON sa2.story_id = s.story_id
            WHERE sa.doc_id = ? GROUP BY s.story_id, s.title
            """,
            [article_id],
        ).fetchone()
    article["events"] = events
    article["duplicate_of"] = (
        {"doc_id": duplicate[0], "dup_kind": duplicate[1], "similarity": duplicate[2]} if duplicate else None
    )
    article["copies"] = [{"doc_id": d, "dup_kind": k, "similarity": s} for d, k, s in copies]
    article["story"] = {"story_id": story[0], "title": story[1], "doc_ids": story[2]} if story else None
    return article


def stories_page(store: Store, limit: int, offset: int) -> dict[str, Any]:
    limit, offset = _page(limit, offset)
    with store.reader() as con:
        total = con.execute("SELECT count(*) FROM stories").fetchone()[0]
        rows = con.execute(
            """
            SELECT s.story_id, s.title, s.first_date, s.last_date, s.main_actors,
                   list(sa.doc_id ORDER BY sa.doc_id) AS doc_ids
            FROM stories s LEFT JOIN story_articles sa ON sa.story_id = s.story_id
            GROUP BY ALL ORDER BY s.first_date NULLS LAST, s.story_id LIMIT ? OFFSET ?
            """,
            [limit, offset],
        ).fetchall()
    names = ["story_id", "title", "first_date", "last_date", "main_actors", "doc_ids"]
    return {
        "total": total,
        "limit": limit,
        "offset": offset,
        "items": [jsonable(dict(zip(names, row, strict=True))) for row in rows],
    }


def actors_seen(store: Store) -> list[dict[str, Any]]:
    """Every actor code that appears on an event, with how often, busiest first."""
    with store.reader() as con:
        rows = con.execute(
            """
            SELECT code, any_value(name) AS name, count(*) AS n_events FROM (
                SELECT source_code AS code, source_name AS name FROM events
                UNION ALL SELECT target_code, target_name FROM events
            ) WHERE code IS NOT NULL GROUP BY code ORDER BY n_events DESC, code
            """
        ).fetchall()
    return [{"code": code, "name": name, "n_events": n} for code, name, n in rows]


def parse_day(value: str | None, name: str) -> date | None:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise BadRequest(f"{name} {value!r}: use YYYY-MM-DD") from error


def parse_dyad_param(value: str | None) -> tuple[str, str] | None:
    if not value:
        return None
    parts = [part.strip().upper() for part in value.split(",")]
    if len(parts) != 2 or not all(part.isalnum() and len(part) <= 12 for part in parts):
        raise BadRequest(f"dyad {value!r}: give two actor codes separated by a comma, e.g. USA,RUS")
    return parts[0], parts[1]
