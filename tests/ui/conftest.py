"""Fixtures for the window's tests: an offscreen Qt, a shared indexed library, windows.

Indexing with the tiny model is the slow part, so one library is indexed per session
and each test gets a private copy of its catalog folder (the photos are shared and
only read; tests that change photos make their own folders).
"""

from __future__ import annotations

import os

# Before anything imports Qt: no display on CI machines.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from photoorg.ui.app import build_window
from photoorg.ui.main_window import MainWindow
from tests.support import scenes
from tests.support.corpus import CORPUS

SCENE_COUNT = 72  # each of the 36 scenes twice
SCENE_SIZE = 96
CORPUS_SAMPLES = ("jpg/Canon_40D.jpg", "jpg/Nikon_D70.jpg", "jpg/Fujifilm_FinePix_E500.jpg")
START_TIMEOUT = 30_000  # ms; generous: CI machines are slow and busy
INDEX_TIMEOUT = 120_000


@pytest.fixture(scope="session")
def ui_model_spec(request: pytest.FixtureRequest) -> str:
    """The tiny test CLIP as a ``local-dir:`` name (the suite's fixture when there is one)."""
    try:
        return request.getfixturevalue("tiny_clip_spec")
    except pytest.FixtureLookupError:
        from tests.support.tinyclip import ensure_tiny_clip, local_dir_spec

        return local_dir_spec(ensure_tiny_clip())


@dataclass(frozen=True)
class SharedLibrary:
    photos: Path  # shared, read only
    catalog: Path  # the template; tests get copies
    truth: dict[str, scenes.Scene]  # path of each generated photo -> what it shows
    corpus: list[Path]


@pytest.fixture(scope="session")
def shared_library(tmp_path_factory: pytest.TempPathFactory, ui_model_spec: str) -> SharedLibrary:
    from photoorg.services.library import Library

    base = tmp_path_factory.mktemp("ui-library")
    photos = base / "photos"
    written = scenes.write_library(photos / "scenes", SCENE_COUNT, seed=11, size=SCENE_SIZE)
    corpus = []
    for name in CORPUS_SAMPLES:
        source = CORPUS / name
        if source.is_file():
            target = photos / "camera" / source.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
            corpus.append(target)
    catalog = base / "catalog"
    with Library(catalog, model=ui_model_spec) as library:
        library.index([photos])
    return SharedLibrary(photos, catalog, {str(p.resolve()): s for p, s in written}, corpus)


@pytest.fixture
def catalog_copy(tmp_path: Path, shared_library: SharedLibrary) -> Path:
    target = tmp_path / "catalog"
    shutil.copytree(shared_library.catalog, target)
    return target


WindowFactory = Callable[..., MainWindow]


TINY = "tiny"
"""``make_window``'s default model: the tiny CLIP (trained on first use, so asked lazily)."""


@pytest.fixture
def make_window(qtbot, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[WindowFactory]:
    """``make_window(catalog, model=..., first_run_done=True)``: a started, shown window."""
    windows: list[MainWindow] = []

    def make(
        catalog: Path, *, model: str = TINY, first_run_done: bool = True, wait: bool = True
    ) -> MainWindow:
        if model == TINY:
            model = request.getfixturevalue("ui_model_spec")
        store = QSettings(
            str(tmp_path / f"settings-{len(windows)}.ini"), QSettings.Format.IniFormat
        )
        if first_run_done:
            store.setValue("first_run_done", "true")
        window = build_window(str(catalog), model, store=store)
        windows.append(window)
        qtbot.addWidget(window)
        window.show()
        if wait:
            with qtbot.waitSignal(window.overview_loaded, timeout=START_TIMEOUT):
                window.start()
            wait_idle(qtbot, window)
        else:
            window.start()
        return window

    yield make
    for window in windows:
        window.shutdown()  # never leave a worker running past the test


def wait_idle(qtbot, window: MainWindow, timeout: int = START_TIMEOUT) -> None:
    """Until no search, photo load or indexing is on its way."""
    qtbot.waitUntil(
        lambda: (
            not window.browser.busy and not window.photo_view.busy and not window.indexing.running
        ),
        timeout=timeout,
    )


def wait_model(qtbot, window: MainWindow, timeout: int = START_TIMEOUT) -> None:
    qtbot.waitUntil(lambda: window.ctx.model_id is not None, timeout=timeout)


def search(qtbot, window: MainWindow, text: str) -> None:
    """Type ``text`` into the search field as a user would, then wait for the results."""
    field = window.browser.search_bar.field
    before = window.browser.generation
    field.setFocus()
    if text:
        field.selectAll()
        qtbot.keyClicks(field, text)  # replaces the selection, like a user typing over it
    else:
        qtbot.keyClick(field, Qt.Key.Key_Escape)  # clears the field
    qtbot.waitUntil(lambda: window.browser.generation > before, timeout=START_TIMEOUT)
    wait_idle(qtbot, window)


def shown_paths(window: MainWindow) -> list[str]:
    model = window.browser.model
    return [model.path(r) for r in range(model.rowCount())]
