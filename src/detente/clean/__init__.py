"""detente clean stage."""
