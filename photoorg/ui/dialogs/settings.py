"""Settings: what is stored in QSettings, and the dialog that edits it.

Every key and default lives in ``AppSettings``, so the window, the dialog and the tests
agree. Window geometry and splitter state go into the same QSettings.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from photoorg.config import PRECISIONS
from photoorg.ui.i18n import LANGUAGES
from photoorg.ui.text import literal, plain_label
from photoorg.ui.widgets.grid import DEFAULT_THUMBNAIL, MAX_THUMBNAIL, MIN_THUMBNAIL
from photoorg.ui.widgets.model_picker import ModelPicker

translate = QCoreApplication.translate

DEVICES = ("auto", "cpu", "cuda", "mps")
PRECISION_NAMES = (
    "Automatic (the fastest that stays faithful)",
    "Full (fp32)",
    "Half (fp16, GPUs)",
    "bfloat16 (bf16, recent CPUs)",
    "8-bit (int8, CPUs)",
)


@dataclass(frozen=True)
class AppSettings:
    model: str = ""  # empty: the catalog's model, else the default
    device: str = "auto"
    precision: str = "auto"  # of the image tower while indexing (ml.precision)
    threads: int = 0  # 0: one per core
    catalog: str = ""  # empty: $PHOTOORG_HOME or the platform's data folder
    language: str = "system"  # the window's language: system, en or zh_CN
    thumbnail_size: int = DEFAULT_THUMBNAIL
    first_run_done: bool = False

    @classmethod
    def load(cls, store: QSettings) -> AppSettings:
        def text(key: str, default: str) -> str:
            value = store.value(key, default)
            return str(value) if value is not None else default

        def number(key: str, default: int) -> int:
            try:
                return int(store.value(key, default))
            except (TypeError, ValueError):
                return default

        device = text("device", "auto")
        precision = text("precision", "auto")
        return cls(
            model=text("model", ""),
            device=device if device in DEVICES else "auto",
            precision=precision if precision in PRECISIONS else "auto",
            threads=max(0, number("threads", 0)),
            catalog=text("catalog", ""),
            language=text("language", "system"),
            thumbnail_size=min(
                MAX_THUMBNAIL, max(MIN_THUMBNAIL, number("thumbnail_size", DEFAULT_THUMBNAIL))
            ),
            first_run_done=text("first_run_done", "false").lower() == "true",
        )

    def save(self, store: QSettings) -> None:
        store.setValue("model", self.model)
        store.setValue("device", self.device)
        store.setValue("precision", self.precision)
        store.setValue("threads", self.threads)
        store.setValue("catalog", self.catalog)
        store.setValue("language", self.language)
        store.setValue("thumbnail_size", self.thumbnail_size)
        store.setValue("first_run_done", "true" if self.first_run_done else "false")
        store.sync()


def list_with_buttons(items: QWidget, *buttons: QPushButton) -> QHBoxLayout:
    """A list with its buttons stacked at its right (the folder lists of the dialogs)."""
    column = QVBoxLayout()
    for button in buttons:
        column.addWidget(button)
    column.addStretch(1)
    row = QHBoxLayout()
    row.addWidget(items, 1)
    row.addLayout(column)
    return row


def choose_model_folder(parent: QWidget | None) -> str | None:
    """Ask for a local open_clip model folder; returns a ``local-dir:`` model name, or
    None (cancelled, or a folder with no usable model: the user is told what is missing)."""
    from photoorg.errors import ModelError
    from photoorg.ml.weights import check_local_dir  # no torch: only looks at the files

    folder = QFileDialog.getExistingDirectory(
        parent,
        translate(
            "settings",
            "Choose a model folder (with open_clip_config.json and open_clip_model.safetensors)",
        ),
    )
    if not folder:
        return None
    try:
        check_local_dir(Path(folder))
    except ModelError as exc:
        QMessageBox.warning(parent, "Not a model folder", literal(str(exc)))
        return None
    return f"local-dir:{folder}"


class SettingsDialog(QDialog):
    add_root_requested = Signal()
    remove_root_requested = Signal(str)

    def __init__(
        self,
        current: AppSettings,
        roots: list[str],
        catalog_in_use: str,
        parent: QWidget | None = None,
        text_reading: str = "likely",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Settings")
        self.setMinimumWidth(560)
        self._current = current
        self._pending: list[str] = []  # added with Add…, not in the catalog's list yet

        self.model = ModelPicker(current.model, self)
        choose_model = QPushButton(translate("SettingsDialog", "Folder…"), self)
        choose_model.setToolTip(
            translate("SettingsDialog", "Use a model folder on this computer (local-dir:)")
        )
        choose_model.clicked.connect(self._choose_model)
        model_row = QHBoxLayout()
        model_row.addWidget(self.model, 1)
        model_row.addWidget(choose_model)

        self.device = QComboBox(self)
        self.device.setObjectName("deviceBox")
        device_names = (
            translate("SettingsDialog", "Automatic"),
            "CPU",
            translate("SettingsDialog", "NVIDIA GPU (CUDA)"),
            translate("SettingsDialog", "Apple GPU (MPS)"),
        )
        for device, text in zip(DEVICES, device_names, strict=True):
            self.device.addItem(text, device)
        self.device.setCurrentIndex(max(0, DEVICES.index(current.device)))

        self.precision = QComboBox(self)
        self.precision.setObjectName("precisionBox")
        self.precision.setToolTip(
            "How exactly photos are encoded while indexing. Automatic takes 8-bit or "
            "bfloat16 on a CPU, half precision on a GPU, when faster and within 1% of full."
        )
        for precision, text in zip(PRECISIONS, PRECISION_NAMES, strict=True):
            self.precision.addItem(text, precision)
        self.precision.setCurrentIndex(max(0, PRECISIONS.index(current.precision)))

        self.threads = QSpinBox(self)
        self.threads.setObjectName("threadsBox")
        self.threads.setRange(0, 64)
        self.threads.setSpecialValueText(translate("SettingsDialog", "One per core"))
        self.threads.setValue(current.threads)

        self.roots = QListWidget(self)
        self.roots.setObjectName("rootsList")
        self.roots.addItems(roots)  # QListWidget item text is plain text
        self.roots.setMaximumHeight(110)
        add_root = self.add_root_button = QPushButton(translate("SettingsDialog", "Add…"), self)
        add_root.setObjectName("addRootButton")
        add_root.clicked.connect(self.add_root_requested)
        remove_root = QPushButton("Remove", self)
        remove_root.setToolTip(
            translate(
                "SettingsDialog", "Forget this folder's photos in the catalog (the files stay)"
            )
        )
        remove_root.clicked.connect(self._remove_root)
        roots_row = list_with_buttons(self.roots, add_root, remove_root)

        self.catalog = QLineEdit(current.catalog, self)
        self.catalog.setObjectName("catalogField")
        self.catalog.setPlaceholderText(catalog_in_use)
        choose_catalog = QPushButton(translate("SettingsDialog", "Choose…"), self)
        choose_catalog.clicked.connect(self._choose_catalog)
        catalog_row = QHBoxLayout()
        catalog_row.addWidget(self.catalog, 1)
        catalog_row.addWidget(choose_catalog)

        self.thumbnail_size = QSlider(Qt.Orientation.Horizontal, self)
        self.thumbnail_size.setObjectName("thumbnailSlider")
        self.thumbnail_size.setRange(MIN_THUMBNAIL, MAX_THUMBNAIL)
        self.thumbnail_size.setSingleStep(16)
        self.thumbnail_size.setValue(current.thumbnail_size)

        form = QFormLayout()
        form.setVerticalSpacing(10)
        form.addRow("Model", model_row)
        form.addRow("Device", self.device)
        form.addRow(
            "",
            plain_label(
                "A new device applies at once: the model is loaded again on it.",
                self,
                object_name="hint",
            ),
        )
        form.addRow("Precision", self.precision)
        form.addRow("Threads", self.threads)
        form.addRow(translate("SettingsDialog", "Photo folders"), roots_row)
        form.addRow(translate("SettingsDialog", "Catalog folder"), catalog_row)
        form.addRow(
            "",
            plain_label(
                translate("SettingsDialog", "A new catalog folder is used from the next start."),
                self,
                object_name="hint",
            ),
        )
        form.addRow(translate("SettingsDialog", "Thumbnail size"), self.thumbnail_size)

        self.language = QComboBox(self)
        self.language.setObjectName("languageBox")
        self.language.addItem(self.tr("System language"), "system")
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)  # each language named in itself
        self.language.setCurrentIndex(max(0, self.language.findData(current.language)))
        form.addRow(self.tr("Language"), self.language)
        form.addRow(
            "",
            plain_label(
                self.tr("The new language is used from the next start."), self, object_name="hint"
            ),
        )
        self.text_reading = QComboBox(self)
        self.text_reading.setObjectName("textReadingBox")
        for policy, text in (
            ("off", self.tr("Off")),
            ("likely", self.tr("Photos likely to hold text")),
            ("every", self.tr("Every photo (slow: about a second a photo)")),
        ):
            self.text_reading.addItem(text, policy)
        self.text_reading.setCurrentIndex(max(0, self.text_reading.findData(text_reading)))
        form.addRow(self.tr("Read text in photos"), self.text_reading)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def values(self) -> AppSettings:
        return replace(
            self._current,
            model=self.model.current_name(),
            language=self.language.currentData(),
            device=self.device.currentData(),
            precision=self.precision.currentData(),
            threads=self.threads.value(),
            catalog=self.catalog.text().strip(),
            thumbnail_size=self.thumbnail_size.value(),
        )

    def set_models(self, rows: list[dict]) -> None:
        """The curated models with their figures (``Library.models()``, from a worker)."""
        self.model.set_models(rows)

    def text_reading_value(self) -> str:
        """The catalog's text reading setting as chosen: off, likely or every."""
        return str(self.text_reading.currentData())

    def set_roots(self, roots: list[str]) -> None:
        """The library's folders, keeping any just added that the catalog has not yet."""
        pending = [r for r in self._pending if r not in roots]
        self._pending = pending
        self.roots.clear()
        self.roots.addItems(list(roots) + pending)

    def add_root(self, folder: str) -> None:
        """A folder just chosen with Add…: listed now, before indexing reaches it."""
        if folder:
            resolved = str(Path(folder).expanduser().resolve())
            shown = [self.roots.item(i).text() for i in range(self.roots.count())]
            if resolved not in shown:
                self._pending.append(resolved)
                self.roots.addItem(resolved)

    def _choose_model(self) -> None:
        chosen = choose_model_folder(self)
        if chosen:
            self.model.setEditText(chosen)

    def _choose_catalog(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, translate("SettingsDialog", "Catalog folder")
        )
        if folder:
            self.catalog.setText(folder)

    def _remove_root(self) -> None:
        item = self.roots.currentItem()
        if item is not None:
            self.remove_root_requested.emit(item.text())
