"""detente: news in; clean articles, stories, PLOVER events and relations between states out.

    import detente
    detente.run(["examples/corpus"], db="news.duckdb")
    news = detente.open("news.duckdb")
    news.relations("USA,RUS").points
"""

__version__ = "0.1.0"

from detente.api import Detente, ingest, open, run

__all__ = ["Detente", "__version__", "ingest", "open", "run"]
