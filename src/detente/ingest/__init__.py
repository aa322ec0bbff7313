"""detente ingest stage."""
