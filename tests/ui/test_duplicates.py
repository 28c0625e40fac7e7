"""The duplicates view: groups side by side, best first, the rest ticked and moved."""

from __future__ import annotations

import shutil
from pathlib import Path

from PIL import Image

from tests.ui.conftest import INDEX_TIMEOUT, START_TIMEOUT


def test_exact_copies_are_grouped_best_first_and_the_rest_moved(
    qtbot, make_window, tmp_path, shared_library
):
    photos = tmp_path / "photos"
    photos.mkdir()
    sources = sorted(Path(shared_library.photos, "scenes").glob("*.jpg"))[:4]
    for source in sources:
        shutil.copy2(source, photos / source.name)
    shutil.copy2(sources[0], photos / "copy-1.jpg")
    shutil.copy2(sources[0], photos / "copy-2.jpg")
    with Image.open(sources[1]) as img:  # a larger version of another: a near-duplicate
        img.resize((img.width * 2, img.height * 2)).save(photos / "bigger.jpg", quality=95)
    window = make_window(tmp_path / "catalog")
    with qtbot.waitSignal(window.indexing.finished, timeout=INDEX_TIMEOUT):
        window.indexing.index([str(photos)])

    dialog = window.commands.open_duplicates()
    qtbot.waitUntil(lambda: not dialog.loading, timeout=START_TIMEOUT)
    kinds = [g["kind"] for g in dialog.groups]
    assert kinds[0] == "exact" and len(dialog.groups[0]["photos"]) == 3
    assert dialog.table.rowCount() == len(dialog.groups)
    assert (
        dialog.table.item(0, 0)
        .text()
        .startswith(dialog.groups[0]["photos"][0]["path"].rsplit("/", 1)[1])
    )
    # The bigger copy is the same picture: after the model's resize to its input size
    # any weights give it (nearly) the source's embedding, so the group is always found.
    near = [g for g in dialog.groups if g["kind"] == "near"]
    assert len(near) == 1, dialog.groups
    names = [p["path"].rsplit("/", 1)[1] for p in near[0]["photos"]]
    assert names[0] == "bigger.jpg" and sources[1].name in names  # the bigger one first

    dialog.tick_all_but_best()
    ticked = dialog.ticked_paths()
    assert len(ticked) == sum(len(g["photos"]) - 1 for g in dialog.groups)
    target = tmp_path / "set-aside"
    target.mkdir()
    with qtbot.waitSignal(window.indexing.finished, timeout=INDEX_TIMEOUT):
        dialog.move_to(ticked, str(target))
    assert sorted(p.name for p in target.iterdir()) == sorted(Path(p).name for p in ticked)
    dialog.reload()
    qtbot.waitUntil(lambda: not dialog.loading, timeout=START_TIMEOUT)
    assert not [g for g in dialog.groups if g["kind"] == "exact"]
    dialog.close()
