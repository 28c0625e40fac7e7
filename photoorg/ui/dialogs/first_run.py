"""First run: choose photo folders and a model, or start empty and browse later.

When the model's weights are not on this computer and cannot be downloaded, the window
says so in a banner (the ModelError message names the folder layout to use) and offers
to pick a local model folder; browsing by folder and date works meanwhile.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from photoorg.config import default_model
from photoorg.ui.dialogs.settings import choose_model_folder, list_with_buttons
from photoorg.ui.text import plain_label

translate = QCoreApplication.translate


class FirstRunDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunDialog")
        self.setWindowTitle(translate("FirstRunDialog", "Welcome to PhotoOrg"))
        self.setMinimumWidth(520)
        title = plain_label(
            translate("FirstRunDialog", "Welcome to PhotoOrg"), self, object_name="dialogTitle"
        )
        intro = plain_label(
            translate(
                "FirstRunDialog",
                "PhotoOrg finds photos by what is in them: type “kids on a beach at sunset” and the matching photos come first. Everything stays on this computer.\n\nChoose the folders that hold your photos. They are read, never changed.",  # noqa: E501
            ),
            self,
        )
        intro.setWordWrap(True)

        self.folders = QListWidget(self)
        self.folders.setObjectName("firstRunFolders")
        self.folders.setMinimumHeight(90)
        add = QPushButton(translate("FirstRunDialog", "Add Folder…"), self)
        add.setObjectName("firstRunAddFolder")
        add.clicked.connect(self.choose_folder)
        remove = QPushButton("Remove", self)
        remove.clicked.connect(lambda: self.folders.takeItem(self.folders.currentRow()))
        folder_row = list_with_buttons(self.folders, add, remove)

        self.default_model = QRadioButton(
            translate(
                "FirstRunDialog", "Standard model ({0}; downloaded once if not here yet)"
            ).format(default_model()),
            self,
        )
        self.local_model = QRadioButton(
            translate("FirstRunDialog", "A model folder on this computer…"), self
        )
        self.default_model.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.default_model)
        group.addButton(self.local_model)
        self.local_model.toggled.connect(self._on_local_toggled)
        self.model_folder = plain_label("", self, object_name="hint")
        self.model_folder.setWordWrap(True)
        self._model: str = ""

        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        buttons = QDialogButtonBox(self)
        self.start_button = buttons.addButton("Start", QDialogButtonBox.ButtonRole.AcceptRole)
        self.start_button.setObjectName("firstRunStart")
        buttons.addButton("Later", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addLayout(folder_row)
        layout.addWidget(line)
        layout.addWidget(QLabel("Model", self))
        layout.addWidget(self.default_model)
        layout.addWidget(self.local_model)
        layout.addWidget(self.model_folder)
        layout.addWidget(buttons)

    def chosen_folders(self) -> list[str]:
        return [self.folders.item(i).text() for i in range(self.folders.count())]

    def chosen_model(self) -> str:
        """A ``local-dir:`` name, or "" to keep the default."""
        return self._model if self.local_model.isChecked() else ""

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, translate("FirstRunDialog", "Choose a photo folder")
        )
        if folder and folder not in self.chosen_folders():
            self.folders.addItem(folder)

    def _on_local_toggled(self, checked: bool) -> None:
        if not checked:
            return
        chosen = choose_model_folder(self)
        if chosen:
            self._model = chosen
            self.model_folder.setText(chosen.removeprefix("local-dir:"))
        elif not self._model:
            self.default_model.setChecked(True)


class Banner(QFrame):
    """A strip above the grid for things the user should act on (a missing model)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.message = plain_label("", self, object_name="bannerText")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action_button = QPushButton(translate("Banner", "Choose Model Folder…"), self)
        self.action_button.setObjectName("bannerAction")
        self.retry_button = QPushButton("Retry", self)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("bannerProgress")
        self.cancel_button = QPushButton("Cancel", self)
        self.close_button = QPushButton("Dismiss", self)
        self.close_button.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.cancel_button)
        layout.addWidget(self.action_button)
        layout.addWidget(self.retry_button)
        layout.addWidget(self.close_button)
        self.hide()

    def show_message(self, text: str) -> None:
        """A message with its buttons (the caller picks which), no progress bar."""
        self.progress.hide()
        self.cancel_button.hide()
        self.close_button.show()
        self.message.setText(text)
        self.show()

    def show_progress(self, text: str, done: int, total: int) -> None:
        """A job on its way (encoding photos that wait): text, a progress bar, Cancel."""
        for button in (self.action_button, self.retry_button, self.close_button):
            button.hide()
        self.progress.show()
        self.cancel_button.show()
        self.progress.setRange(0, max(0, total))
        self.progress.setValue(min(done, total) if total > 0 else 0)
        self.message.setText(text)
        self.show()

    def show_download(self, done: int, total: int) -> None:
        """A model download on its way: bytes so far, a progress bar and Cancel."""
        for button in (self.action_button, self.retry_button, self.close_button):
            button.hide()
        self.progress.show()
        self.cancel_button.show()
        if total > 0:  # QProgressBar holds ints: count in KiB to stay below 2**31
            self.progress.setRange(0, max(1, total // 1024))
            self.progress.setValue(done // 1024)
            self.message.setText(
                translate("Banner", "Downloading the model: {0} of {1}").format(
                    _mb(done), _mb(total)
                )
            )
        else:
            self.progress.setRange(0, 0)  # busy: size not known yet
            self.message.setText(
                translate("Banner", "Downloading the model: {0}").format(_mb(done))
            )
        self.show()


def _mb(size: int) -> str:
    return f"{size / 1e6:,.0f} MB"
