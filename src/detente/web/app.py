"""The local dashboard: a read-only REST API over the store and the single page that uses it.

Every request opens the DuckDB file read-only for as long as the query takes, so a running
``detente run`` can take the file between requests (and the API waits, briefly, while a batch is
being written). When the file stays busy past the store's timeout the API answers 503 with
Retry-After instead of failing.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from detente import __version__
from detente.errors import DatabaseInUse, DetenteError
from detente.relations.analysis import analyse_dyad
from detente.relations.dyads import load_groups, parse_dyad
from detente.relations.export import analysis_record, link_record
from detente.relations.index import FREQUENCIES
from detente.relations.reciprocity import find_links
from detente.relations.stage import counted_events
from detente.store import Store
from detente.web.queries import (
    MAX_PAGE,
    BadRequest,
    EventFilter,
    actors_seen,
    article_detail,
    articles_page,
    events_page,
    parse_day,
    parse_dyad_param,
    stories_page,
)

STATIC = resources.files("detente.web") / "static"

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"Page size, 1–{MAX_PAGE}.")]
Offset = Annotated[int, Query(ge=0, description="Records to skip.")]


def create_app(db: str | Path, groups_file: str | Path | None = None) -> FastAPI:
    store = Store(db, busy_timeout=5.0)
    groups = load_groups(groups_file)
    app = FastAPI(
        title="detente",
        version=__version__,
        description="Events, relations, stories and tit-for-tat chains between states, with their evidence.",
    )

    @app.exception_handler(BadRequest)
    async def bad_request(_: Request, error: BadRequest) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status_code=400)

    @app.exception_handler(DatabaseInUse)
    async def busy(_: Request, error: DatabaseInUse) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status_code=503, headers={"Retry-After": "2"})

    @app.exception_handler(DetenteError)
    async def detente_error(_: Request, error: DetenteError) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status_code=400)

    @app.get("/api/health")
    def health() -> dict[str, Any]:
        return {"status": "ok", "version": __version__, "db": str(store.path)}

    @app.get("/api/articles")
    def articles(
        q: Annotated[str | None, Query(max_length=200, description="Text in title or body.")] = None,
        language: Annotated[str | None, Query(max_length=8)] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        return articles_page(store, q, language, limit, offset)

    @app.get("/api/articles/{article_id}")
    def article(article_id: str) -> dict[str, Any]:
        found = article_detail(store, article_id)
        if found is None:
            raise HTTPException(404, f"no article with id {article_id!r}")
        return found

    @app.get("/api/events")
    def events(
        dyad: Annotated[str | None, Query(description="Two codes, e.g. USA,RUS (both directions).")] = None,
        actor: Annotated[str | None, Query(max_length=12)] = None,
        category: Annotated[str | None, Query(max_length=12)] = None,
        quad: Annotated[int | None, Query(ge=1, le=4)] = None,
        since: Annotated[str | None, Query(description="YYYY-MM-DD")] = None,
        until: Annotated[str | None, Query(description="YYYY-MM-DD")] = None,
        modality: Annotated[str | None, Query(max_length=16)] = None,
        q: Annotated[str | None, Query(max_length=200, description="Text in the evidence sentence.")] = None,
        ids: Annotated[str | None, Query(max_length=20000, description="Event or canonical ids, comma-sep.")] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        filters = EventFilter(
            dyad=parse_dyad_param(dyad),
            actor=actor.upper() if actor else None,
            category=category,
            quad=quad,
            since=parse_day(since, "since"),
            until=parse_day(until, "until"),
            modality=modality,
            text=q,
            event_ids=[part for part in ids.split(",") if part] if ids else None,
        )
        return events_page(store, filters, groups, limit, offset)

    @app.get("/api/relations")
    def relations(
        dyad: Annotated[str, Query(description="Two codes or groups, e.g. USA,RUS or WEST,RUS.")],
        freq: Annotated[str, Query(description="day, week, month, quarter or year.")] = "month",
        directed: bool = False,
        since: str | None = None,
        until: str | None = None,
    ) -> dict[str, Any]:
        if freq not in FREQUENCIES:
            raise BadRequest(f"freq {freq!r}: use one of {', '.join(FREQUENCIES)}")
        parse_dyad_param(dyad)
        analysis = analyse_dyad(
            counted_events(store),
            parse_dyad(dyad, groups),
            freq,
            directed,
            start=parse_day(since, "since"),
            end=parse_day(until, "until"),
        )
        return analysis_record(analysis)

    @app.get("/api/reciprocity")
    def reciprocity(
        dyad: Annotated[str | None, Query(description="Restrict to a dyad, e.g. USA,RUS.")] = None,
        window: Annotated[int, Query(ge=1, le=730, description="Days within which a response answers.")] = 60,
    ) -> dict[str, Any]:
        chosen = parse_dyad(dyad, groups) if parse_dyad_param(dyad) else None
        links = find_links(counted_events(store), chosen, window)
        return {"total": len(links), "items": [link_record(link) for link in links[:MAX_PAGE]]}

    @app.get("/api/stories")
    def stories(limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        return stories_page(store, limit, offset)

    @app.get("/api/actors")
    def actors() -> dict[str, Any]:
        return {"items": actors_seen(store), "groups": sorted(groups)}

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(str(STATIC / "index.html"), media_type="text/html")

    # StaticFiles resolves paths inside the folder only: "../" cannot leave it.
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    return app
