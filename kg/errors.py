"""Errors a user can act on.

The library raises these; the CLI turns them into one line on stderr and a non-zero exit. Anything else
escaping the library is a bug and shows a traceback only under ``--debug``.
"""

from __future__ import annotations


class KgError(Exception):
    """An expected failure, with a message meant for the user."""


class InputError(KgError):
    """An input file cannot be read as a key-task document. The message names the file."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem

    def __reduce__(self):
        # Parser workers send these back to the main process: pickle rebuilds an exception from its args
        # (the whole message), which does not fit this constructor.
        return type(self), (self.source, self.problem)


class ConnectionSettingsError(KgError):
    """A server cannot be reached or refuses us; the message names the setting to fix."""
