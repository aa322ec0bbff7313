"""detente: news in; clean articles, stories, PLOVER events and relations between states out.

From Python::

    import detente
    detente.run(["examples/corpus"], db="news.duckdb")
    news = detente.open("news.duckdb")
    news.relations("USA,RUS").points
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Detente", "__version__", "ingest", "open", "run"]

if TYPE_CHECKING:
    from detente.api import Detente, ingest, open, run


def __getattr__(name: str) -> Any:
    # The API pulls in every stage; importing it lazily keeps `import detente.actors` (and each
    # worker process that only needs one stage) fast.
    if name in {"Detente", "ingest", "open", "run"}:
        from detente import api

        return getattr(api, name)
    raise AttributeError(f"module 'detente' has no attribute {name!r}")
