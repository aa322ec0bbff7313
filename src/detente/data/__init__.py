"""Package data: actor KB, ontology, triggers, cleaning patterns."""
