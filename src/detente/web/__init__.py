"""detente web stage."""
