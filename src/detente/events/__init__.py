"""detente events stage."""
