"""detente scale stage."""
