"""Progress reporting and cancellation shared by every long job.

A job takes a ``Progress`` callback, called with ``(done, total)`` and a short phase name,
and a ``CancelToken`` that it checks between batches. Neither knows about Qt: the GUI
passes a callback that posts to the GUI thread, the CLI one that draws a bar on stderr.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from photoorg.errors import Cancelled

Progress = Callable[[str, int, int], None]
"""``progress(phase, done, total)``; ``total`` is 0 while still unknown."""


def no_progress(phase: str, done: int, total: int) -> None:
    """The progress callback for callers that do not watch."""


class CancelToken:
    """A flag a user sets from any thread; the job raises ``Cancelled`` at its next check."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled("cancelled")
