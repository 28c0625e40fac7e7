"""Searching from the window: typing a description brings the right photos first."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from tests.ui.conftest import SCENE_COUNT, search, shown_paths, wait_idle, wait_model


def test_browsing_shows_every_photo_newest_first(qtbot, make_window, catalog_copy, shared_library):
    window = make_window(catalog_copy)
    assert window.browser.model.rowCount() == SCENE_COUNT + len(shared_library.corpus)
    taken = [window.browser.model.rows.taken[r] for r in range(window.browser.model.rowCount())]
    assert taken == sorted(taken, reverse=True)
    assert "shown" in window.status_text.text()


def test_typing_a_description_finds_matching_photos_first(
    qtbot, make_window, catalog_copy, shared_library
):
    window = make_window(catalog_copy)
    wait_model(qtbot, window)
    search(qtbot, window, "a red circle")
    paths = shown_paths(window)
    assert paths, "the search found nothing"
    top = [shared_library.truth.get(p) for p in paths[:4]]
    assert all(s is not None and (s.colour, s.shape) == ("red", "circle") for s in top), top
    assert window.browser.grid.isVisible()
    assert '"a red circle"' in window.status_text.text()


def test_search_waits_for_a_pause_in_typing(qtbot, make_window, catalog_copy):
    window = make_window(catalog_copy)
    bar = window.browser.search_bar
    before = window.browser.generation
    requested: list[str] = []
    bar.search_requested.connect(requested.append)
    qtbot.keyClicks(bar.field, "a blue square")
    assert window.browser.generation == before  # nothing yet: the user is still typing
    assert bar._timer.isActive()  # the pause being waited for
    qtbot.waitUntil(lambda: window.browser.generation == before + 1, timeout=5000)
    # No timer left to fire and no typing: nothing else can start a search now.
    assert not bar._timer.isActive()
    assert requested == ["a blue square"]  # one search for the whole phrase
    assert window.browser.generation == before + 1
    wait_idle(qtbot, window)


def test_filters_work_without_the_model_and_bad_queries_are_explained(
    qtbot, make_window, catalog_copy, shared_library
):
    window = make_window(catalog_copy)
    search(qtbot, window, f'folder:"{shared_library.photos / "camera"}"')
    assert sorted(shown_paths(window)) == sorted(str(p) for p in shared_library.corpus)
    search(qtbot, window, "colr:red")
    field = window.browser.search_bar.field
    assert field.property("error") is True
    assert "colr" in field.toolTip()
    search(qtbot, window, "")
    assert field.property("error") is False
    assert window.browser.model.rowCount() == SCENE_COUNT + len(shared_library.corpus)


def test_sort_by_date_and_ctrl_f(qtbot, make_window, catalog_copy):
    window = make_window(catalog_copy)
    wait_model(qtbot, window)
    window.browser.grid.setFocus()
    qtbot.keySequence(window, QKeySequence.StandardKey.Find)
    assert window.browser.search_bar.field.hasFocus()
    search(qtbot, window, "a green triangle")
    before = window.browser.generation
    window.browser.search_bar.sort.setCurrentIndex(1)  # newest first
    qtbot.waitUntil(lambda: window.browser.generation > before, timeout=5000)
    wait_idle(qtbot, window)
    taken = window.browser.model.rows.taken
    assert list(taken) == sorted(taken, reverse=True)


def test_selecting_a_folder_limits_the_grid(qtbot, make_window, catalog_copy, shared_library):
    window = make_window(catalog_copy)
    from photoorg.ui.widgets.sidebar import Scope

    folder = str(shared_library.photos / "camera")
    assert window.sidebar.select_scope(Scope("folder", folder))
    qtbot.waitUntil(
        lambda: window.browser.model.rowCount() == len(shared_library.corpus), timeout=10_000
    )
    assert window.browser.title.text() == "camera"
    assert window.browser.title.textFormat() == Qt.TextFormat.PlainText


def test_a_sidebar_choice_replaces_the_typed_query(
    qtbot, make_window, catalog_copy, shared_library
):
    from photoorg.ui.widgets.sidebar import Scope

    window = make_window(catalog_copy)
    search(qtbot, window, "after:2100")  # matches nothing; left in the field
    assert window.browser.model.rowCount() == 0
    before = window.browser.generation
    assert window.sidebar.select_scope(Scope("folder", str(shared_library.photos / "camera")))
    qtbot.waitUntil(lambda: window.browser.generation > before, timeout=10_000)
    wait_idle(qtbot, window)
    assert window.browser.search_bar.text == ""
    assert sorted(shown_paths(window)) == sorted(str(p) for p in shared_library.corpus)


def test_find_similar_names_its_photo_and_leaves_the_field_empty(qtbot, make_window, catalog_copy):
    window = make_window(catalog_copy)
    wait_model(qtbot, window)
    model = window.browser.model
    name, photo_id = model.name(0), model.photo_id(0)
    window.browser.grid.select_row(0)
    before = window.browser.generation
    window.commands.actions["similar"].trigger()
    qtbot.waitUntil(lambda: window.browser.generation > before, timeout=10_000)
    wait_idle(qtbot, window)
    assert window.browser.search_bar.text == ""
    assert window.browser.title.text() == f"Photos like {name}"
    assert "photo:" not in window.status_text.text()
    assert name in window.status_text.text()
    assert model.rowCount() > 0 and photo_id not in model.rows.ids


def test_a_new_search_starts_at_the_top(qtbot, make_window, catalog_copy):
    window = make_window(catalog_copy)
    window.resize(800, 600)
    grid = window.browser.grid
    qtbot.waitUntil(lambda: grid.verticalScrollBar().maximum() > 0, timeout=10_000)
    grid.verticalScrollBar().setValue(grid.verticalScrollBar().maximum())
    search(qtbot, window, "after:1900")  # every photo again, in a new search
    assert window.browser.model.rowCount() > 0
    assert grid.verticalScrollBar().value() == 0


def test_the_sort_choice_is_remembered(qtbot, make_window, catalog_copy, tmp_path):
    from PySide6.QtCore import QSettings

    from photoorg.ui.app import build_window

    window = make_window(catalog_copy)
    window.browser.search_bar.sort.setCurrentIndex(1)
    assert window.browser.search_bar.sort_mode == "date"
    window.close()
    store = QSettings(str(tmp_path / "settings-0.ini"), QSettings.Format.IniFormat)
    again = build_window(str(catalog_copy), "local-dir:/nonexistent", store=store)
    qtbot.addWidget(again)
    try:
        assert again.browser.search_bar.sort_mode == "date"
    finally:
        again.shutdown()


def test_the_grid_shows_each_photos_date(qtbot, make_window, catalog_copy):
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtWidgets import QStyleOptionViewItem

    class Recorder(QPainter):
        def __init__(self, device) -> None:
            super().__init__(device)
            self.texts: list[str] = []

        def drawText(self, *args) -> None:
            self.texts.append(args[-1])
            super().drawText(*args)

    window = make_window(catalog_copy)
    grid, model = window.browser.grid, window.browser.model
    taken = model.rows.taken[0]
    assert taken, "the first photo has a date"
    option = QStyleOptionViewItem()
    grid.initViewItemOption(option)
    size = grid.itemDelegate().sizeHint(option, model.index(0))
    option.rect.setRect(0, 0, size.width(), size.height())
    image = QImage(size, QImage.Format.Format_ARGB32)
    painter = Recorder(image)
    grid.itemDelegate().paint(painter, option, model.index(0))
    painter.end()
    assert taken[:10] in " ".join(painter.texts)
    assert size.height() >= grid.thumbnail_size + 2 * option.fontMetrics.height()
