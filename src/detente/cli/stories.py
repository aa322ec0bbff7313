"""``detente stories``: articles grouped into stories, with their dates, main actors and a title."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from detente.cli.common import DbOption, TableFormat, emit_records, store_at
from detente.dedup.stories import load_stories
from detente.records import Story

_TABLE_COLUMNS = ("story_id", "first_date", "last_date", "num_articles", "main_actors", "title", "doc_ids")


def story_record(story: Story) -> dict[str, Any]:
    return {
        "story_id": story.story_id,
        "title": story.title,
        "first_date": story.first_date,
        "last_date": story.last_date,
        "num_articles": len(story.doc_ids),
        "main_actors": story.main_actors,
        "doc_ids": story.doc_ids,
    }


def register(app: typer.Typer) -> None:
    @app.command("stories")
    def stories_command(
        db: Path = DbOption,
        fmt: Annotated[TableFormat, typer.Option("--format", help="table or jsonl (also csv, json).")] = (
            TableFormat.table
        ),
        min_articles: Annotated[int, typer.Option(help="Only stories with at least this many articles.")] = 1,
    ) -> None:
        """Stories (newest first) with their articles, dates, main actors and a title."""
        stories = [story for story in load_stories(store_at(db)) if len(story.doc_ids) >= min_articles]
        emit_records((story_record(story) for story in stories), fmt, columns=_TABLE_COLUMNS, title="Stories")
