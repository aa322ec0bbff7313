"""detente dedup stage."""
