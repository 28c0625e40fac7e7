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


def _groups(tmp_path: Path, n: int = 2) -> list[dict]:
    from PySide6.QtGui import QImage

    groups = []
    for g in range(n):
        photos = []
        for i in range(3):
            path = tmp_path / f"a rather long photo name {g}-{i}.jpg"
            path.write_bytes(b"x")
            image = QImage(130, 100, QImage.Format.Format_RGB32)
            image.fill(0x336699)
            photos.append(
                {
                    "path": str(path),
                    "width": 4000,
                    "height": 3000,
                    "size": 5_000_000,
                    "image": image,
                }
            )
        groups.append({"kind": "exact", "photos": photos})
    return groups


def test_names_have_the_cells_width_and_moved_files_leave_the_list(
    qtbot, make_window, catalog_copy, tmp_path
):
    from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

    window = make_window(catalog_copy)
    dialog = window.commands.open_duplicates()
    qtbot.waitUntil(lambda: not dialog.loading, timeout=START_TIMEOUT)
    dialog._on_groups(_groups(tmp_path))
    table = dialog.table
    index = table.model().index(0, 1)
    option = QStyleOptionViewItem()
    table.initViewItemOption(option)  # the view's icon size, as when it paints
    option.rect = table.visualRect(index)
    table.itemDelegate().initStyleOption(option, index)
    text = table.style().subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, table)
    assert text.width() >= 0.8 * table.columnWidth(1), text  # not squeezed beside the icon

    dialog.tick_all_but_best()
    ticked = dialog.ticked_paths()
    target = tmp_path / "set-aside"
    target.mkdir()
    dialog.move_to(ticked, str(target))
    qtbot.waitUntil(lambda: len(list(target.iterdir())) == len(ticked), timeout=START_TIMEOUT)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 0, timeout=START_TIMEOUT)
    assert dialog.ticked_paths() == [] and dialog.groups == []
    dialog.close()
