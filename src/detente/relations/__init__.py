"""detente relations stage."""
