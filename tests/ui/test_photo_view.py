"""One photo large: metadata as plain text, tags confirmed and rejected, similar photos."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import Qt

from photoorg.ui.widgets.photo_view import TagRow
from tests.ui.conftest import START_TIMEOUT, search, shown_paths, wait_idle, wait_model


def open_row(qtbot, window, row: int) -> None:
    grid = window.browser.grid
    grid.setFocus()
    grid.select_row(row)
    qtbot.keyClick(grid, Qt.Key.Key_Return)
    assert window.pages.currentWidget() is window.photo_view
    wait_idle(qtbot, window)


def row_of(window, path: Path) -> int:
    return shown_paths(window).index(str(path))


def test_enter_opens_metadata_and_escape_goes_back(
    qtbot, make_window, catalog_copy, shared_library
):
    window = make_window(catalog_copy)
    canon = next(p for p in shared_library.corpus if p.name == "Canon_40D.jpg")
    open_row(qtbot, window, row_of(window, canon))
    view = window.photo_view
    assert view.title.text() == "Canon_40D.jpg"
    assert view.title.textFormat() == Qt.TextFormat.PlainText
    assert view.meta_values["Camera"].text() == "Canon Canon EOS 40D"
    assert view.meta_values["Date"].text().startswith("2008-05-30 15:56:01")
    assert "f/7.1" in view.meta_values["Exposure"].text()
    assert all(v.textFormat() == Qt.TextFormat.PlainText for v in view.meta_values.values())
    qtbot.waitUntil(lambda: not view.canvas.pixmap().isNull(), timeout=START_TIMEOUT)
    qtbot.keyClick(view, Qt.Key.Key_Right)  # next photo
    wait_idle(qtbot, window)
    assert view.title.text() != "Canon_40D.jpg"
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert window.pages.currentWidget() is window.browser
    assert window.browser.grid.hasFocus()


def test_markup_in_a_file_name_is_shown_literally(qtbot, make_window, tmp_path, shared_library):
    photos = tmp_path / "photos"
    photos.mkdir()
    odd = photos / "<b>bold<b> & <img src=x>.jpg"  # no slash: that would be a folder
    shutil.copy2(next(iter(shared_library.truth)), odd)
    window = make_window(tmp_path / "catalog")
    window.indexing.index([str(photos)])
    qtbot.waitUntil(lambda: window.browser.model.rowCount() == 1, timeout=60_000)
    wait_idle(qtbot, window, timeout=60_000)
    open_row(qtbot, window, 0)
    assert window.photo_view.title.text() == odd.name
    assert window.browser.model.name(0) == odd.name
    assert "<b>" not in window.browser.model.data(
        window.browser.model.index(0), Qt.ItemDataRole.ToolTipRole
    )


def test_confirm_reject_and_add_tags(qtbot, make_window, catalog_copy):
    window = make_window(catalog_copy)
    open_row(qtbot, window, 0)
    view = window.photo_view
    photo_id = view.photo_id
    view.add_tag.setEditText("favourite")
    qtbot.mouseClick(view.add_tag_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: any(r.label_name == "favourite" for r in view.tag_rows()), timeout=START_TIMEOUT
    )
    row = next(r for r in view.tag_rows() if r.label_name == "favourite")
    assert row.source == "manual" and row.confirm.isChecked()
    assert row.name.textFormat() == Qt.TextFormat.PlainText
    # A typed tag belongs to this photo: a disabled label that tags nothing by itself.
    wait_idle(qtbot, window)
    assert window.ctx.library.tagging.label("favourite").enabled is False
    assert window.ctx.library.tagging.label_counts()["favourite"] == 1

    qtbot.mouseClick(row.reject, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: any(
            r.label_name == "favourite" and r.source == "rejected" for r in view.tag_rows()
        ),
        timeout=START_TIMEOUT,
    )
    row = next(r for r in view.tag_rows() if r.label_name == "favourite")
    qtbot.mouseClick(row.confirm, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: any(
            r.label_name == "favourite" and r.source == "confirmed" for r in view.tag_rows()
        ),
        timeout=START_TIMEOUT,
    )
    wait_idle(qtbot, window)
    tags = {t["label"]: t["source"] for t in window.ctx.library.tags_of(photo_id)}
    assert tags["favourite"] == "confirmed"
    # The sidebar counts the label now: the confirmed photo only (it is not enabled).
    qtbot.waitUntil(lambda: _label_count(window, "favourite") == 1, timeout=START_TIMEOUT)


def _label_count(window, name: str) -> int | None:
    for entry in (window.overview.labels or []) if window.overview else []:
        if entry.name == name:
            return entry.count
    return None


def test_find_similar_shows_photos_of_the_same_scene(
    qtbot, make_window, catalog_copy, shared_library
):
    window = make_window(catalog_copy)
    wait_model(qtbot, window)
    search(qtbot, window, "a yellow square")
    example = shown_paths(window)[0]
    scene = shared_library.truth[example]
    open_row(qtbot, window, 0)
    before = window.browser.generation
    qtbot.mouseClick(window.photo_view.similar_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.browser.generation > before, timeout=5000)
    wait_idle(qtbot, window)
    assert window.pages.currentWidget() is window.browser
    assert window.browser.scope.kind == "similar"  # named by its photo, the field left empty
    assert window.browser.title.text() == f"Photos like {Path(example).name}"
    paths = shown_paths(window)
    assert example not in paths  # the example itself is left out
    # The tiny model sees colours and backgrounds far better than shapes.
    nearest = [shared_library.truth.get(p) for p in paths[:3]]
    assert nearest and None not in nearest, nearest  # how many pass the cutoff: the model's
    assert all((s.colour, s.background) == (scene.colour, scene.background) for s in nearest)


def test_open_and_reveal_use_the_desktop_not_a_shell(qtbot, make_window, catalog_copy, monkeypatch):
    window = make_window(catalog_copy)
    opened, commands = [], []
    monkeypatch.setattr(
        "photoorg.ui.file_actions.QDesktopServices.openUrl", lambda url: opened.append(url) or True
    )
    monkeypatch.setattr(
        "photoorg.ui.file_actions.subprocess.Popen", lambda args, **kw: commands.append((args, kw))
    )
    open_row(qtbot, window, 0)
    path = window.photo_view.info["path"]
    qtbot.mouseClick(window.photo_view.open_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.photo_view.reveal_button, Qt.MouseButton.LeftButton)
    assert [u.toLocalFile() for u in opened] == [path]
    ((args, kwargs),) = commands
    assert isinstance(args, list) and "shell" not in kwargs
    assert args[-1] in (path, str(Path(path).parent))


def test_tag_row_decisions(qtbot):
    row = TagRow({"label": "<i>cat</i>", "score": 0.31234, "source": "auto"}, editable=True)
    qtbot.addWidget(row)
    assert row.name.text() == "<i>cat</i>" and row.score.text() == "0.31"
    with qtbot.waitSignal(row.decided) as signal:
        row.confirm.click()
    assert signal.args == ["<i>cat</i>", "confirmed"]


def test_space_previews_and_space_or_escape_returns(qtbot, make_window, catalog_copy):
    window = make_window(catalog_copy)
    grid = window.browser.grid
    grid.setFocus()
    grid.select_row(0)
    qtbot.keyClick(grid, Qt.Key.Key_Right)  # arrows move in the grid
    assert grid.current_row() == 1
    qtbot.keyClick(grid, Qt.Key.Key_Space)
    assert window.pages.currentWidget() is window.photo_view
    wait_idle(qtbot, window)
    assert window.photo_view.photo_id == window.browser.model.photo_id(1)
    qtbot.keyClick(window.photo_view, Qt.Key.Key_Space)
    assert window.pages.currentWidget() is window.browser


def test_the_text_read_in_a_photo_is_shown_selectable(qtbot, make_window, tmp_path):
    from photoorg.services.library import Library
    from tests.support import signs

    photos = tmp_path / "photos"
    photos.mkdir()
    signs.render_sign(signs.ENGLISH_SIGNS[0], size=(640, 480), seed=1).save(photos / "s.jpg")
    with Library(tmp_path / "catalog") as library:
        library.text.set_policy("every")  # the test suite's default reads no text
    window = make_window(tmp_path / "catalog")
    window.indexing.index([str(photos)])
    qtbot.waitUntil(lambda: window.browser.model.rowCount() == 1, timeout=60_000)
    wait_idle(qtbot, window, timeout=60_000)
    qtbot.waitUntil(lambda: not window.indexing.running, timeout=120_000)
    open_row(qtbot, window, 0)
    panel = window.photo_view.text_panel
    qtbot.waitUntil(lambda: "CAFE" in panel.lines.toPlainText().upper(), timeout=START_TIMEOUT)
    assert panel.lines.isReadOnly()


def test_at_800_by_600_the_sidebar_and_the_photo_buttons_are_usable(
    qtbot, make_window, catalog_copy
):
    window = make_window(catalog_copy)
    window.resize(800, 600)
    qtbot.waitUntil(lambda: window.width() <= 800, timeout=5000)
    window.splitter.setSizes([60, 740])  # as a narrow window squeezed it
    assert window.sidebar.width() >= 150
    window.show_photo_at(0)
    qtbot.waitUntil(lambda: not window.photo_view.busy, timeout=10_000)
    view = window.photo_view
    buttons = [
        view.back_button,
        view.prev_button,
        view.next_button,
        view.similar_button,
        view.open_button,
        view.reveal_button,
    ]
    for button in buttons:
        # Either whole on screen, or in the tool bar's » menu: never clipped.
        visible = button.isVisibleTo(window)
        assert not visible or button.width() >= button.sizeHint().width(), button.text()
    assert view.back_button.isVisibleTo(window)
