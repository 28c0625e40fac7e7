"""Encoding resumes by itself: photos left without a vector are encoded when the window
starts (or the model arrives), with a banner, and search never sends anyone to the CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

from photoorg.errors import NotEncodedError
from photoorg.services.library import Library
from tests.ui.conftest import INDEX_TIMEOUT, START_TIMEOUT, search, shown_paths, wait_idle


def test_photos_catalogued_without_the_model_are_encoded_at_start(
    qtbot, make_window, tmp_path, shared_library, ui_model_spec
):
    photos = tmp_path / "photos"
    photos.mkdir()
    for source in sorted(Path(shared_library.photos, "scenes").glob("*.jpg"))[:12]:
        shutil.copy2(source, photos / source.name)
    catalog = tmp_path / "catalog"
    with Library(catalog, model=ui_model_spec) as library:
        library.index([photos], encode=False)  # a first run offline: catalogued only
        assert library.pending_encoding() == 12

    window = make_window(catalog, wait=False)
    banners: list[str] = []
    window.indexing.progressed.connect(
        lambda *_: (
            banners.append(window.encoding_banner.message.text())
            if window.encoding_banner.isVisible()
            else None
        )
    )
    with qtbot.waitSignal(window.indexing.finished, timeout=INDEX_TIMEOUT) as finished:
        pass
    assert finished.args[0]["encoded"] == 12
    assert any(text.startswith("Encoding 12 photos that wait") for text in banners), banners
    assert not window.encoding_banner.isVisible()
    assert window.ctx.library.pending_encoding() == 0
    wait_idle(qtbot, window)
    search(qtbot, window, "a red circle")
    assert shown_paths(window)


def test_nothing_encoded_is_explained_in_the_windows_words(qtbot, make_window, catalog_copy):
    window = make_window(catalog_copy)
    asked: list[bool] = []
    window.browser.encoding_needed.connect(lambda: asked.append(True))
    window.browser._on_error(
        window.browser.generation,
        NotEncodedError("nothing is encoded yet: run photoorg index PATH first"),
    )
    tip = window.browser.search_bar.field.toolTip()
    assert "encoded" in tip and "photoorg index" not in tip
    assert asked == [True]
    qtbot.waitUntil(lambda: window.ctx.runner.busy == 0, timeout=START_TIMEOUT)
