"""The Problems view: every file the scanner could not read, with the reason.

Opened from the status bar's "5 unreadable files" (and View ▸ Problems…). The list is
read on a worker; "Show in Folder" reveals the selected file.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from photoorg.ui.context import LibraryContext
from photoorg.ui.text import plain_label, tooltip

translate = QCoreApplication.translate


class ProblemsDialog(QDialog):
    reveal_requested = Signal(str)  # a file's path

    def __init__(self, ctx: LibraryContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problemsDialog")
        self.setWindowTitle(translate("ProblemsDialog", "Problems"))
        self.resize(760, 420)
        self._ctx = ctx
        self.loaded = False
        self.summary = plain_label("Reading the list…", self, object_name="problemsSummary")
        self.summary.setWordWrap(True)
        self.list = QTreeWidget(self)
        self.list.setObjectName("problemsList")
        self.list.setHeaderLabels(
            [
                translate("ProblemsDialog", "File"),
                translate("ProblemsDialog", "Reason"),
                translate("ProblemsDialog", "When"),
            ]
        )
        self.list.setRootIsDecorated(False)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.list.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, 320)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.reveal_button = QPushButton(translate("ProblemsDialog", "Show in Folder"), self)
        self.reveal_button.setEnabled(False)
        buttons.addButton(self.reveal_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.reveal_button.clicked.connect(self._reveal)
        self.list.itemSelectionChanged.connect(
            lambda: self.reveal_button.setEnabled(bool(self.list.selectedItems()))
        )
        self.list.itemActivated.connect(lambda _item, _col: self._reveal())
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)

    def reload(self) -> None:
        self.loaded = False
        if not self._ctx.call(lambda lib: lib.errors(), self._show, self._failed):
            self._failed(RuntimeError("the catalog is not open"))

    def paths(self) -> list[str]:
        return [self.list.topLevelItem(i).text(0) for i in range(self.list.topLevelItemCount())]

    def _show(self, errors: list[dict[str, Any]]) -> None:
        self.list.clear()
        for error in errors:
            when = str(error.get("at") or "")[:19].replace("T", " ")
            item = QTreeWidgetItem(self.list, [error["path"], error["error"] or "", when])
            item.setToolTip(0, tooltip(error["path"]))
            item.setToolTip(1, tooltip(error["error"] or ""))
        self.summary.setText(
            translate(
                "ProblemsDialog",
                "%n file(s) could not be read. They are tried again at every rescan; a file"
                " fixed or removed leaves this list.",
                "",
                len(errors),
            )
            if errors
            else translate("ProblemsDialog", "No problems: every file was read.")
        )
        self.loaded = True

    def _failed(self, exc: BaseException) -> None:
        self.summary.setText(
            translate("ProblemsDialog", "The list could not be read: {0}").format(exc)
        )
        self.loaded = True

    def _reveal(self) -> None:
        items = self.list.selectedItems()
        if items:
            self.reveal_requested.emit(items[0].text(0))


__all__ = ["ProblemsDialog"]
