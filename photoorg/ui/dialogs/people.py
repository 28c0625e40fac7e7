"""People: every person PhotoOrg grouped, with a face, a name and a count; name them,
merge two that are one, and see who an unnamed person looks like.

Unnamed people show "Person N" and, when their face is close to a named person's, "looks
like NAME?" (a suggestion, never applied without the user). Naming confirms the faces a
person holds; merging moves every face of the second selected person into the first.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from photoorg.ui.context import LibraryContext
from photoorg.ui.text import plain_label

FACE = 96
translate = QCoreApplication.translate
PersonRole = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class PersonCard:
    id: int
    label: str  # name, or "Person N"
    named: bool
    photos: int
    thumbnail: bytes | None
    looks_like: str | None  # a named person an unnamed one resembles


def load_cards(lib) -> list[PersonCard]:
    """Worker side."""
    people = lib.people
    cards = []
    for person in people.list():
        face = person.cover_face_id
        looks_like = None
        if person.name is None and face is not None:
            suggested = people.suggestions(face)
            looks_like = suggested[0][1] if suggested else None
        thumbnail = people.thumbnail(face) if face is not None else None
        cards.append(
            PersonCard(person.id, person.name or translate("PeopleDialog", "Person {0}").format(
                person.id), person.name is not None, person.photos, thumbnail, looks_like)
        )  # fmt: skip
    return cards


class PeopleDialog(QDialog):
    changed = Signal()  # a person was named or merged: the sidebar should refresh
    loaded = Signal()

    def __init__(self, ctx: LibraryContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("peopleDialog")
        self.setWindowTitle(translate("PeopleDialog", "People"))
        self.resize(720, 520)
        self._ctx = ctx
        self.list = QListWidget(self)
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(QSize(FACE, FACE))
        self.list.setGridSize(QSize(FACE + 60, FACE + 56))
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setMovement(QListWidget.Movement.Static)
        self.list.setWordWrap(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.itemDoubleClicked.connect(lambda item: self.ask_name(item.data(PersonRole)))
        self.status = plain_label("", self, object_name="peopleStatus")
        self.name_button = QPushButton(translate("PeopleDialog", "Name…"), self)
        self.merge_button = QPushButton(translate("PeopleDialog", "Merge"), self)
        self.merge_button.setToolTip(
            translate("PeopleDialog", "Two selected people are one: the first keeps its name")
        )
        self.regroup_button = QPushButton(translate("PeopleDialog", "Regroup"), self)
        self.regroup_button.setToolTip(
            translate("PeopleDialog", "Group every face again; names and your fixes stay")
        )
        self.name_button.clicked.connect(self._on_name)
        self.merge_button.clicked.connect(self._on_merge)
        self.regroup_button.clicked.connect(self._on_regroup)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for button in (self.name_button, self.merge_button, self.regroup_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)

    def reload(self) -> None:
        self._ctx.call(load_cards, self._show, self._failed)

    def _show(self, cards: list[PersonCard]) -> None:
        self.list.clear()
        for card in cards:
            photos = card.photos
            text = card.label + "\n" + translate("PeopleDialog", "%n photo(s)", "", photos)
            if card.looks_like:
                text += "\n" + translate("PeopleDialog", "looks like {0}?").format(card.looks_like)
            item = QListWidgetItem(text)
            item.setData(PersonRole, card.id)
            pixmap = QPixmap()
            if card.thumbnail and pixmap.loadFromData(card.thumbnail):
                item.setIcon(QIcon(pixmap))
            self.list.addItem(item)
        self.status.setText(
            "" if cards else translate("PeopleDialog", "No people yet: indexing finds faces")
        )
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(translate("PeopleDialog", "Cannot show people: {0}").format(exc))
        self.loaded.emit()

    def selected_ids(self) -> list[int]:
        return [item.data(PersonRole) for item in self.list.selectedItems()]

    def _on_name(self) -> None:
        ids = self.selected_ids()
        if len(ids) == 1:
            self.ask_name(ids[0])

    def ask_name(self, person_id: int) -> None:
        name, ok = QInputDialog.getText(
            self,
            translate("PeopleDialog", "Name this person"),
            translate("PeopleDialog", "Name:"),
        )
        if ok and name.strip():
            self.apply(lambda lib: lib.people.name(person_id, name.strip()))

    def _on_merge(self) -> None:
        ids = self.selected_ids()
        if len(ids) == 2:
            self.apply(lambda lib: lib.people.merge(ids[0], ids[1]))

    def _on_regroup(self) -> None:
        self.apply(lambda lib: lib.people.regroup())

    def apply(self, change) -> None:
        """Run a change on a worker, then reload and tell the window."""

        def done(_result) -> None:
            self.changed.emit()
            self.reload()

        self._ctx.call(change, done, self._failed)
