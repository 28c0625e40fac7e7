"""The model picker of Settings: the curated models with their figures, or any name.

Rows come from ``Library.models()`` (``photoorg models --json``), fetched on a worker:
the picker itself only shows them. It stays editable, so ``local-dir:`` folders and any
other open_clip name still go in as typed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QWidget


class ModelPicker(QComboBox):
    def __init__(self, current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelPicker")
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMinimumContentsLength(36)
        self.lineEdit().setPlaceholderText(self.tr("the catalog's model, or the default"))
        self.setEditText(current)

    def set_models(self, rows: Sequence[Mapping[str, object]]) -> None:
        """Offer ``rows`` (name, languages, figures, here); what is typed stays."""
        typed = self.currentText()
        self.clear()
        for row in rows:
            name = str(row["name"])
            self.addItem(self._describe(row), name)
            self.setItemData(self.count() - 1, self._details(row), Qt.ItemDataRole.ToolTipRole)
        self.setEditText(typed)

    def current_name(self) -> str:
        """The chosen or typed model name ('' for the catalog's model or the default)."""
        text = self.currentText().strip()
        index = self.findText(text)
        if index >= 0:
            return str(self.itemData(index))
        return text

    def _describe(self, row: Mapping[str, object]) -> str:
        languages = (
            self.tr("multilingual") if row["languages"] == "multilingual" else self.tr("English")
        )
        where = (
            self.tr("on this computer")
            if row["here"]
            else self.tr("{0} MB to download").format(row["download_mb"])
        )
        return f"{row['name']}  ({languages}, {where})"

    def _details(self, row: Mapping[str, object]) -> str:
        zero_shot = row.get("imagenet_zero_shot")
        chinese = row.get("zh_retrieval")
        unknown = self.tr("not in open_clip's tables")
        lines = [
            self.tr("Image cost: {0} GFLOPs per photo").format(row["image_gflops"]),
            self.tr("Embedding size: {0}").format(row["dim"]),
            self.tr("ImageNet zero-shot: {0}").format(
                f"{float(zero_shot):.1%}" if zero_shot is not None else unknown
            ),
            self.tr("Finding photos from Chinese captions (recall@1): {0}").format(
                f"{float(chinese):.1%}" if chinese is not None else unknown
            ),
        ]
        if row.get("note"):
            lines.append(str(row["note"]))
        return "\n".join(lines)
