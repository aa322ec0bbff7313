"""detente report stage."""
