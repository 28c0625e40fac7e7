"""The label editor: prompts, threshold and parent, with a live preview.

Every edit (after a short pause) asks ``tagging.preview`` on a worker which photos the
label *as typed* would carry and how many: one matrix product over stored vectors, no
photo is re-encoded. Photos in the preview can be confirmed or rejected as examples,
which is how the label learns. Saving writes the label; nothing is saved while typing.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from photoorg.ui.context import LibraryContext
from photoorg.ui.photo_model import PhotoListModel, PhotoRows, rows_from_hits
from photoorg.ui.text import plain_label
from photoorg.ui.widgets.grid import PhotoGrid

translate = QCoreApplication.translate

PREVIEW_DEBOUNCE_MS = 300
PREVIEW_LIMIT = 120
AUTO_THRESHOLD = -1.001
"""The spin box's special value "auto" (learned): one step below the lowest real
threshold, so that -1.0 (every photo passes; an exclusive group then decides) stays a
value of its own and is never read back as auto."""


@dataclass(frozen=True)
class PreviewHit:
    id: int
    path: str
    score: float
    taken_at: str = ""


def run_preview(lib, label) -> tuple[int, PhotoRows, bool]:
    """Worker side: how many photos the label would carry, the best of them (or, when
    none would, the closest), and whether these are the closest."""
    preview = lib.tagging.preview(label, limit=PREVIEW_LIMIT)
    hits = []
    for photo_id, score in preview.hits:
        info = lib.info(int(photo_id))
        hits.append(
            PreviewHit(int(photo_id), info["path"], float(score), info.get("taken_at") or "")
        )
    return int(preview.count), rows_from_hits(hits, scored=True), preview.closest


class LabelEditor(QDialog):
    labels_changed = Signal()

    def __init__(self, ctx: LibraryContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("labelEditor")
        self.setWindowTitle("Labels")
        self.resize(1000, 640)
        self._ctx = ctx
        self._labels: dict[str, object] = {}
        self._editing: str | None = None  # the saved name of the label being edited
        self._loaded_threshold: tuple[float | None, float] = (None, AUTO_THRESHOLD)
        self._generation = 0
        self._delivered = 0
        self.preview_count: int | None = None
        self.preview_closest = False

        self.list = QListWidget(self)
        self.list.setObjectName("labelList")
        self.list.currentItemChanged.connect(self._on_label_chosen)
        new_button = QPushButton("New", self)
        new_button.clicked.connect(self.new_label)
        self.delete_button = QPushButton("Delete", self)
        self.delete_button.clicked.connect(self.delete_label)
        list_buttons = QHBoxLayout()
        list_buttons.addWidget(new_button)
        list_buttons.addWidget(self.delete_button)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.list, 1)
        left_layout.addLayout(list_buttons)

        self.name = QLineEdit(self)
        self.name.setObjectName("labelName")
        self.parent_box = QComboBox(self)
        self.parent_box.setObjectName("labelParent")
        self.parent_box.setEditable(True)
        self.prompts = QPlainTextEdit(self)
        self.prompts.setObjectName("labelPrompts")
        self.prompts.setPlaceholderText(
            translate(
                "LabelEditor", "One prompt per line; {} stands for the name, e.g. a photo of a {}."
            )
        )
        self.prompts.setFixedHeight(90)
        self.negative = QPlainTextEdit(self)
        self.negative.setObjectName("labelNegative")
        self.negative.setPlaceholderText(
            translate("LabelEditor", "Optional: what this label is not, one per line")
        )
        self.negative.setFixedHeight(60)
        self.threshold = QDoubleSpinBox(self)
        self.threshold.setObjectName("labelThreshold")
        self.threshold.setRange(AUTO_THRESHOLD, 1.0)
        self.threshold.setDecimals(3)
        self.threshold.setSingleStep(0.01)
        self.threshold.setSpecialValueText(translate("LabelEditor", "auto (learned)"))
        self.enabled = QCheckBox(translate("LabelEditor", "Tag photos automatically"), self)
        self.enabled.setChecked(True)
        self.group = QLineEdit(self)
        self.group.setPlaceholderText(
            translate("LabelEditor", "Optional: at most one label of this group per photo")
        )
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Parent", self.parent_box)
        form.addRow("Prompts", self.prompts)
        form.addRow("Not", self.negative)
        form.addRow("Threshold", self.threshold)
        form.addRow("", self.enabled)
        form.addRow(translate("LabelEditor", "Exclusive group"), self.group)
        self.error = plain_label("", self, object_name="errorText")
        self.error.setWordWrap(True)
        self.save_button = QPushButton(translate("LabelEditor", "Save Label"), self)
        self.save_button.setObjectName("saveLabel")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)

        self.count_label = plain_label("", self, object_name="previewCount")
        self.preview_model = PhotoListModel(ctx.thumbnails, self)
        self.preview = PhotoGrid(self)
        self.preview.set_thumbnail_size(112)
        self.preview.setModel(self.preview_model)
        self.confirm_button = QPushButton(translate("LabelEditor", "✓ Yes, this is it"), self)
        self.confirm_button.setObjectName("confirmExample")
        self.reject_button = QPushButton(translate("LabelEditor", "✗ No, it is not"), self)
        self.reject_button.setObjectName("rejectExample")
        self.confirm_button.clicked.connect(lambda: self.decide_selected("confirmed"))
        self.reject_button.clicked.connect(lambda: self.decide_selected("rejected"))
        example_row = QHBoxLayout()
        example_row.addWidget(self.count_label, 1)
        example_row.addWidget(self.confirm_button)
        example_row.addWidget(self.reject_button)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(form)
        right_layout.addWidget(self.error)
        right_layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignRight)
        right_layout.addLayout(example_row)
        right_layout.addWidget(self.preview, 1)
        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([220, 780])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DEBOUNCE_MS)
        self._timer.timeout.connect(self.update_preview)
        for edit in (self.name, self.group):
            edit.textEdited.connect(self._on_edited)
        for text in (self.prompts, self.negative):
            text.textChanged.connect(self._on_edited)
        self.parent_box.editTextChanged.connect(self._on_edited)
        self.threshold.valueChanged.connect(self._on_edited)
        self.enabled.toggled.connect(self._on_edited)

    @property
    def busy(self) -> bool:
        return self._timer.isActive() or self._delivered != self._generation

    # -- loading labels -------------------------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        self._ctx.call(
            lambda lib: lib.tagging.labels(), lambda labels: self._on_labels(labels, select)
        )

    def _on_labels(self, labels: list, select: str | None) -> None:
        self._labels = {label.name: label for label in labels}
        wanted = select or self._editing
        self.list.blockSignals(True)
        self.list.clear()
        for name in sorted(self._labels, key=str.lower):
            self.list.addItem(QListWidgetItem(name))  # item text is plain text
        self.list.blockSignals(False)
        parents = sorted(
            {label.parent for label in labels if label.parent} | set(self._labels), key=str.lower
        )
        current_parent = self.parent_box.currentText()
        self.parent_box.blockSignals(True)
        self.parent_box.clear()
        self.parent_box.addItems(["", *parents])
        self.parent_box.setEditText(current_parent)
        self.parent_box.blockSignals(False)
        matches = self.list.findItems(wanted, Qt.MatchFlag.MatchExactly) if wanted else []
        if matches:
            self.list.setCurrentItem(matches[0])
        elif self.list.count() and self._editing is None:
            self.list.setCurrentRow(0)

    def _on_label_chosen(self, item: QListWidgetItem | None, _previous) -> None:
        if item is not None and item.text() in self._labels:
            self.edit(self._labels[item.text()])

    def edit(self, label) -> None:
        """Fill the form from ``label`` (a saved one) and preview it."""
        self._editing = label.name
        widgets = (
            self.name,
            self.parent_box,
            self.prompts,
            self.negative,
            self.threshold,
            self.enabled,
            self.group,
        )
        for widget in widgets:
            widget.blockSignals(True)
        self.name.setText(label.name)
        self.parent_box.setEditText(label.parent or "")
        self.prompts.setPlainText("\n".join(label.prompts))
        self.negative.setPlainText("\n".join(label.negative_prompts))
        self.threshold.setValue(AUTO_THRESHOLD if label.threshold is None else label.threshold)
        self._loaded_threshold = (label.threshold, self.threshold.value())
        self.enabled.setChecked(label.enabled)
        self.group.setText(label.exclusive_group or "")
        for widget in widgets:
            widget.blockSignals(False)
        self.update_preview()

    def new_label(self) -> None:
        from photoorg.model.label import Label

        self.list.clearSelection()
        self.edit(Label(name="new label"))
        self._editing = None
        self.name.setFocus()
        self.name.selectAll()

    # -- the label as typed ---------------------------------------------------------------------

    def label_from_form(self):
        from photoorg.model.label import Label

        def lines(edit: QPlainTextEdit) -> tuple[str, ...]:
            return tuple(line.strip() for line in edit.toPlainText().splitlines() if line.strip())

        threshold: float | None = self.threshold.value()
        loaded, shown = self._loaded_threshold
        if threshold == shown:
            threshold = loaded  # untouched: the stored value exactly, not its rounding
        elif threshold is not None and threshold <= AUTO_THRESHOLD:
            threshold = None
        return Label(
            name=self.name.text().strip(),
            parent=self.parent_box.currentText().strip() or None,
            prompts=lines(self.prompts),
            negative_prompts=lines(self.negative),
            threshold=threshold,
            enabled=self.enabled.isChecked(),
            exclusive_group=self.group.text().strip() or None,
        )

    def _on_edited(self, *_args) -> None:
        self._timer.start()

    def update_preview(self) -> None:
        self._timer.stop()
        label = self.label_from_form()
        self._generation += 1
        generation = self._generation
        self.count_label.setText(translate("LabelEditor", "Looking…"))
        self._ctx.call(
            lambda lib: run_preview(lib, label),
            lambda result: self._on_preview(generation, *result),
            lambda exc: self._on_preview_failed(generation, exc),
        )

    def _on_preview(self, generation: int, count: int, rows: PhotoRows, closest: bool) -> None:
        if generation != self._generation:
            return
        self._delivered = generation
        self.error.setText("")
        self.preview_count = count
        if closest:
            self.count_label.setText(
                translate(
                    "LabelEditor",
                    "No photo reaches the threshold. The closest are shown: confirm the right ones to teach the label.",  # noqa: E501
                )
            )
        else:
            self.count_label.setText(
                f"{count:,} photo{'s' if count != 1 else ''} would carry this label"
                + (f" (best {len(rows)} shown)" if count > len(rows) else "")
            )
        self.preview_closest = closest
        self.preview_model.set_rows(rows)

    def _on_preview_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._delivered = generation
        self.preview_count = None
        self.count_label.setText("")
        self.error.setText(str(exc))

    # -- saving and examples ---------------------------------------------------------------------

    def save(self) -> None:
        label, original = self.label_from_form(), self._editing

        def write(lib):
            checked = label.checked()
            if original is None:
                lib.tagging.add_label(checked)
            else:
                lib.tagging.update_label(original, checked)
            return checked.name

        self._ctx.call(write, self._on_saved, lambda exc: self.error.setText(str(exc)))

    def _on_saved(self, name: str) -> None:
        self._editing = name
        self.error.setText("")
        self.labels_changed.emit()
        self.reload(select=name)

    def delete_label(self) -> None:
        name = self._editing
        if name is None:
            return
        self._editing = None
        self._ctx.call(
            lambda lib: lib.tagging.remove_label(name),
            lambda _r: (self.labels_changed.emit(), self.reload()),
            lambda exc: self.error.setText(str(exc)),
        )

    def decide_selected(self, decision: str) -> None:
        """Confirm or reject the selected preview photos as examples of this label."""
        name = self._editing
        ids = [self.preview_model.photo_id(r) for r in self.preview.selected_rows()]
        if name is None or not ids:
            self.error.setText(
                translate("LabelEditor", "Save the label and select photos in the preview first.")
            )
            return
        token = self._ctx.cancel_token()  # closing the window stops the re-tag
        self._ctx.call(
            lambda lib: lib.tagging.set_decision(ids, name, decision, cancel=token),
            lambda _r: (self.labels_changed.emit(), self.update_preview()),
            lambda exc: self.error.setText(str(exc)),
        )
