"""The text read in the shown photo, selectable and copyable, in the photo view's side pane."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from photoorg.ui.text import plain_label


class PhotoTextPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("photoTextPanel")
        self.title: QLabel = plain_label(self.tr("Text in the photo"), self)
        self.title.setObjectName("photoTextTitle")
        self.lines = QPlainTextEdit(self)  # plain text: never guessed as rich text
        self.lines.setObjectName("photoTextLines")
        self.lines.setReadOnly(True)  # read-only still selects and copies
        self.lines.setMaximumHeight(140)
        self.state: QLabel = plain_label("", self)
        self.state.setObjectName("photoTextState")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.lines)
        layout.addWidget(self.state)
        self.show_text(None)

    def show_text(self, text: Mapping[str, object] | None) -> None:
        """``text``: the ``text`` entry of ``Library.info`` (outcome and lines), or None
        when the text stage has not looked at the photo."""
        lines = [str(line["text"]) for line in (text or {}).get("lines", [])]  # type: ignore[union-attr]
        self.lines.setPlainText("\n".join(lines))
        self.lines.setVisible(bool(lines))
        if text is None:
            message = self.tr("Not read yet.")
        elif text.get("outcome") == "skipped":
            message = self.tr("Not read: it looked like a photo without text.")
        elif not lines:
            message = self.tr("No text found.")
        else:
            message = ""
        self.state.setText(message)
        self.state.setVisible(bool(message))
