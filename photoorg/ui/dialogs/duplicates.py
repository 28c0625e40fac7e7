"""Duplicates: groups of exact copies and near-duplicates, side by side, best first.

One row per group, one column per photo: the first column is the one to keep (largest,
then biggest file), so "Select the rest" ticks every other column. Ticked photos can be
moved to a folder (never deleted: a user may have chosen wrongly) or revealed.
"""

from __future__ import annotations

import os
from typing import Any

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from photoorg.errors import Cancelled
from photoorg.services.jobs import CancelToken, Progress
from photoorg.ui.context import LibraryContext
from photoorg.ui.file_actions import copy_files
from photoorg.ui.runner import ProgressRelay
from photoorg.ui.text import human_size, plain_label, tooltip

translate = QCoreApplication.translate

CELL = 150
PathRole = Qt.ItemDataRole.UserRole + 1


def load_groups(
    lib, threshold: float, progress: Progress, cancel: CancelToken
) -> list[dict[str, Any]]:
    """Worker side: the Library's groups, each photo with its thumbnail as a QImage."""
    groups = lib.duplicates(threshold=threshold, progress=progress, cancel=cancel)
    for group in groups:
        for photo in group["photos"]:
            try:
                thumb = lib.info(photo["path"])["thumbnail"]
            except Exception:
                thumb = ""
            image = QImage(thumb) if thumb else QImage()
            if not image.isNull():
                image = image.scaled(
                    CELL - 20,
                    CELL - 20,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            photo["image"] = image
    return groups


class IconAboveText(QStyledItemDelegate):
    """The thumbnail above its name: beside it, the name had a few pixels at any width."""

    def initStyleOption(self, option: QStyleOptionViewItem, index) -> None:
        super().initStyleOption(option, index)
        option.decorationPosition = QStyleOptionViewItem.Position.Top
        option.displayAlignment = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
        option.textElideMode = Qt.TextElideMode.ElideMiddle


class DuplicatesDialog(QDialog):
    moved = Signal()

    def __init__(self, ctx: LibraryContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("duplicatesDialog")
        self.setWindowTitle("Duplicates")
        self.resize(900, 600)
        self._ctx = ctx
        self.groups: list[dict[str, Any]] = []
        self.loading = False
        self._token: CancelToken | None = None
        self._relay = ProgressRelay(parent=self)
        self._relay.progressed.connect(self._show_progress)

        self.threshold = QDoubleSpinBox(self)
        self.threshold.setRange(0.80, 1.0)
        self.threshold.setSingleStep(0.01)
        self.threshold.setDecimals(2)
        self.threshold.setValue(0.95)
        self.threshold.setPrefix(translate("DuplicatesDialog", "Similarity ≥ "))
        self.threshold.setToolTip(
            translate(
                "DuplicatesDialog", "How alike two photos must be to count as near-duplicates"
            )
        )
        self.find_button = QPushButton("Find", self)
        self.find_button.clicked.connect(self.reload)
        self.status = plain_label("", self, object_name="hint")
        top = QHBoxLayout()
        top.addWidget(self.threshold)
        top.addWidget(self.find_button)
        top.addWidget(self.status, 1)

        self.table = QTableWidget(self)
        self.table.setObjectName("duplicatesTable")
        self.table.setIconSize(QSize(CELL - 20, CELL - 20))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setItemDelegate(IconAboveText(self.table))
        self.table.verticalHeader().setDefaultSectionSize(CELL + 30)
        self.table.horizontalHeader().setDefaultSectionSize(CELL + 40)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.setWordWrap(True)

        self.select_rest = QPushButton(translate("DuplicatesDialog", "Select the rest"), self)
        self.select_rest.setObjectName("selectRest")
        self.select_rest.setToolTip(
            translate("DuplicatesDialog", "Tick every photo but the best of each group")
        )
        self.select_rest.clicked.connect(self.tick_all_but_best)
        self.move_button = QPushButton(
            translate("DuplicatesDialog", "Move ticked to folder…"), self
        )
        self.move_button.setObjectName("moveTicked")
        self.move_button.clicked.connect(self._move_ticked)
        close = QPushButton("Close", self)
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addWidget(self.select_rest)
        bottom.addWidget(self.move_button)
        bottom.addStretch(1)
        bottom.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

    def reload(self) -> None:
        threshold = self.threshold.value()
        self.loading = True
        self.status.setText(translate("DuplicatesDialog", "Looking for duplicates…"))
        self.find_button.setEnabled(False)
        self._token = token = self._ctx.cancel_token()
        progress = self._relay.callback()
        started = self._ctx.call(
            lambda lib: load_groups(lib, threshold, progress, token),
            self._on_groups,
            self._on_error,
        )
        if not started:
            self._on_error(RuntimeError("the catalog is not open"))

    def _show_progress(self, _phase: str, done: int, total: int) -> None:
        if self.loading and total:
            self.status.setText(
                translate("DuplicatesDialog", "Comparing photos… {0:,} of {1:,}").format(
                    done, total
                )
            )

    def done(self, result: int) -> None:
        """Closing the dialog stops a search for duplicates still on its way."""
        if self._token is not None:
            self._token.cancel()
        super().done(result)

    def _on_error(self, exc: BaseException) -> None:
        self.loading = False
        self.find_button.setEnabled(True)
        self.status.setText(
            translate("DuplicatesDialog", "Stopped.")
            if isinstance(exc, Cancelled)
            else translate("DuplicatesDialog", "Could not look for duplicates: {0}").format(exc)
        )

    def _on_groups(self, groups: list[dict[str, Any]]) -> None:
        self.loading = False
        self.find_button.setEnabled(True)
        self.groups = groups
        exact = sum(1 for g in groups if g["kind"] == "exact")
        self.status.setText(
            QCoreApplication.translate(
                "DuplicatesDialog", "%n group(s) of exact copies", None, exact
            )
            + translate("DuplicatesDialog", ", {0} of near-duplicates").format(len(groups) - exact)
            if groups
            else translate("DuplicatesDialog", "No duplicates found.")
        )
        width = max((len(g["photos"]) for g in groups), default=0)
        self.table.clear()
        self.table.setRowCount(len(groups))
        self.table.setColumnCount(width)
        self.table.setHorizontalHeaderLabels(
            [translate("DuplicatesDialog", "Best")] + [""] * max(0, width - 1)
        )
        self.table.setVerticalHeaderLabels(
            [
                translate("DuplicatesDialog", "Exact copies")
                if g["kind"] == "exact"
                else translate("DuplicatesDialog", "Look alike")
                for g in groups
            ]
        )
        for row, group in enumerate(groups):
            for column, photo in enumerate(group["photos"]):
                self.table.setItem(row, column, self._cell(photo))

    def _cell(self, photo: dict[str, Any]) -> QTableWidgetItem:
        path = photo["path"]
        size = f"{photo['width']}×{photo['height']} · {human_size(photo['size'])}"
        text = f"{os.path.basename(path)}\n{size}"
        item = QTableWidgetItem(text)  # item text is plain text
        image = photo.get("image")
        if isinstance(image, QImage) and not image.isNull():
            item.setIcon(QIcon(QPixmap.fromImage(image)))
        item.setToolTip(tooltip(path))
        item.setData(PathRole, path)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        return item

    def tick_all_but_best(self) -> None:
        for row in range(self.table.rowCount()):
            for column in range(self.table.columnCount()):
                item = self.table.item(row, column)
                if item is not None:
                    state = Qt.CheckState.Unchecked if column == 0 else Qt.CheckState.Checked
                    item.setCheckState(state)

    def ticked_paths(self) -> list[str]:
        paths = []
        for row in range(self.table.rowCount()):
            for column in range(self.table.columnCount()):
                item = self.table.item(row, column)
                if item is not None and item.checkState() == Qt.CheckState.Checked:
                    paths.append(item.data(PathRole))
        return paths

    def _move_ticked(self) -> None:
        paths = self.ticked_paths()
        if not paths:
            self.status.setText(
                translate(
                    "DuplicatesDialog", "Tick the photos to move first (or use Select the rest)."
                )
            )
            return
        folder = QFileDialog.getExistingDirectory(
            self, translate("DuplicatesDialog", "Move ticked photos to")
        )
        if not folder:
            return
        self.move_to(paths, folder)

    def move_to(self, paths: list[str], folder: str) -> None:
        self.status.setText(translate("DuplicatesDialog", "Moving %n photo(s)…", "", len(paths)))

        def done(report) -> None:
            failed = {source for source, _reason in report.failed}
            self._forget([p for p in paths if p not in failed])
            self.status.setText(report.summary("Moved"))
            self.moved.emit()

        self._ctx.runner.run_task(
            lambda: copy_files(paths, folder, move=True), done, self._on_error
        )

    def _forget(self, paths: list[str]) -> None:
        """Moved files leave the list (a group left with one photo is no group)."""
        gone = set(paths)
        groups = []
        for group in self.groups:
            kept = [p for p in group["photos"] if p["path"] not in gone]
            if len(kept) > 1:
                groups.append({**group, "photos": kept})
        self._on_groups(groups)
