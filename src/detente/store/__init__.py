"""Persistence: one DuckDB file with versioned schema, transactional writes and typed reads."""

from detente.store.db import DEFAULT_DB, Store, open_store

__all__ = ["DEFAULT_DB", "Store", "open_store"]
