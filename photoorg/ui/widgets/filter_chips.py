"""Filter chips under the search field: how the query was understood, one chip a filter.

"beach in Italy 2019" shows the chips "2019" and "Italy": the user sees that those words
became filters (not part of the description) and can undo one with its × button. A chip
carries the words it came from; removing it asks the owner to drop those words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QToolButton, QWidget

from photoorg.ui.text import tooltip

translate = QCoreApplication.translate


@dataclass(frozen=True)
class Chip:
    kind: str  # date | place | label | event | scope | ...
    text: str  # what the chip says: "2019", "Italy", "summer 2019"
    words: str = ""  # the query words it came from ("in Italy"); "" for a scope


class FilterChips(QWidget):
    removed = Signal(object)  # the Chip whose × was clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterChips")
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(6)
        self._layout.addStretch(1)
        self._chips: list[tuple[Chip, QToolButton]] = []
        self.hide()

    @property
    def chips(self) -> list[Chip]:
        return [chip for chip, _ in self._chips]

    def button(self, chip: Chip) -> QToolButton:
        return next(button for shown, button in self._chips if shown == chip)

    def set_chips(self, chips: Sequence[Chip]) -> None:
        if list(chips) == self.chips:
            return
        for _, button in self._chips:
            self._layout.removeWidget(button)
            button.deleteLater()
        self._chips = []
        for chip in chips:
            button = QToolButton(self)
            button.setObjectName("filterChip")
            button.setProperty("kind", chip.kind)
            # QToolButton shows its text literally; the × is the removal affordance.
            button.setText(f"{chip.text}  ×")
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setAccessibleName(
                translate("FilterChips", "Remove filter {0}").format(chip.text)
            )
            origin = (
                translate("FilterChips", "{0} filter from the words “{1}”").format(
                    chip.kind.title(), chip.words
                )
                if chip.words
                else translate("FilterChips", "{0} filter from the sidebar").format(
                    chip.kind.title()
                )
            )
            button.setToolTip(tooltip(origin, translate("FilterChips", "Click to remove it")))
            button.clicked.connect(lambda _checked=False, c=chip: self.removed.emit(c))
            self._layout.insertWidget(self._layout.count() - 1, button)
            self._chips.append((chip, button))
        self.setVisible(bool(self._chips))


def without_words(query: str, words: str) -> str:
    """``query`` with the first occurrence of ``words`` taken out (spaces tidied)."""
    if not words:
        return query
    at = query.find(words)
    if at < 0:
        at = query.casefold().find(words.casefold())
    if at < 0:
        return query
    return " ".join((query[:at] + " " + query[at + len(words) :]).split())
