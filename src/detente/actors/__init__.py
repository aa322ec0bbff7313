"""detente actors stage."""
