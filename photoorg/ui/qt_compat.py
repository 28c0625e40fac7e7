"""Work-arounds for bugs in the Qt bindings that the window must survive.

PySide6 6.12.0 on CPython 3.11 (and older) returns ``None`` from every void method
(``setText``, ``painter.save``...) and from every empty QVariant without taking a
reference to it: each call drops None's reference count by one, and after some tens
of thousands of calls the interpreter aborts with "Fatal Python error: none_dealloc:
deallocating None". PySide6 6.11 does not do this, and on CPython 3.12+ None is
immortal so the miscount is harmless. pyproject.toml excludes 6.12.0; should a later
release bring the bug back (or an environment hold 6.12.0 anyway), ``protect_none``
detects the miscount at start-up and does what CPython 3.12 does: it makes None's
count so large that it can never reach zero. With good bindings it does nothing.
"""

from __future__ import annotations

import ctypes
import sys

_PROBE_CALLS = 64
_HEADROOM = 1 << 60  # 3.12's immortal refcount is of this order; None is never freed anyway


def none_refcount_is_miscounted() -> bool:
    """True when PySide6 drops a reference to None on each void call."""
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(_PROBE_CALLS):
        probe.setObjectName("probe")
    return before - sys.getrefcount(None) >= _PROBE_CALLS // 2


def protect_none() -> bool:
    """Make None immortal if the bindings miscount it; True if that was needed."""
    if sys.version_info >= (3, 12) or not none_refcount_is_miscounted():
        return False
    # ob_refcnt is the first field of every PyObject (a Py_ssize_t) on CPython < 3.12.
    count = ctypes.c_ssize_t.from_address(id(None))
    if count.value < _HEADROOM:
        count.value += _HEADROOM
    return True
