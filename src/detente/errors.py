"""Errors that reach the user as one line saying what is wrong and what to do."""

from __future__ import annotations


class DetenteError(Exception):
    """Base class: the message is shown to the user as is, without a traceback."""


class InputError(DetenteError):
    """An input file that cannot be used; names the file and the problem."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str]]:
        # raised in a stage's own process, it must unpickle in the parent with both arguments
        return (InputError, (self.path, self.problem))


class DatabaseInUse(DetenteError):
    """Another process holds the store for writing."""


class ConfigError(DetenteError):
    """A data or configuration file is invalid."""
