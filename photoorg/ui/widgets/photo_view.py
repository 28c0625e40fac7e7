"""One photo large: upright preview, metadata, tags with confirm/reject, actions.

Shown over the grid (Enter, Space or a double click); Escape or Space goes back, the
arrow keys step through the grid's photos. The cached 256 px thumbnail shows at once
and the large preview replaces it when a worker has decoded it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QImage, QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from photoorg.model.face import FaceDecision
from photoorg.ui.context import LibraryContext
from photoorg.ui.metadata import describe_metadata
from photoorg.ui.text import plain_label, tooltip
from photoorg.ui.widgets.face_canvas import FaceCanvas, FaceMark, face_marks
from photoorg.ui.widgets.photo_text_panel import PhotoTextPanel

translate = QCoreApplication.translate

PREVIEW_SIZE = 1600


class TagRow(QWidget):
    """'cat  0.31  auto  [✓] [✗]' for one tag of the photo."""

    decided = Signal(str, object)  # label, 'confirmed' | 'rejected' | None (undo)

    def __init__(self, tag: dict[str, Any], editable: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tagRow")
        self.label_name = str(tag.get("label", ""))
        self.source = str(tag.get("source", ""))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.name = plain_label(self.label_name, self, object_name="tagName")
        if self.source == "rejected":
            font = self.name.font()
            font.setStrikeOut(True)
            self.name.setFont(font)
        score = tag.get("score")
        self.score = plain_label(
            "" if score is None else f"{score:.2f}", self, object_name="tagScore"
        )
        self.state = plain_label(self.source, self, object_name="tagSource")
        layout.addWidget(self.name, 1)
        layout.addWidget(self.score)
        layout.addWidget(self.state)
        self.confirm = QToolButton(self)
        self.confirm.setObjectName("confirmTag")
        self.confirm.setText("✓")
        self.confirm.setToolTip(
            tooltip(translate("TagRow", "Yes, this is {0}").format(self.label_name))
        )
        self.confirm.setCheckable(True)
        self.confirm.setChecked(self.source in ("confirmed", "manual"))
        self.reject = QToolButton(self)
        self.reject.setObjectName("rejectTag")
        self.reject.setText("✗")
        self.reject.setToolTip(
            tooltip(translate("TagRow", "No, this is not {0}").format(self.label_name))
        )
        self.reject.setCheckable(True)
        self.reject.setChecked(self.source == "rejected")
        for button in (self.confirm, self.reject):
            button.setEnabled(editable)
            layout.addWidget(button)
        self.confirm.clicked.connect(
            lambda on: self.decided.emit(self.label_name, "confirmed" if on else None)
        )
        self.reject.clicked.connect(
            lambda on: self.decided.emit(self.label_name, "rejected" if on else None)
        )


class PhotoView(QWidget):
    back_requested = Signal()
    step_requested = Signal(int)  # -1 previous, +1 next
    similar_requested = Signal(int)  # photo id
    open_requested = Signal(str)  # path
    reveal_requested = Signal(str)  # path
    tags_changed = Signal()
    message = Signal(str)  # for the status bar

    def __init__(self, ctx: LibraryContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("photoView")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._ctx = ctx
        self._generation = 0
        self._loading = 0
        self.photo_id: int | None = None
        self.info: dict[str, Any] = {}

        self.canvas = FaceCanvas(self)
        self.canvas.face_clicked.connect(self._on_face_clicked)
        self.canvas.face_menu_requested.connect(
            lambda face_id, name, where: self.face_menu(face_id, name).exec(where)
        )
        # A tool bar, not a row of buttons: in a narrow window (800×600) what does not fit
        # goes into its » menu instead of being clipped.
        toolbar = QToolBar(self)
        toolbar.setObjectName("photoToolbar")
        self.back_button = self._button(
            translate("PhotoView", "← Back"),
            translate("PhotoView", "Back to the grid (Esc)"),
            toolbar,
        )
        self.prev_button = self._button("‹", translate("PhotoView", "Previous photo (←)"), toolbar)
        self.next_button = self._button("›", translate("PhotoView", "Next photo (→)"), toolbar)
        spacer = QWidget(toolbar)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        self.similar_button = self._button(
            translate("PhotoView", "Find similar"),
            translate("PhotoView", "Photos like this one"),
            toolbar,
        )
        self.open_button = self._button(
            translate("PhotoView", "Open"),
            translate("PhotoView", "Open in the system viewer"),
            toolbar,
        )
        self.reveal_button = self._button(
            translate("PhotoView", "Show in folder"),
            translate("PhotoView", "Reveal in the file manager"),
            toolbar,
        )
        self.back_button.clicked.connect(self.back_requested)
        self.prev_button.clicked.connect(lambda: self.step_requested.emit(-1))
        self.next_button.clicked.connect(lambda: self.step_requested.emit(1))
        self.similar_button.clicked.connect(self._on_similar)
        self.open_button.clicked.connect(lambda: self._with_path(self.open_requested))
        self.reveal_button.clicked.connect(lambda: self._with_path(self.reveal_requested))

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(12, 12, 0, 12)
        left_layout.addWidget(toolbar)
        left_layout.addWidget(self.canvas, 1)

        panel = QWidget(self)
        panel.setObjectName("infoPanel")
        panel_layout = QVBoxLayout(panel)
        panel_layout.setContentsMargins(16, 16, 16, 16)
        panel_layout.setSpacing(10)
        self.title = plain_label("", panel, object_name="photoTitle")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        panel_layout.addWidget(self.title)
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.form.setHorizontalSpacing(12)
        self.form.setVerticalSpacing(6)
        panel_layout.addLayout(self.form)
        self.meta_values: dict[str, QLabel] = {}

        tags_heading = plain_label("Tags", panel, object_name="sectionHeading")
        panel_layout.addWidget(tags_heading)
        self.tags_box = QVBoxLayout()
        self.tags_box.setSpacing(4)
        panel_layout.addLayout(self.tags_box)
        self.no_tags = plain_label(translate("PhotoView", "No tags yet"), panel, object_name="hint")
        panel_layout.addWidget(self.no_tags)
        add_row = QHBoxLayout()
        self.add_tag = QComboBox(panel)
        self.add_tag.setObjectName("addTagBox")
        self.add_tag.setEditable(True)
        self.add_tag.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.add_tag.lineEdit().setPlaceholderText(translate("PhotoView", "Add a tag…"))
        self.add_tag_button = QPushButton("Add", panel)
        self.add_tag_button.setObjectName("addTagButton")
        self.add_tag_button.clicked.connect(self._on_add_tag)
        self.add_tag.lineEdit().returnPressed.connect(self._on_add_tag)
        add_row.addWidget(self.add_tag, 1)
        add_row.addWidget(self.add_tag_button)
        panel_layout.addLayout(add_row)
        self.text_panel = PhotoTextPanel(panel)
        panel_layout.addWidget(self.text_panel)
        panel_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setObjectName("infoScroll")
        scroll.setWidget(panel)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setMinimumWidth(220)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("photoSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(scroll)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

    def _button(self, text: str, tip: str, toolbar: QToolBar) -> QPushButton:
        button = QPushButton(text, self)
        button.setToolTip(tip)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys belong to the view
        toolbar.addWidget(button)
        return button

    @property
    def busy(self) -> bool:
        return self._loading > 0

    # -- showing a photo ----------------------------------------------------------------------

    def show_photo(self, photo_id: int) -> None:
        self._generation += 1
        generation = self._generation
        self.photo_id = photo_id
        self._loading = 2
        self.canvas.set_pixmap(QPixmap())

        def load_info(lib) -> tuple[dict[str, Any], QImage, list[str], list[FaceMark]]:
            info = lib.info(photo_id)
            labels = [label.name for label in lib.tagging.labels()]
            return info, QImage(info["thumbnail"]), labels, face_marks(lib, photo_id)

        self._ctx.call(
            load_info,
            lambda result: self._on_info(generation, *result),
            lambda exc: self._on_failed(generation, exc),
        )
        self._ctx.call(
            lambda lib: QImage.fromData(lib.preview(photo_id, PREVIEW_SIZE)),
            lambda image: self._on_preview(generation, image),
            lambda exc: self._on_failed(generation, exc),
        )

    def _on_info(
        self,
        generation: int,
        info: dict[str, Any],
        thumb: QImage,
        labels: list[str],
        faces: list[FaceMark],
    ) -> None:
        if generation != self._generation:
            return
        self._loading -= 1
        self.info = info
        self.canvas.set_faces(faces, (int(info.get("width", 0)), int(info.get("height", 0))))
        if self.canvas.pixmap().isNull() and not thumb.isNull():
            self.canvas.set_pixmap(QPixmap.fromImage(thumb))
        name, rows = describe_metadata(info)
        self.title.setText(name)
        while self.form.rowCount():
            self.form.removeRow(0)
        self.meta_values = {}
        for key, value in rows:
            label = plain_label(value, self, object_name="metaValue")
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.form.addRow(plain_label(key, self, object_name="metaKey"), label)
            self.meta_values[key] = label
        current = self.add_tag.currentText()
        self.add_tag.clear()
        self.add_tag.addItems(sorted(labels, key=str.lower))
        self.add_tag.setEditText(current)
        self._show_tags(info.get("tags", []))
        self.text_panel.show_text(info.get("text"))

    def _on_preview(self, generation: int, image: QImage) -> None:
        if generation != self._generation:
            return
        self._loading -= 1
        if not image.isNull():
            self.canvas.set_pixmap(QPixmap.fromImage(image))

    def _on_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._loading -= 1
        if not self.title.text():
            self.title.setText(translate("PhotoView", "Cannot show this photo: {0}").format(exc))

    def _show_tags(self, tags: list[dict[str, Any]]) -> None:
        while self.tags_box.count():
            widget = self.tags_box.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        editable = self._ctx.is_open
        for tag in tags:
            row = TagRow(tag, editable, self)
            row.decided.connect(self._on_decided)
            self.tags_box.addWidget(row)
        self.no_tags.setVisible(not tags)
        self.add_tag.setEnabled(editable)
        self.add_tag_button.setEnabled(editable)

    def tag_rows(self) -> list[TagRow]:
        rows = []
        for i in range(self.tags_box.count()):
            widget = self.tags_box.itemAt(i).widget()
            if isinstance(widget, TagRow):
                rows.append(widget)
        return rows

    # -- tags ------------------------------------------------------------------------------------

    def _on_decided(self, label: str, decision: str | None) -> None:
        self._decide(label, decision)

    def _on_add_tag(self) -> None:
        label = self.add_tag.currentText().strip()
        if label:
            self._decide(label, "manual")
            self.add_tag.setEditText("")

    def _decide(self, label: str, decision: str | None) -> None:
        photo_id = self.photo_id
        if photo_id is None or not self._ctx.is_open:
            return

        token = self._ctx.cancel_token()  # closing the window stops the re-tag

        def apply(lib) -> list[dict[str, Any]]:
            # A new name typed here becomes a disabled label carrying only this photo.
            lib.tagging.set_decision([photo_id], label, decision, cancel=token)
            return lib.tags_of(photo_id)

        self._loading += 1
        generation = self._generation

        def done(tags: list[dict[str, Any]]) -> None:
            self._loading -= 1
            if generation == self._generation:
                self._show_tags(tags)
            self.tags_changed.emit()

        def failed(exc: BaseException) -> None:
            self._loading -= 1
            self.message.emit(translate("PhotoView", "Could not change the tag: {0}").format(exc))

        self._ctx.call(apply, done, failed)

    # -- actions ---------------------------------------------------------------------------------

    def _with_path(self, signal) -> None:
        path = self.info.get("path")
        if path:
            signal.emit(path)

    # -- faces ----------------------------------------------------------------------------

    def _on_face_clicked(self, face_id: int, name: str) -> None:
        """Ask for the face's name, offering the named person it looks like first."""

        def ask(suggested: list[tuple[int, str, float]]) -> None:
            offer = name or (suggested[0][1] if suggested else "")
            question = translate("PhotoView", "Who is this?")
            if suggested and not name:
                looks = translate("PhotoView", "looks like {0}").format(suggested[0][1])
                question += f" ({looks})"
            title = translate("PhotoView", "Name this face")
            text, ok = QInputDialog.getText(self, title, question, text=offer)
            if ok and text.strip():
                self.name_face(face_id, text.strip())

        self._ctx.call(lambda lib: lib.people.suggestions(face_id), ask, lambda exc: ask([]))

    def face_menu(self, face_id: int, name: str) -> QMenu:
        """What a right click on a face offers: name it, or say it is no one to group."""
        menu = QMenu(self)
        menu.addAction(
            translate("PhotoView", "Name…"), lambda: self._on_face_clicked(face_id, name)
        )
        menu.addSeparator()
        for text, decision in (
            (translate("PhotoView", "Not a face"), FaceDecision.NOT_FACE),
            (translate("PhotoView", "Ignore this face (a stranger)"), FaceDecision.IGNORED),
        ):
            menu.addAction(text, lambda d=decision: self.decide_face(face_id, d))
        return menu

    def name_face(self, face_id: int, name: str) -> None:
        """Give a face a name (worker side), then redraw the photo's faces."""
        self._change_face(
            lambda lib: lib.people.name_face(face_id, name),
            translate("PhotoView", "Named {0}").format(name),
        )

    def decide_face(self, face_id: int, decision: FaceDecision) -> None:
        """Take a face out of the people: not a face, or a stranger to leave ungrouped."""
        self._change_face(
            lambda lib: lib.people.decide(face_id, decision),
            translate("PhotoView", "The face is left out of People"),
        )

    def _change_face(self, change: Callable[[Any], object], done_message: str) -> None:
        photo_id = self.photo_id

        def apply(lib) -> list[FaceMark]:
            change(lib)
            return face_marks(lib, photo_id)

        def done(faces: list[FaceMark]) -> None:
            if photo_id == self.photo_id:
                self.canvas.set_faces(
                    faces, (self.info.get("width", 0), self.info.get("height", 0))
                )
            self.message.emit(done_message)
            self.tags_changed.emit()  # the sidebar's people change

        def failed(exc: BaseException) -> None:
            self.message.emit(translate("PhotoView", "Cannot change the face: {0}").format(exc))

        self._ctx.call(apply, done, failed)

    def _on_similar(self) -> None:
        if self.photo_id is not None:
            self.similar_requested.emit(self.photo_id)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Escape, Qt.Key.Key_Space, Qt.Key.Key_Backspace):
            self.back_requested.emit()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Up):
            self.step_requested.emit(-1)
        elif key in (Qt.Key.Key_Right, Qt.Key.Key_Down):
            self.step_requested.emit(1)
        else:
            super().keyPressEvent(event)
            return
        event.accept()
