"""What every menu command shares: the window, the context, messages and the selection."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

from photoorg.ui.text import literal

if TYPE_CHECKING:
    from photoorg.ui.main_window import MainWindow


class CommandBase:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.ctx = window.ctx
        self.actions: dict[str, QAction] = {}
        self.duplicates_dialog = None
        self.people_dialog = None
        self.label_editor = None
        self.problems_dialog = None

    # -- helpers --------------------------------------------------------------------------------

    def _message(self, text: str, timeout: int = 8000) -> None:
        self.window.statusBar().showMessage(text, timeout)

    def _confirm(self, title: str, question: str) -> bool:
        # literal(): a folder or album called "<b>x" would otherwise be shown as markup.
        answer = QMessageBox.question(self.window, title, literal(question))
        return answer == QMessageBox.StandardButton.Yes

    def _failed(self, what: str):
        return lambda exc: self._message(f"{what}: {exc}", 12000)

    def _selection(self) -> tuple[list[int], list[str]]:
        browser = self.window.browser
        if self.window.pages.currentWidget() is self.window.photo_view:
            view = self.window.photo_view
            if view.photo_id is not None and view.info.get("path"):
                return [view.photo_id], [view.info["path"]]
        return browser.selected_ids(), browser.selected_paths()
