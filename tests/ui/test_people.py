"""People in the window: the People view names a person, the sidebar shows them and
scopes the grid to their photos, the photo view draws face boxes and names a face."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt

from photoorg.services.library import Library
from photoorg.ui.widgets.sidebar import Scope
from tests.support.faces import GROUP_PHOTO, group_photo, make_faceless_photos, make_person_photos
from tests.ui.conftest import START_TIMEOUT, shown_paths, wait_idle


@pytest.fixture(scope="module")
def indexed_faces(tmp_path_factory, ui_model_spec):
    """Photos with faces, indexed once (detection is the slow part); tests copy the catalog."""
    tmp_path = tmp_path_factory.mktemp("ui-faces")
    photos = tmp_path / "photos"
    photos.mkdir()
    shutil.copyfile(group_photo(), photos / GROUP_PHOTO)
    toms = [p.path for p in make_person_photos(photos, "tom")[:3]]
    for extra in photos.glob("tom-*.jpg"):
        if extra not in toms:
            extra.unlink()
    make_faceless_photos(photos, count=1)
    catalog = tmp_path / "catalog"
    with Library(catalog, model=ui_model_spec) as library:
        summary = library.index([photos], faces=True)
    assert summary["faces"] == 6 + 3
    return catalog, photos, toms


@pytest.fixture
def faces_catalog(tmp_path, indexed_faces):
    template, photos, toms = indexed_faces
    catalog = tmp_path / "catalog"
    shutil.copytree(template, catalog)
    return catalog, photos, toms


def _sidebar_people(window) -> dict[str, str]:
    section = window.sidebar._sections["people"]
    items = [section.child(i) for i in range(section.childCount())]
    return {item.text(0): item.text(1) for item in items if item.text(1)}


def open_group_photo(qtbot, make_window, faces_catalog):
    """A window on the catalog, showing the group photo with its six faces."""
    catalog, photos, _ = faces_catalog
    window = make_window(catalog)
    group = str(photos / GROUP_PHOTO)
    grid = window.browser.grid
    grid.setFocus()
    grid.select_row(shown_paths(window).index(group))
    qtbot.keyClick(grid, Qt.Key.Key_Return)
    view = window.photo_view
    assert window.pages.currentWidget() is view
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: len(view.canvas.faces()) == 6, timeout=START_TIMEOUT)
    return window, view, group


def test_name_a_person_see_them_in_the_sidebar_and_their_photos(qtbot, make_window, faces_catalog):
    catalog, _photos, toms = faces_catalog
    window = make_window(catalog)
    assert _sidebar_people(window) == {}  # no one named yet: a hint
    dialog = window.commands.open_people()
    qtbot.waitUntil(lambda: dialog.list.count() == 1, timeout=START_TIMEOUT)
    card = dialog.list.item(0)
    assert card.text().startswith("Person ") and "3 photo(s)" in card.text()
    assert not card.icon().isNull()  # the face thumbnail
    dialog.list.setCurrentItem(card)
    (person,) = dialog.selected_ids()
    with qtbot.waitSignal(window.overview_loaded, timeout=START_TIMEOUT):
        dialog.apply(lambda lib: lib.people.name(person, "Tom"))
    qtbot.waitUntil(lambda: _sidebar_people(window) == {"Tom": "3"}, timeout=START_TIMEOUT)
    qtbot.waitUntil(lambda: dialog.list.item(0).text().startswith("Tom"), timeout=START_TIMEOUT)

    assert window.sidebar.select_scope(Scope("person", "Tom"))
    qtbot.waitUntil(lambda: window.browser.scope == Scope("person", "Tom"), timeout=START_TIMEOUT)
    wait_idle(qtbot, window)
    qtbot.waitUntil(
        lambda: sorted(shown_paths(window)) == sorted(str(t) for t in toms),
        timeout=START_TIMEOUT,
    )
    dialog.close()


def test_face_boxes_on_the_photo_and_naming_one(qtbot, make_window, faces_catalog):
    window, view, _group = open_group_photo(qtbot, make_window, faces_catalog)
    qtbot.waitUntil(lambda: not view.canvas.pixmap().isNull(), timeout=START_TIMEOUT)
    target = view.canvas.target_rect()
    for face in view.canvas.faces():
        rect = view.canvas.face_rect(face)
        assert rect is not None and target.contains(rect)
        assert view.canvas.face_at(rect.center()) == face
        assert face.name is None
    first = view.canvas.faces()[0]
    with qtbot.waitSignal(window.overview_loaded, timeout=START_TIMEOUT):
        view.name_face(first.id, "Rachel")
    qtbot.waitUntil(
        lambda: [f.name for f in view.canvas.faces()].count("Rachel") == 1, timeout=START_TIMEOUT
    )
    assert _sidebar_people(window) == {"Rachel": "1"}


def test_a_face_marked_not_a_face_or_ignored_leaves_the_photo_and_people(
    qtbot, make_window, faces_catalog
):
    catalog = faces_catalog[0]
    window, view, group = open_group_photo(qtbot, make_window, faces_catalog)
    first, second = view.canvas.faces()[:2]
    menu = view.face_menu(first.id, "")
    actions = [a for a in menu.actions() if not a.isSeparator()]
    assert [a.text() for a in actions] == ["Name…", "Not a face", "Ignore this face (a stranger)"]
    actions[1].trigger()  # "Not a face"
    qtbot.waitUntil(lambda: len(view.canvas.faces()) == 5, timeout=START_TIMEOUT)
    view.face_menu(second.id, "").actions()[-1].trigger()  # "Ignore"
    qtbot.waitUntil(lambda: len(view.canvas.faces()) == 4, timeout=START_TIMEOUT)
    remaining = {f.id for f in view.canvas.faces()}
    assert first.id not in remaining and second.id not in remaining
    window.close()
    with Library(catalog) as library:
        decisions = {f.face.id: f.face.decision.value for f in library.people.faces_on(group)}
        regrouped = library.people.regroup()
        after = {f.face.id: f.face.decision.value for f in library.people.faces_on(group)}
        ignored_person = next(
            f.face.person_id for f in library.people.faces_on(group) if f.face.id == second.id
        )
    assert ignored_person is None
    # Not a face: gone from the photo's faces; ignored: still a face, in no person.
    assert first.id not in decisions and decisions[second.id] == "ignored"
    assert first.id not in after and after[second.id] == "ignored"  # a regroup keeps them
    assert regrouped is not None
