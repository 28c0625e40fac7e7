"""The window comes up before the catalog and the model, and says what to do first."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from tests.ui.conftest import INDEX_TIMEOUT, START_TIMEOUT, wait_idle

NO_MODEL = "local-dir:/nonexistent/photoorg-test-model"


def test_empty_catalog_shows_a_hint_and_the_first_run_dialog(qtbot, make_window, tmp_path: Path):
    window = make_window(tmp_path / "new-catalog", model=NO_MODEL, first_run_done=False)
    assert window.isVisible()
    assert window.browser.stack.currentWidget() is window.browser.empty
    assert "Add Folder" in window.browser.empty.text()
    dialog = window.first_run_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.reject()
    assert window.settings.first_run_done  # asked once, not at every start


def test_first_run_dialog_is_not_shown_again(qtbot, make_window, tmp_path: Path):
    window = make_window(tmp_path / "new-catalog", model=NO_MODEL, first_run_done=True)
    assert window.first_run_dialog is None


def test_missing_model_is_explained_and_browsing_still_works(
    qtbot, make_window, tmp_path: Path, shared_library, monkeypatch
):
    photos = tmp_path / "photos"
    photos.mkdir()
    for source in list(Path(shared_library.photos, "scenes").glob("*.jpg"))[:5]:
        (photos / source.name).write_bytes(source.read_bytes())
    window = make_window(tmp_path / "catalog", model=f"local-dir:{tmp_path / 'no-such-model'}")
    monkeypatch.setattr(
        "photoorg.ui.window_indexing.QFileDialog.getExistingDirectory", lambda *a, **k: str(photos)
    )
    window.commands.actions["add_folder"].trigger()
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=START_TIMEOUT)
    assert "model folder not found" in window.banner.message.text()
    assert window.banner.message.textFormat() == Qt.TextFormat.PlainText
    wait_idle(qtbot, window, timeout=60_000)
    qtbot.waitUntil(lambda: window.browser.model.rowCount() == 5, timeout=START_TIMEOUT)


def test_first_run_picks_folders_and_starts_indexing(
    qtbot, make_window, tmp_path: Path, shared_library, monkeypatch
):
    photos = tmp_path / "photos"
    photos.mkdir()
    for source in sorted(Path(shared_library.photos, "scenes").glob("*.jpg"))[:4]:
        (photos / source.name).write_bytes(source.read_bytes())
    window = make_window(tmp_path / "catalog", first_run_done=False)
    dialog = window.first_run_dialog
    monkeypatch.setattr(
        "photoorg.ui.dialogs.first_run.QFileDialog.getExistingDirectory",
        lambda *a, **k: str(photos),
    )
    dialog.choose_folder()
    assert dialog.chosen_folders() == [str(photos)]
    with qtbot.waitSignal(window.indexing.finished, timeout=INDEX_TIMEOUT):
        dialog.start_button.click()
    qtbot.waitUntil(lambda: window.browser.model.rowCount() == 4, timeout=START_TIMEOUT)
    qtbot.waitUntil(lambda: window.ctx.model_id is not None, timeout=START_TIMEOUT)


def test_settings_apply_and_window_state_is_restored(qtbot, make_window, tmp_path: Path):
    window = make_window(tmp_path / "catalog", model=NO_MODEL)
    dialog = window.commands.open_settings()
    dialog.thumbnail_size.setValue(224)
    dialog.threads.setValue(3)
    dialog.precision.setCurrentIndex(dialog.precision.findData("int8"))
    dialog.accept()
    assert window.ctx.precision == "int8"
    if window.ctx.library is not None:
        assert window.ctx.library.precision == "int8"  # the next indexing uses it
    assert window.browser.grid.thumbnail_size == 224
    assert window.store.value("thumbnail_size") in (224, "224")
    window.resize(790, 560)  # inside the offscreen screen (800x600): no clamping
    window.splitter.setSizes([300, 490])
    sizes, size = window.splitter.sizes(), window.size()
    store = window.store
    window.close()

    from photoorg.ui.app import build_window

    again = build_window(str(tmp_path / "catalog"), NO_MODEL, store=store)
    qtbot.addWidget(again)
    # restoreGeometry keeps a window inside its screen (offscreen: 800x600), so the
    # height tells (the sidebar's width: the next test).
    assert again.height() == size.height()
    assert sizes[0] > 0
    assert again.settings.thumbnail_size == 224 and again.settings.threads == 3
    assert again.settings.precision == again.ctx.precision == "int8"
    again.shutdown()


def test_the_sidebar_keeps_its_width_after_a_restart(qtbot, make_window, tmp_path: Path):
    """Read off the new window's splitter (the old test read the old window's)."""
    window = make_window(tmp_path / "catalog", model=NO_MODEL)
    window.resize(790, 560)
    window.splitter.setSizes([300, 490])
    sizes, store = window.splitter.sizes(), window.store
    window.close()

    from photoorg.ui.app import build_window

    again = build_window(str(tmp_path / "catalog"), NO_MODEL, store=store)
    qtbot.addWidget(again)
    again.show()  # the splitter lays out its restored sizes when shown
    qtbot.waitExposed(again)
    try:
        assert sizes[0] >= 200  # the width asked for, or near it
        assert again.splitter.sizes()[0] == sizes[0]
    finally:
        again.shutdown()


def test_model_download_shows_progress_and_can_be_cancelled(
    qtbot, make_window, tmp_path: Path, monkeypatch
):
    """Weights not on disk: the banner shows the bytes coming in, and Cancel stops it."""
    import threading

    from photoorg.errors import Cancelled
    from photoorg.services.library import Library

    asked = threading.Event()

    def fake_download(self, progress, cancel):  # the hub, 600 MB away
        total = 600_000_000
        for done in range(0, total, 50_000_000):
            progress("downloading", done, total)
            threading.Event().wait(0.15)  # the relay passes a few updates a second
            if done >= 100_000_000:
                asked.set()
                while not cancel.cancelled:
                    threading.Event().wait(0.01)
                raise Cancelled("download cancelled")

    monkeypatch.setattr(Library, "model_needs_download", lambda self: True)
    monkeypatch.setattr(Library, "download_model", fake_download)
    window = make_window(tmp_path / "catalog", model="ViT-B-32:laion2b_s34b_b79k")
    window.ctx.load_model()
    banner = window.banner
    in_kib = 100_000_000 // 1024  # the bar counts KiB (a QProgressBar holds ints)
    qtbot.waitUntil(lambda: asked.is_set() and banner.progress.value() >= in_kib, timeout=10_000)
    assert banner.isVisible() and banner.progress.isVisible()
    assert "Downloading the model" in banner.message.text() and "600 MB" in banner.message.text()
    assert banner.cancel_button.isVisible() and not banner.retry_button.isVisible()
    qtbot.mouseClick(banner.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: banner.retry_button.isVisible(), timeout=10_000)
    assert "stopped" in banner.message.text()
    assert not banner.progress.isVisible() and not banner.cancel_button.isVisible()
    assert window.ctx.model_id is None
