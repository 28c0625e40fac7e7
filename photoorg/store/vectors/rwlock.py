"""A small readers-writer lock.

hnswlib lets many searches run at once but no search may overlap an insert, and a resize
may overlap nothing. Its bindings release the GIL, so the GIL protects nothing: this
lock gives many readers or one writer.

Writer-preferring: once a writer waits, new readers queue behind it, so a steady stream
of searches cannot starve an insert. The price is that the lock is not reentrant: a
thread that holds the read side and asks for it again deadlocks if a writer is waiting
in between. Never nest acquisitions.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class RWLock:
    """Many readers or one writer; waiting writers go before newly arriving readers."""

    def __init__(self) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._readers = 0
        self._writer = False
        self._writers_waiting = 0

    @contextmanager
    def read(self) -> Iterator[None]:
        with self._cond:
            while self._writer or self._writers_waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if self._readers == 0:
                    self._cond.notify_all()

    @contextmanager
    def write(self) -> Iterator[None]:
        with self._cond:
            self._writers_waiting += 1
            try:
                while self._writer or self._readers:
                    self._cond.wait()
            except BaseException:
                # An interrupted wait must not leave a phantom writer that blocks readers.
                self._writers_waiting -= 1
                self._cond.notify_all()
                raise
            self._writers_waiting -= 1
            self._writer = True
        try:
            yield
        finally:
            with self._cond:
                self._writer = False
                self._cond.notify_all()
