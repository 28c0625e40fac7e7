"""Label commands: the label editor, applying a label to a folder or album, and the
labels that dominate a folder or album."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QInputDialog

from photoorg.ui.command_base import CommandBase
from photoorg.ui.widgets.sidebar import Scope

translate = QCoreApplication.translate


class LabelCommands(CommandBase):
    def open_label_editor(self, name: str | None = None):
        from photoorg.ui.dialogs.label_editor import LabelEditor

        if self.label_editor is None:
            self.label_editor = LabelEditor(self.ctx, self.window)
            self.label_editor.labels_changed.connect(self.ctx.changed.emit)
        self.label_editor.show()
        self.label_editor.raise_()
        self.label_editor.reload(select=name)
        return self.label_editor

    def apply_label_to_scope(self, scope: Scope | None = None, label: str | None = None) -> None:
        scope = scope or self.window.browser.scope
        if scope.kind not in ("folder", "album"):
            self._message(
                translate("LabelCommands", "Select a folder or an album in the sidebar first.")
            )
            return
        if label is None:
            names = (
                [e.name for e in (self.window.overview.labels or [])]
                if self.window.overview
                else []
            )
            label, ok = QInputDialog.getItem(
                self.window,
                translate("LabelCommands", "Apply Label"),
                translate("LabelCommands", "Label for every photo in “{0}”:").format(scope.title),
                names,
                0,
                True,
            )
            if not ok or not label.strip():
                return
        where = {scope.kind: scope.value}  # folder=... or album=...

        token = self.ctx.cancel_token()  # closing the window stops the re-tag

        def apply(lib) -> int:
            return lib.tagging.confirm_all(label, **where, cancel=token)

        self.ctx.call(
            apply,
            lambda count: (
                self._message(
                    translate("LabelCommands", "Labelled {0} photos “{1}”").format(count, label)
                ),
                self.ctx.changed.emit(),
            ),
            self._failed(translate("LabelCommands", "Could not apply the label")),
        )

    def show_dominant_labels(self, scope: Scope) -> None:
        """'Mostly: beach 80 %, people 45 %' under the title of a folder or album."""
        browser = self.window.browser
        if scope.kind not in ("folder", "album") or not self.ctx.is_open:
            return
        from photoorg.ui.catalog_adapters import dominant_labels_text

        kwargs = {scope.kind: scope.value}
        self.ctx.call(
            lambda lib: dominant_labels_text(lib.tagging.summary(**kwargs)),
            lambda text: browser.scope == scope and browser.set_subtitle(text),
        )
