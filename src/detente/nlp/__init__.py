"""Shared NLP resources: the spaCy pipeline and sentence embeddings."""
