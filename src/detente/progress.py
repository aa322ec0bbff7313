"""User-facing progress and warnings: rich progress bars on stderr, one-line warnings, counters."""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


@dataclass
class Reporter:
    """Carries verbosity, collects warnings, and draws progress bars for long work."""

    quiet: bool = False
    verbose: bool = False
    console: Console = field(default_factory=lambda: Console(stderr=True))
    warnings: list[str] = field(default_factory=list)
    counters: Counter[str] = field(default_factory=Counter)

    def warn(self, message: str) -> None:
        """A one-line warning naming the file and the problem; the run goes on."""
        self.warnings.append(message)
        if not self.quiet:
            self.console.print(f"[yellow]warning:[/yellow] {message}", highlight=False, soft_wrap=True)

    def info(self, message: str) -> None:
        if not self.quiet:
            self.console.print(message, highlight=False, soft_wrap=True)

    def debug(self, message: str) -> None:
        if self.verbose and not self.quiet:
            self.console.print(f"[dim]{message}[/dim]", highlight=False, soft_wrap=True)

    @contextlib.contextmanager
    def task(self, description: str, total: int | None = None) -> Iterator[TaskHandle]:
        if self.quiet or not self.console.is_terminal:
            yield TaskHandle(None, None)
            return
        progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
            transient=True,
        )
        with progress:
            task_id = progress.add_task(description, total=total)
            yield TaskHandle(progress, task_id)


@dataclass
class TaskHandle:
    progress: Progress | None
    task_id: object

    def advance(self, steps: int = 1) -> None:
        if self.progress is not None:
            self.progress.advance(self.task_id, steps)  # type: ignore[arg-type]

    def total(self, total: int) -> None:
        if self.progress is not None:
            self.progress.update(self.task_id, total=total)  # type: ignore[arg-type]
