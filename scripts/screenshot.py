"""The Python half of scripts/screenshot: demo library, real window, query, grab.

Run it through scripts/screenshot (which provides the X server); it also works with any
QT_QPA_PLATFORM, offscreen included, for a quick look.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

QUERY = "a red shape"
CORPUS_PHOTOS = (
    "jpg/Canon_40D.jpg",
    "jpg/Nikon_D70.jpg",
    "jpg/Fujifilm_FinePix_E500.jpg",
    "jpg/Pentax_K10D.jpg",
    "jpg/Sony_HDR-HC3.jpg",
    "jpg/Olympus_C8080WZ.jpg",
)


def build_demo(work: Path) -> tuple[Path, str]:
    """Photos under work/Pictures, indexed into work/catalog with the tiny model."""
    from photoorg.services.library import Library
    from tests.support import scenes
    from tests.support.corpus import CORPUS
    from tests.support.tinyclip import ensure_tiny_clip, local_dir_spec

    spec = local_dir_spec(ensure_tiny_clip())
    pictures = work / "Pictures"
    scenes.write_library(pictures / "Shapes 2023", 108, seed=3, size=256)
    camera = pictures / "Camera roll"
    camera.mkdir(parents=True)
    for name in CORPUS_PHOTOS:
        if (CORPUS / name).is_file():
            shutil.copy2(CORPUS / name, camera / Path(name).name)
    with Library(work / "catalog", model=spec) as library:
        library.index([pictures])
        library.albums.create("Favourites")
        ids = [hit.id for hit in library.browse()][:5]
        library.albums.add("Favourites", ids)
        library.albums.create("Red things", query="a red shape")
    return work / "catalog", spec


def main(output: str) -> int:
    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from photoorg.ui.app import apply_look, build_window

    work = Path(tempfile.mkdtemp(prefix="photoorg-screenshot-"))
    try:
        catalog, spec = build_demo(work)
        app = QApplication([sys.argv[0]])
        app.setApplicationName("PhotoOrg")
        apply_look(app)
        store = QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat)
        store.setValue("first_run_done", "true")
        # SCREENSHOT_LANGUAGE=zh_CN scripts/screenshot docs/screenshot-zh.png: the Chinese window
        store.setValue("language", os.environ.get("SCREENSHOT_LANGUAGE", "en"))
        window = build_window(str(catalog), spec, store=store)
        window.resize(1360, 860)
        window.show()

        def wait(condition, timeout: float) -> None:
            deadline = time.monotonic() + timeout
            while not condition() and time.monotonic() < deadline:
                app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
                time.sleep(0.01)

        window.start()
        wait(lambda: window.overview is not None and window.ctx.model_id is not None, 120)
        window.browser.search_bar.field.setFocus()
        window.browser.search_bar.field.setText(QUERY)
        before = window.browser.generation
        window.browser.search_bar.field.returnPressed.emit()
        wait(lambda: window.browser.generation > before and not window.browser.busy, 60)
        window.browser.grid.select_row(0)
        window.sidebar.expandAll()
        labels = window.sidebar._sections["labels"]
        for i in range(labels.childCount()):
            labels.child(i).setExpanded(False)  # the default label set is long
        # Let the thumbnails arrive and the window settle.
        end = time.monotonic() + 3
        while time.monotonic() < end:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        QTimer.singleShot(0, lambda: None)
        app.processEvents()
        image = window.grab()
        if not image.save(output):
            print(f"screenshot: could not write {output}", file=sys.stderr)
            return 1
        print(
            f"screenshot: wrote {output} ({image.width()}x{image.height()}), query {QUERY!r}, "
            f"{window.browser.model.rowCount()} results"
        )
        window.close()
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else str(REPO / "docs" / "screenshot.png")))
