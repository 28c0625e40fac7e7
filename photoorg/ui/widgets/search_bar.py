"""The search field: searches as you type, after a short pause.

It speaks the command line's query language (``dog + beach - people after:2019``), so
the field only collects text; parsing happens with the search on a worker, and a bad
query comes back as a message shown under the field.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QToolButton, QWidget

from photoorg.ui.text import tooltip

translate = QCoreApplication.translate

DEBOUNCE_MS = 250


class SearchField(QLineEdit):
    """A line edit that hands Down/Escape to whoever shows the results."""

    leave_requested = Signal()  # Down or Escape: go to the results

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down:
            self.leave_requested.emit()
            return
        if event.key() == Qt.Key.Key_Escape:
            if self.text():
                self.clear()
                self.textEdited.emit("")
            else:
                self.leave_requested.emit()
            return
        super().keyPressEvent(event)


class SearchBar(QWidget):
    search_requested = Signal(str)  # the query text, after the pause
    sort_changed = Signal(str)  # relevance | date
    save_requested = Signal(str)  # save the current query as a smart album

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchBar")
        self.field = SearchField(self)
        self.field.setObjectName("searchField")
        self.field.setPlaceholderText(
            translate(
                "SearchBar",
                "Search photos: a red circle  ·  dog + beach - people  ·  after:2019 label:cat",
            )
        )
        self.field.setClearButtonEnabled(True)
        self.field.setMaxLength(2000)  # the query language's own limit
        self.sort = QComboBox(self)
        self.sort.setObjectName("sortBox")
        self.sort.addItem(translate("SearchBar", "Best match"), "relevance")
        self.sort.addItem(translate("SearchBar", "Newest first"), "date")
        self.sort.setToolTip(
            translate(
                "SearchBar", "Order of search results (a plain listing is always newest first)"
            )
        )
        self.save_button = QToolButton(self)
        self.save_button.setObjectName("saveSearch")
        self.save_button.setText(translate("SearchBar", "Save search…"))
        self.save_button.setToolTip(translate("SearchBar", "Keep this query as a smart album"))
        self.save_button.setEnabled(False)
        self.save_button.hide()  # shown once the catalog has albums
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.field, 1)
        layout.addWidget(self.sort)
        layout.addWidget(self.save_button)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._emit_search)
        self.field.textEdited.connect(self._on_edited)
        self.field.returnPressed.connect(self._emit_search)
        self.field.textChanged.connect(self._on_text_changed)
        self.sort.currentIndexChanged.connect(lambda _i: self.sort_changed.emit(self.sort_mode))
        self.save_button.clicked.connect(lambda: self.save_requested.emit(self.text))

    @property
    def text(self) -> str:
        return self.field.text().strip()

    @property
    def sort_mode(self) -> str:
        return self.sort.currentData()

    def set_text(self, text: str, *, search: bool = True) -> None:
        self.field.setText(text)
        if search:
            self._emit_search()

    def set_error(self, message: str | None) -> None:
        """Mark the field (a bad query); the message goes to the field's tooltip."""
        self.field.setProperty("error", bool(message))
        # tooltip() escapes: the message quotes what was typed, which may look like HTML.
        self.field.setToolTip(tooltip(message) if message else "")
        self.field.style().unpolish(self.field)
        self.field.style().polish(self.field)

    def _on_edited(self, _text: str) -> None:
        self._timer.start()  # restarts: only a pause in typing searches

    def _on_text_changed(self, text: str) -> None:
        self.save_button.setEnabled(bool(text.strip()))

    def _emit_search(self) -> None:
        self._timer.stop()
        self.search_requested.emit(self.text)
