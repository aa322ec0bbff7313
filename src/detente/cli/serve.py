"""``detente serve``: the local dashboard and REST API."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from detente.cli.common import DbOption, reporter


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve_command(
        ctx: typer.Context,
        db: Path = DbOption,
        host: Annotated[str, typer.Option(help="Interface to bind; keep 127.0.0.1 unless you mean it.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="TCP port.")] = 8765,
        groups: Annotated[Path | None, typer.Option(help="YAML file of extra groups.")] = None,
    ) -> None:
        """Serve the dashboard and the REST API (read-only; OpenAPI docs at /docs)."""
        import uvicorn

        from detente.web.app import create_app

        if not reporter(ctx).quiet:
            typer.echo(f"detente dashboard on http://{host}:{port}/ (API docs at /docs); Ctrl-C to stop")
        uvicorn.run(create_app(db, groups), host=host, port=port, log_level="warning")
