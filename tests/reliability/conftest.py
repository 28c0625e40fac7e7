"""Fixtures of the reliability suite: the tiny model, loaded once, and an indexed library.

Indexing is the slow part, so one library of generated scenes is indexed per session and
tests that change its catalog get a private copy of the catalog folder. The photos are
shared and only ever read (tests that write next to photos make their own).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.support import scenes

SCENE_COUNT = 48
SCENE_SIZE = 96


@pytest.fixture(scope="session")
def model_spec(request: pytest.FixtureRequest) -> str:
    """The tiny test CLIP as a ``local-dir:`` model name."""
    return request.getfixturevalue("tiny_clip_spec")


@pytest.fixture(scope="session")
def tiny_model(model_spec: str) -> Any:
    """The tiny CLIP loaded once; libraries share it through ``use_loaded_model``."""
    from photoorg.ml.model import ClipModel

    return ClipModel.load(model_spec, "cpu")


def open_library(home: Path, model: Any | None = None, **kwargs: Any) -> Any:
    from photoorg.services.library import Library

    library = Library(home, workers=2, **kwargs)
    if model is not None:
        library.use_loaded_model(model)
    return library


@dataclass(frozen=True)
class Indexed:
    photos: Path  # shared: read only
    catalog: Path  # the template: copy it (``catalog_copy``) before changing anything
    truth: dict[str, scenes.Scene]


@pytest.fixture(scope="session")
def indexed(tmp_path_factory: pytest.TempPathFactory, tiny_model: Any) -> Indexed:
    base = tmp_path_factory.mktemp("reliability-library")
    photos = base / "photos"
    written = scenes.write_library(photos, SCENE_COUNT, seed=21, size=SCENE_SIZE)
    catalog = base / "catalog"
    with open_library(catalog, tiny_model) as library:
        summary = library.index([photos])
        assert summary["added"] == SCENE_COUNT and summary["errors"] == 0
    return Indexed(photos, catalog, {str(p.resolve()): s for p, s in written})


@pytest.fixture
def catalog_copy(tmp_path: Path, indexed: Indexed) -> Path:
    target = tmp_path / "catalog"
    shutil.copytree(indexed.catalog, target)
    return target


@pytest.fixture
def library_factory(tiny_model: Any) -> Iterator[Any]:
    """``open(home)``: a Library using the shared model, closed after the test."""
    opened: list[Any] = []

    def make(home: Path, **kwargs: Any) -> Any:
        library = open_library(home, tiny_model, **kwargs)
        opened.append(library)
        return library

    yield make
    for library in opened:
        library.close()
