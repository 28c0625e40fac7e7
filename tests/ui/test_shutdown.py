"""Closing the window cancels running jobs and never hangs on one that cannot stop."""

from __future__ import annotations

import threading
import time

from photoorg.errors import Cancelled
from photoorg.services.tagging.service import Tagging
from tests.ui.conftest import START_TIMEOUT


def test_closing_cancels_a_retag_after_a_decision(qtbot, make_window, catalog_copy, monkeypatch):
    started = threading.Event()

    def endless_retag(self, labels=None, folder=None, dry_run=False, progress=None, cancel=None):
        started.set()
        deadline = time.monotonic() + 20  # a large library's re-tag
        while time.monotonic() < deadline:
            if cancel is not None and cancel.cancelled:
                raise Cancelled("re-tagging cancelled")
            time.sleep(0.01)
        return {}

    monkeypatch.setattr(Tagging, "tag", endless_retag)
    window = make_window(catalog_copy)
    window.show_photo_at(0)
    qtbot.waitUntil(lambda: not window.photo_view.busy, timeout=START_TIMEOUT)
    window.photo_view._decide("holiday snaps", "manual")
    assert started.wait(START_TIMEOUT)
    begun = time.monotonic()
    window.close()
    assert time.monotonic() - begun < 5
    assert window.ctx.library is None and window.ctx.runner.busy == 0


def test_closing_does_not_hang_on_a_job_that_cannot_stop(qtbot, make_window, catalog_copy):
    window = make_window(catalog_copy)
    release = threading.Event()
    running = threading.Event()

    def load_the_model(_lib) -> None:  # torch's import: nothing to cancel it with
        running.set()
        release.wait(60)

    window.ctx.call(load_the_model)
    assert running.wait(START_TIMEOUT)
    begun = time.monotonic()
    assert window.shutdown(wait_ms=500) is False
    assert time.monotonic() - begun < 5
    assert not window.isVisible()
    assert window.ctx.library is not None  # not closed under the running worker
    release.set()
    assert window.ctx.runner.wait(START_TIMEOUT)
    assert window.ctx.close()
