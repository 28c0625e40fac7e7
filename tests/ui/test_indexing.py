"""Indexing from the window: progress, cancel, closing mid-way, watching folders."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from PySide6.QtCore import Qt

from photoorg.services.library import Library
from photoorg.ui.widgets.sidebar import Scope
from tests.support import scenes
from tests.support.corpus import copy_corpus
from tests.ui.conftest import INDEX_TIMEOUT, START_TIMEOUT, wait_idle


def test_add_the_corpus_folder_and_watch_progress_finish(qtbot, make_window, tmp_path, monkeypatch):
    corpus = copy_corpus(tmp_path / "corpus")
    window = make_window(tmp_path / "catalog")
    monkeypatch.setattr(
        "photoorg.ui.window_indexing.QFileDialog.getExistingDirectory", lambda *a, **k: str(corpus)
    )
    seen: list[tuple[str, int, int]] = []
    window.indexing.progressed.connect(lambda *args: seen.append(args))
    with qtbot.waitSignal(window.indexing.finished, timeout=INDEX_TIMEOUT) as finished:
        window.commands.actions["add_folder"].trigger()
        qtbot.waitUntil(lambda: window.progress.isVisible(), timeout=START_TIMEOUT)
    summary = finished.args[0]
    assert summary["added"] > 40
    assert not window.progress.isVisible()
    assert any(phase == "reading" and total > 0 for phase, _done, total in seen)
    wait_idle(qtbot, window, timeout=INDEX_TIMEOUT)
    qtbot.waitUntil(
        lambda: window.browser.model.rowCount() == summary["added"], timeout=START_TIMEOUT
    )
    # The sidebar's folder list is refreshed on a worker after the index finished.
    folder = Scope("folder", str(corpus.resolve()))
    qtbot.waitUntil(lambda: window.sidebar.select_scope(folder), timeout=START_TIMEOUT)
    qtbot.waitUntil(
        lambda: f"{summary['added']} in the library" in window.status_text.text().replace(",", ""),
        timeout=START_TIMEOUT,
    )


def test_progress_text_shows_rate_and_time_left(qtbot, make_window, tmp_path):
    window = make_window(tmp_path / "catalog", model="local-dir:/nonexistent")
    progress = window.progress
    progress.show_progress("reading", 0, 500)
    progress._phase_start -= 2.0  # as if two seconds went by
    progress.show_progress("reading", 100, 500)
    text = progress.label.text()
    assert "Reading 100 of 500" in text and "photos/s" in text and "left" in text
    progress.show_progress("listing", 2000, 0)
    assert progress.bar.maximum() == 0  # busy indicator while the total is unknown


def _slow_library(folder: Path, n: int = 360) -> None:
    scenes.write_library(folder, n, seed=5, size=320)


def test_cancel_keeps_what_was_read(qtbot, make_window, tmp_path):
    photos = tmp_path / "photos"
    _slow_library(photos)
    window = make_window(tmp_path / "catalog")
    seen: list[tuple[str, int, int]] = []
    window.indexing.progressed.connect(lambda *args: seen.append(args))
    window.indexing.index([str(photos)])
    qtbot.waitUntil(
        lambda: any(phase == "reading" and done > 0 for phase, done, _ in seen),
        timeout=INDEX_TIMEOUT,
    )
    with qtbot.waitSignal(window.indexing.cancelled, timeout=INDEX_TIMEOUT):
        qtbot.mouseClick(window.progress.cancel_button, Qt.MouseButton.LeftButton)
    assert not window.indexing.running
    wait_idle(qtbot, window)
    kept = window.ctx.library.status()["photos"]
    assert kept < 360  # the cancel stopped the scan
    # What was read stays; the next run reads only the rest: nothing lost, nothing twice.
    with qtbot.waitSignal(window.indexing.finished, timeout=INDEX_TIMEOUT) as finished:
        window.indexing.index([])
    assert finished.args[0]["added"] == 360 - kept
    assert window.ctx.library.status()["photos"] == 360
    wait_idle(qtbot, window, timeout=INDEX_TIMEOUT)


def test_close_during_indexing_then_reopen_with_the_catalog_intact(qtbot, make_window, tmp_path):
    photos = tmp_path / "photos"
    _slow_library(photos)
    catalog = tmp_path / "catalog"
    window = make_window(catalog)
    window.indexing.index([str(photos)])
    qtbot.waitUntil(
        lambda: window.progress.isVisible() and "of" in window.progress.label.text(),
        timeout=INDEX_TIMEOUT,
    )
    started = time.monotonic()
    window.close()  # cancels, waits for the worker, closes the catalog
    assert time.monotonic() - started < 30
    assert window.ctx.library is None and window.ctx.runner.busy == 0

    with Library(catalog) as library:  # opens only if the database passes quick_check
        kept = library.status()["photos"]
    assert kept < 360  # closing stopped the scan (the count is checked by the resume below)

    again = make_window(catalog)
    with qtbot.waitSignal(again.indexing.finished, timeout=INDEX_TIMEOUT) as finished:
        again.indexing.index([])
    assert finished.args[0]["added"] == 360 - kept
    wait_idle(qtbot, again, timeout=INDEX_TIMEOUT)
    qtbot.waitUntil(lambda: again.browser.model.rowCount() == 360, timeout=START_TIMEOUT)
    with Library(catalog) as library:
        assert not library.errors()


def test_new_photos_in_a_watched_folder_appear(qtbot, make_window, tmp_path, shared_library):
    photos = tmp_path / "photos"
    photos.mkdir()
    sources = sorted(Path(shared_library.photos, "scenes").glob("*.jpg"))
    for source in sources[:3]:
        shutil.copy2(source, photos / source.name)
    window = make_window(tmp_path / "catalog")
    window.watcher._timer.setInterval(300)  # the real pause is seconds
    with qtbot.waitSignal(window.indexing.finished, timeout=INDEX_TIMEOUT):
        window.indexing.index([str(photos)])
    qtbot.waitUntil(
        lambda: str(photos.resolve()) in window.watcher.watched(), timeout=START_TIMEOUT
    )
    wait_idle(qtbot, window)
    shutil.copy2(sources[3], photos / "new.jpg")
    qtbot.waitUntil(lambda: window.browser.model.rowCount() == 4, timeout=INDEX_TIMEOUT)


def test_after_a_cancel_the_sidebar_and_the_header_agree(qtbot, make_window, tmp_path):
    photos = tmp_path / "photos"
    _slow_library(photos, 200)
    window = make_window(tmp_path / "catalog")
    window.indexing.ARRIVAL_INTERVAL = 3600  # no refresh while photos stream in
    seen: list[int] = []
    window.indexing.progressed.connect(lambda phase, done, _total: seen.append(done))
    window.indexing.index([str(photos)])
    qtbot.waitUntil(lambda: bool(seen) and seen[-1] >= 40, timeout=INDEX_TIMEOUT)
    with qtbot.waitSignal(window.indexing.cancelled, timeout=INDEX_TIMEOUT):
        window.indexing.cancel()
    qtbot.waitUntil(lambda: window.ctx.runner.busy == 0, timeout=START_TIMEOUT)
    wait_idle(qtbot, window)
    kept = window.ctx.library.status()["online"]
    assert kept > 0
    assert window.sidebar._all_item.text(1) == f"{kept:,}"
    assert window.browser.model.rowCount() == kept
    assert window.browser.summary.text() == f"{kept:,} photo{'s' if kept != 1 else ''}"


def _watched_library(qtbot, make_window, tmp_path, shared_library):
    photos = tmp_path / "photos"
    sources = sorted(Path(shared_library.photos, "scenes").glob("*.jpg"))
    for folder, chosen in (("a", sources[:2]), ("b", sources[2:4])):
        (photos / folder).mkdir(parents=True)
        for source in chosen:
            shutil.copy2(source, photos / folder / source.name)
    window = make_window(tmp_path / "catalog")
    window.watcher._timer.setInterval(300)  # the real pause is seconds
    with qtbot.waitSignal(window.indexing.finished, timeout=INDEX_TIMEOUT):
        window.indexing.index([str(photos)])
    a = str((photos / "a").resolve())
    qtbot.waitUntil(lambda: a in window.watcher.watched(), timeout=START_TIMEOUT)
    wait_idle(qtbot, window)
    asked: list[list[str]] = []
    index = window.indexing.index
    window.indexing.index = lambda folders=(): (asked.append(list(folders)), index(folders))
    return window, photos, sources, asked


def test_the_watcher_rescans_only_the_changed_folder(qtbot, make_window, tmp_path, shared_library):
    window, photos, sources, asked = _watched_library(qtbot, make_window, tmp_path, shared_library)
    shutil.copy2(sources[5], photos / "a" / "new.jpg")
    qtbot.waitUntil(lambda: window.browser.model.rowCount() == 5, timeout=INDEX_TIMEOUT)
    assert asked == [[str((photos / "a").resolve())]]


def test_our_own_sidecar_writes_start_no_rescan(qtbot, make_window, tmp_path, shared_library):
    window, _photos, _sources, asked = _watched_library(
        qtbot, make_window, tmp_path, shared_library
    )
    window.browser.grid.select_row(0)
    path = Path(window.browser.model.path(0))
    window.commands.write_sidecars()
    qtbot.waitUntil(lambda: path.with_name(path.name + ".xmp").is_file(), timeout=START_TIMEOUT)
    qtbot.waitUntil(lambda: "XMP sidecar" in window.statusBar().currentMessage(), timeout=5000)
    qtbot.wait(1000)  # a rescan would start 300 ms after the folder's last change
    assert asked == [] and not window.indexing.running
