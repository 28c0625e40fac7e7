"""Moving photos through the Library keeps them: same id, decisions and album places,
also after the next scan; a folder under no root is refused before anything moves."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from photoorg.errors import OutsideLibraryError
from photoorg.model.label import Label
from photoorg.services.library import Library
from tests.support import scenes


@pytest.fixture
def library(tmp_path: Path):
    root = tmp_path / "root"
    scenes.write_library(root / "a", 3, seed=3, size=64)
    (root / "b").mkdir()
    with Library(tmp_path / "catalog") as lib:
        lib.index([root], encode=False)
        yield lib


def test_a_move_inside_the_library_keeps_id_decisions_and_albums(library, tmp_path):
    photo_id, path = library.photo_id(next((tmp_path / "root" / "a").glob("*.jpg"))), None
    path = Path(library.info(photo_id)["path"])
    sidecar = path.with_name(path.name + ".xmp")
    sidecar.write_text("<x:xmpmeta xmlns:x='adobe:ns:meta/'/>")
    library.tagging.add_label(Label("holiday", enabled=False))
    library.tagging.set_decision([photo_id], "holiday", "confirmed", retag=False)
    library.albums.create("Best")
    library.albums.add("Best", [photo_id])

    report = library.move_photos([photo_id], tmp_path / "root" / "b")
    moved = Path(report.moved[photo_id])
    assert moved.parent == (tmp_path / "root" / "b").resolve() and moved.is_file()
    assert not path.exists() and not sidecar.exists()
    assert moved.with_name(moved.name + ".xmp").is_file()

    summary = library.index(encode=False)  # the next scan finds it where the catalog says it is
    assert summary["removed"] == 0
    assert library.photo_id(moved) == photo_id
    assert {t["label"]: t["source"] for t in library.tags_of(photo_id)}["holiday"] == "confirmed"
    assert [hit.id for hit in library.albums.photos("Best")] == [photo_id]


def test_a_folder_outside_every_root_is_refused_and_nothing_moves(library, tmp_path):
    path = next((tmp_path / "root" / "a").glob("*.jpg")).resolve()
    photo_id = library.photo_id(path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    with pytest.raises(OutsideLibraryError, match="add it as a library folder"):
        library.move_photos([photo_id], outside)
    assert path.is_file() and not any(outside.iterdir())

    library.add_roots([outside])  # what the window offers
    report = library.move_photos([photo_id], outside)
    assert library.photo_id(report.moved[photo_id]) == photo_id
    assert library.index(encode=False)["removed"] == 0


def test_a_name_taken_in_the_target_gets_a_number(library, tmp_path):
    path = next((tmp_path / "root" / "a").glob("*.jpg")).resolve()
    shutil.copy2(path, tmp_path / "root" / "b" / path.name)
    report = library.move_photos([library.photo_id(path)], tmp_path / "root" / "b")
    assert Path(next(iter(report.moved.values()))).name == f"{path.stem} (2){path.suffix}"
