"""Labels, albums and saved searches, driven through the window."""

from __future__ import annotations

import warnings

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QDragMoveEvent, QDropEvent

from photoorg.ui.widgets.sidebar import Scope
from tests.ui.conftest import START_TIMEOUT, search, shown_paths, wait_idle, wait_model


def preview_scenes(editor, truth) -> list:
    model = editor.preview_model
    return [truth.get(model.path(r)) for r in range(model.rowCount())]


def scenes_among(shown: list) -> list:
    """The generated scenes among ``shown`` (camera photos of the corpus have no truth);
    a check over them must not pass on an empty list."""
    return [s for s in shown if s is not None]


def preview_scores(editor) -> list[float]:
    model = editor.preview_model
    return [model.score(r) for r in range(model.rowCount())]


def test_label_editor_preview_follows_the_prompt_as_you_type(
    qtbot, make_window, catalog_copy, shared_library
):
    # Thresholds are taken from the scores the preview shows, never fixed: which photos a
    # fixed cosine keeps depends on the weights the tiny model trained to on this machine.
    window = make_window(catalog_copy)
    wait_model(qtbot, window)
    editor = window.commands.open_label_editor()
    qtbot.waitUntil(lambda: editor.list.count() > 0 and not editor.busy, timeout=START_TIMEOUT)
    editor.new_label()
    editor.name.setText("red circles")
    editor.threshold.setValue(1.0)  # no cosine reaches it: the closest photos are offered
    editor.prompts.clear()
    qtbot.keyClicks(editor.prompts, "a red circle")
    qtbot.waitUntil(
        lambda: editor.preview_count is not None and not editor.busy, timeout=START_TIMEOUT
    )
    assert editor.preview_count == 0 and editor.preview_closest
    closest = preview_scenes(editor, shared_library.truth)
    assert scenes_among(closest[:3]) and all(
        (s.colour, s.shape) == ("red", "circle") for s in scenes_among(closest[:3])
    ), closest[:3]
    assert "closest" in editor.count_label.text()

    # A threshold just under the third best score: at least those three carry it.
    editor.threshold.setValue(preview_scores(editor)[2] - 0.001)
    qtbot.waitUntil(
        lambda: not editor.busy and not editor.preview_closest and editor.preview_count >= 3,
        timeout=START_TIMEOUT,
    )
    first = preview_scenes(editor, shared_library.truth)
    assert scenes_among(first[:3]) and all(
        (s.colour, s.shape) == ("red", "circle") for s in scenes_among(first[:3])
    ), first[:3]
    assert "would carry this label" in editor.count_label.text()

    editor.prompts.selectAll()
    qtbot.keyClicks(editor.prompts, "a blue square")
    qtbot.waitUntil(
        lambda: not editor.busy and preview_scenes(editor, shared_library.truth)[:1] != first[:1],
        timeout=START_TIMEOUT,
    )
    second = preview_scenes(editor, shared_library.truth)
    assert scenes_among(second[:3]) and all(
        (s.colour, s.shape) == ("blue", "square") for s in scenes_among(second[:3])
    ), second[:3]
    # Above the best: nobody carries it, and the closest are still there to teach it with.
    editor.threshold.setValue(min(1.0, preview_scores(editor)[0] + 0.002))
    qtbot.waitUntil(
        lambda: not editor.busy and editor.preview_count == 0 and editor.preview_closest,
        timeout=START_TIMEOUT,
    )

    with qtbot.waitSignal(editor.labels_changed, timeout=START_TIMEOUT):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor._editing == "red circles", timeout=START_TIMEOUT)
    # After saving, the preview still offers photos to teach it with.
    qtbot.waitUntil(
        lambda: not editor.busy and editor.preview_model.rowCount() > 0, timeout=START_TIMEOUT
    )
    editor.preview.select_row(0)
    example = editor.preview_model.photo_id(0)
    with qtbot.waitSignal(editor.labels_changed, timeout=START_TIMEOUT):
        qtbot.mouseClick(editor.confirm_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    tags = {t["label"]: t["source"] for t in window.ctx.library.tags_of(example)}
    assert tags["red circles"] == "confirmed"
    qtbot.waitUntil(
        lambda: window.sidebar.select_scope(Scope("label", "red circles")), timeout=START_TIMEOUT
    )
    qtbot.waitUntil(lambda: window.browser.model.row_of(example) is not None, timeout=START_TIMEOUT)
    editor.close()


def album(window, name: str):
    """The sidebar's entry for album ``name``, or None."""
    albums = window.overview.albums if window.overview else None
    return next((a for a in albums or [] if a.name == name), None)


def drop_on_album(qtbot, window, album: str, rows: list[int]) -> None:
    sidebar = window.sidebar
    item = sidebar._find(Scope("album", album))
    assert item is not None
    sidebar.scrollToItem(item)
    model = window.browser.model
    mime = model.mimeData([model.index(r) for r in rows])
    position = QPointF(sidebar.visualItemRect(item).center())
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    # Offscreen Qt has no drag manager to deliver a synthetic drop, so the sidebar's
    # handlers get the events a real drag would bring, in order.
    with warnings.catch_warnings():  # PySide marks the QPoint constructor deprecated
        warnings.simplefilter("ignore", DeprecationWarning)
        move = QDragMoveEvent(
            position.toPoint(), Qt.DropAction.CopyAction, mime, buttons, modifiers
        )
    sidebar.dragMoveEvent(move)
    assert move.isAccepted()
    drop = QDropEvent(position, Qt.DropAction.CopyAction, mime, buttons, modifiers)
    sidebar.dropEvent(drop)
    assert drop.isAccepted()


def test_album_by_dragging_photos_and_a_smart_album(
    qtbot, make_window, catalog_copy, monkeypatch, shared_library
):
    window = make_window(catalog_copy)
    wait_model(qtbot, window)
    names = iter(["Holiday", "Red circles"])
    monkeypatch.setattr(
        "photoorg.ui.album_commands.QInputDialog.getText", lambda *a, **k: (next(names), True)
    )
    window.browser.grid.clearSelection()
    window.commands.actions["new_album"].trigger()
    qtbot.waitUntil(lambda: album(window, "Holiday") is not None, timeout=START_TIMEOUT)
    assert window.sidebar.select_scope(Scope("album", "Holiday"))
    qtbot.waitUntil(lambda: window.browser.scope == Scope("album", "Holiday"), timeout=5000)
    wait_idle(qtbot, window)
    assert window.browser.model.rowCount() == 0

    window.sidebar.select_scope(Scope())  # All photos
    qtbot.waitUntil(lambda: window.browser.model.rowCount() > 5, timeout=START_TIMEOUT)
    wanted = [window.browser.model.photo_id(r) for r in (0, 2, 4)]
    drop_on_album(qtbot, window, "Holiday", [0, 2, 4])
    qtbot.waitUntil(lambda: album(window, "Holiday").count == 3, timeout=START_TIMEOUT)
    assert album(window, "Holiday").query is None
    assert window.sidebar.select_scope(Scope("album", "Holiday"))
    qtbot.waitUntil(
        lambda: sorted(window.browser.model.rows.ids) == sorted(wanted), timeout=START_TIMEOUT
    )

    window.sidebar.select_scope(Scope())
    search(qtbot, window, "a red circle")
    expected = shown_paths(window)
    qtbot.mouseClick(window.browser.search_bar.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: album(window, "Red circles") is not None, timeout=START_TIMEOUT)
    assert album(window, "Red circles").query == "a red circle"
    search(qtbot, window, "")
    assert window.sidebar.select_scope(Scope("search", "Red circles"))
    qtbot.waitUntil(lambda: window.browser.scope.kind == "search", timeout=5000)
    wait_idle(qtbot, window)
    assert shown_paths(window) == expected


def test_label_editor_round_trips_every_threshold_exactly(qtbot, make_window, catalog_copy):
    """-1.0 is a real threshold (an exclusive group's members all pass, softmax decides),
    auto is None, and an untouched field saves back exactly what was stored."""
    from photoorg.model.label import Label

    window = make_window(catalog_copy)
    editor = window.commands.open_label_editor()
    qtbot.waitUntil(lambda: editor.list.count() > 0 and not editor.busy, timeout=START_TIMEOUT)
    for threshold in (None, -1.0, 0.23456, 1.0, 0.0):
        editor.edit(Label(name="round trip", threshold=threshold))
        assert editor.label_from_form().threshold == threshold
    editor.edit(Label(name="round trip", threshold=-1.0))
    assert editor.threshold.specialValueText() != editor.threshold.text()  # shown as a number
    editor.threshold.setValue(editor.threshold.minimum())
    assert editor.label_from_form().threshold is None  # the user chose auto
    editor.threshold.setValue(0.25)
    assert editor.label_from_form().threshold == 0.25
    qtbot.waitUntil(lambda: not editor.busy, timeout=START_TIMEOUT)


def test_album_messages_count_right_and_remove_is_only_offered_inside_albums(
    qtbot, make_window, catalog_copy
):
    window = make_window(catalog_copy)
    remove = window.commands.actions["remove_from_album"]
    window.commands.new_album("Holiday", ids=[])
    qtbot.waitUntil(lambda: album(window, "Holiday") is not None, timeout=START_TIMEOUT)
    assert not remove.isEnabled()  # All photos: there is no album to remove from
    window.browser.grid.select_row(0)
    one = window.browser.model.photo_id(0)
    window.commands.add_to_album("Holiday", [one])
    qtbot.waitUntil(lambda: album(window, "Holiday").count == 1, timeout=START_TIMEOUT)
    assert window.statusBar().currentMessage() == "Added 1 photo to “Holiday”"

    assert window.sidebar.select_scope(Scope("album", "Holiday"))
    qtbot.waitUntil(lambda: window.browser.model.rowCount() == 1, timeout=START_TIMEOUT)
    assert remove.isEnabled()
    window.browser.grid.select_row(0)
    remove.trigger()
    qtbot.waitUntil(lambda: album(window, "Holiday").count == 0, timeout=START_TIMEOUT)
    assert window.statusBar().currentMessage() == "Removed 1 photo from “Holiday”"
    window.sidebar.select_scope(Scope())
    assert not remove.isEnabled()


def test_keywords_from_files_are_listed_apart_from_labels(qtbot, make_window, catalog_copy):
    from photoorg.model.label import Label

    window = make_window(catalog_copy)
    # What importing a file's keyword creates: a disabled label that names its photos only.
    window.ctx.call(lambda lib: lib.tagging.add_label(Label("Trip 2019", enabled=False)))
    window.ctx.call(lambda lib: lib.tagging.add_label(Label("sunsets")))
    qtbot.waitUntil(lambda: window.ctx.runner.busy == 0, timeout=START_TIMEOUT)
    window.refresh_overview()
    sidebar = window.sidebar
    qtbot.waitUntil(lambda: sidebar._find(Scope("label", "Trip 2019")) is not None, timeout=5000)
    keyword = sidebar._find(Scope("label", "Trip 2019"))
    label = sidebar._find(Scope("label", "sunsets"))
    assert keyword.parent() is sidebar._sections["keywords"]
    assert label.parent() is sidebar._sections["labels"]
    assert not sidebar._sections["keywords"].isHidden()


def test_preview_thumbnails_stay_above_their_names(
    qtbot, make_window, catalog_copy, shared_library
):
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QImage, QPainter, QPixmap
    from PySide6.QtWidgets import QStyleOptionViewItem

    from photoorg.model.hits import Hit
    from photoorg.ui.photo_model import rows_from_hits

    class Recorder(QPainter):
        def __init__(self, device) -> None:
            super().__init__(device)
            self.targets: list[QRect] = []

        def drawPixmap(self, *args) -> None:
            if isinstance(args[0], QRect):
                self.targets.append(args[0])
            else:  # drawPixmap(x, y, pixmap): drawn at the pixmap's own size
                self.targets.append(QRect(args[0], args[1], args[2].width(), args[2].height()))
            super().drawPixmap(*args)

    window = make_window(catalog_copy)
    window.browser.set_thumbnail_size(256)  # the shared cache now holds 256 px thumbnails
    wait_model(qtbot, window)
    editor = window.commands.open_label_editor()
    qtbot.waitUntil(lambda: editor.list.count() > 0 and not editor.busy, timeout=START_TIMEOUT)
    grid, model = editor.preview, editor.preview_model
    camera = str(shared_library.corpus[0])  # a real camera photo: a large thumbnail
    photo_id = window.ctx.library.photo_id(camera)
    model.set_rows(rows_from_hits([Hit(photo_id, camera, 0.3, "")], scored=True))
    index = model.index(0)
    # The shared cache holds the main grid's (larger) pixmaps.
    big = QPixmap(256, 192)
    big.fill(Qt.GlobalColor.darkBlue)
    window.ctx.thumbnails._cache[photo_id] = big
    option = QStyleOptionViewItem()
    grid.initViewItemOption(option)
    size = grid.itemDelegate().sizeHint(option, index)
    option.rect.setRect(0, 0, size.width(), size.height())
    image = QImage(size, QImage.Format.Format_ARGB32)
    painter = Recorder(image)
    grid.itemDelegate().paint(painter, option, index)
    painter.end()
    side = grid.thumbnail_size
    assert painter.targets and all(
        t.width() <= side and t.height() <= side and t.bottom() < 8 + side + 1
        for t in painter.targets
    ), (painter.targets, side)
    editor.close()
