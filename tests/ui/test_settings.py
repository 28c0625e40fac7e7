"""Settings and the welcome dialog: model, device and folders take effect when chosen."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tests.ui.conftest import INDEX_TIMEOUT, START_TIMEOUT, wait_idle

NO_MODEL = "local-dir:/nonexistent/photoorg-test-model"


def test_clearing_the_model_goes_back_to_the_catalogs_model(qtbot, make_window, catalog_copy):
    window = make_window(catalog_copy)
    window.apply_settings(replace(window.settings, model=NO_MODEL))  # a wrong folder, saved
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=START_TIMEOUT)
    assert window.ctx.model_id is None
    dialog = window.commands.open_settings()
    assert dialog.model.currentText() == NO_MODEL
    dialog.model.setEditText("")
    with qtbot.waitSignal(window.ctx.model_ready, timeout=START_TIMEOUT):
        dialog.accept()
    assert window.ctx.model_id == window.ctx.library.status()["model"]
    assert window.settings.model == "" and window.store.value("model") == ""


def test_a_device_change_applies_now(qtbot, make_window, catalog_copy):
    window = make_window(catalog_copy)
    qtbot.waitUntil(lambda: window.ctx.model_id is not None, timeout=START_TIMEOUT)
    first = window.ctx.library.model()
    dialog = window.commands.open_settings()
    dialog.device.setCurrentIndex(dialog.device.findData("cpu"))
    with qtbot.waitSignal(window.ctx.model_ready, timeout=START_TIMEOUT):
        dialog.accept()
    assert window.ctx.library.device == "cpu"
    assert window.ctx.library.model() is not first  # loaded again, on the new device
    assert "next start" not in window.statusBar().currentMessage()


def test_add_in_settings_lists_the_folder_at_once(
    qtbot, make_window, tmp_path, shared_library, monkeypatch
):
    photos = tmp_path / "photos"
    photos.mkdir()
    for source in sorted(Path(shared_library.photos, "scenes").glob("*.jpg"))[:2]:
        (photos / source.name).write_bytes(source.read_bytes())
    window = make_window(tmp_path / "catalog")
    monkeypatch.setattr(
        "photoorg.ui.window_indexing.QFileDialog.getExistingDirectory", lambda *a, **k: str(photos)
    )
    dialog = window.commands.open_settings()
    assert dialog.roots.count() == 0
    with qtbot.waitSignal(window.indexing.finished, timeout=INDEX_TIMEOUT):
        dialog.add_root_button.click()
        assert [dialog.roots.item(i).text() for i in range(dialog.roots.count())] == [
            str(photos.resolve())
        ]
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: dialog.roots.count() == 1, timeout=START_TIMEOUT)
    dialog.reject()


def test_the_welcome_dialog_refuses_a_folder_without_a_model(
    qtbot, make_window, tmp_path, monkeypatch
):
    empty = tmp_path / "not-a-model"
    empty.mkdir()
    warned: list[str] = []
    monkeypatch.setattr(
        "photoorg.ui.dialogs.settings.QFileDialog.getExistingDirectory",
        lambda *a, **k: str(empty),
    )
    monkeypatch.setattr(
        "PySide6.QtWidgets.QMessageBox.warning",
        lambda _parent, _title, text: warned.append(text),
    )
    window = make_window(tmp_path / "catalog", model=NO_MODEL, first_run_done=False)
    dialog = window.first_run_dialog
    dialog.local_model.setChecked(True)
    assert warned and "open_clip_config.json" in warned[0]
    assert dialog.default_model.isChecked()
    assert dialog.chosen_model() == ""
    dialog.reject()
