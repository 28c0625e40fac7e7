"""The Problems view: the status bar's "N unreadable files" opens the list of them."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import Qt

from tests.ui.conftest import INDEX_TIMEOUT, START_TIMEOUT


def test_unreadable_files_are_listed_with_their_reason(
    qtbot, make_window, tmp_path, shared_library
):
    photos = tmp_path / "photos"
    photos.mkdir()
    for source in sorted(Path(shared_library.photos, "scenes").glob("*.jpg"))[:2]:
        shutil.copy2(source, photos / source.name)
    broken = [photos / "broken.jpg", photos / "half.png"]
    broken[0].write_bytes(b"not a photo at all")
    broken[1].write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 20)
    window = make_window(tmp_path / "catalog")
    with qtbot.waitSignal(window.indexing.finished, timeout=INDEX_TIMEOUT):
        window.indexing.index([str(photos)])
    button = window.problems_button
    qtbot.waitUntil(lambda: button.isVisible(), timeout=START_TIMEOUT)
    assert button.text() == "2 unreadable files"

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = window.commands.problems_dialog
    qtbot.waitUntil(lambda: dialog is not None and dialog.loaded, timeout=START_TIMEOUT)
    assert dialog.isVisible()
    assert sorted(dialog.paths()) == sorted(str(p.resolve()) for p in broken)
    reasons = [dialog.list.topLevelItem(i).text(1) for i in range(dialog.list.topLevelItemCount())]
    assert all(reasons), reasons

    revealed: list[str] = []
    dialog.reveal_requested.disconnect()
    dialog.reveal_requested.connect(revealed.append)
    dialog.list.setCurrentItem(dialog.list.topLevelItem(0))
    qtbot.mouseClick(dialog.reveal_button, Qt.MouseButton.LeftButton)
    assert revealed == [dialog.paths()[0]]
    dialog.close()
