"""The main window: sidebar | grid or photo view, a model banner, a status bar.

It wires the parts together and owns the life cycle: the window shows first, the catalog
opens on a worker, the model loads after that, and closing cancels indexing, waits for
every worker and only then closes the catalog. Menu commands on selected photos live in
``commands.py``; this module keeps to layout, refreshing and shutdown.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from photoorg.ui.catalog_adapters import LibraryOverview, load_overview
from photoorg.ui.commands import Commands
from photoorg.ui.context import LibraryContext
from photoorg.ui.dialogs.first_run import Banner, FirstRunDialog
from photoorg.ui.dialogs.settings import AppSettings, choose_model_folder
from photoorg.ui.indexing import IndexingController, IndexProgress
from photoorg.ui.text import join_nonempty, plain_label
from photoorg.ui.watcher import FolderWatcher
from photoorg.ui.widgets.browser import BrowserPage
from photoorg.ui.widgets.map_view import MapView
from photoorg.ui.widgets.photo_view import PhotoView
from photoorg.ui.widgets.sidebar import ALL, Scope, Sidebar
from photoorg.ui.window_indexing import WindowIndexing

translate = QCoreApplication.translate

log = logging.getLogger(__name__)

MODEL_LOAD_DELAY_MS = 300
COVERS_ASKED = 60
SIDEBAR_MIN_WIDTH = 170
SHUTDOWN_WAIT_MS = 10_000
"""How long closing waits for running jobs (cancelled first; loading the model cannot
be): past it the catalog is left open, never closed under a worker, and the app exits."""


class MainWindow(WindowIndexing, QMainWindow):
    overview_loaded = Signal()

    def __init__(self, ctx: LibraryContext, store: QSettings, settings: AppSettings) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("PhotoOrg")
        self.ctx = ctx
        self.store = store
        self.settings = settings
        self.overview: LibraryOverview | None = None
        self._closing = False
        self._overview_generation = 0
        self._load_model_after_first_results = False
        self._results_seen = False
        self.first_run_dialog: FirstRunDialog | None = None

        self.sidebar = Sidebar(self)
        self.browser = BrowserPage(ctx, self)
        self.photo_view = PhotoView(ctx, self)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.browser)
        self.pages.addWidget(self.photo_view)
        self.map_view = MapView(self)
        self.pages.addWidget(self.map_view)
        self.banner = Banner(self)
        self.encoding_banner = Banner(self)  # "Encoding 1,234 photos that wait…", Cancel
        self.encoding_banner.setObjectName("encodingBanner")
        main = QWidget(self)
        main_layout = QVBoxLayout(main)
        main_layout.setContentsMargins(0, 0, 0, 0)
        main_layout.setSpacing(0)
        main_layout.addWidget(self.banner)
        main_layout.addWidget(self.encoding_banner)
        main_layout.addWidget(self.pages, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(main)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([240, 960])
        self.splitter.setCollapsible(0, False)
        self.splitter.setCollapsible(1, False)
        self.sidebar.setMinimumWidth(SIDEBAR_MIN_WIDTH)  # names stay readable at 800×600
        self.setCentralWidget(self.splitter)

        self.indexing = IndexingController(ctx, self)
        self.progress = IndexProgress(self.indexing, self)
        self.status_text = plain_label("", self, object_name="statusText")
        self.model_status = plain_label("", self, object_name="modelStatus")
        self.problems_button = QPushButton("", self)  # "5 unreadable files": opens Problems
        self.problems_button.setObjectName("problemsButton")
        self.problems_button.setFlat(True)
        self.problems_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.problems_button.setToolTip("Show the files that could not be read, and why")
        self.problems_button.hide()
        self.statusBar().addWidget(self.status_text, 1)
        self.statusBar().addWidget(self.problems_button)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.model_status)
        self.watcher = FolderWatcher(self)

        self.commands = Commands(self)
        self.commands.build_menus(self.menuBar())
        self._connect()
        self.browser.set_thumbnail_size(settings.thumbnail_size)
        self.resize(1280, 820)
        self._restore_state()

    # -- wiring -------------------------------------------------------------------------------

    def _connect(self) -> None:
        ctx = self.ctx
        ctx.opened.connect(self._on_opened)
        ctx.open_failed.connect(self._on_open_failed)
        ctx.changed.connect(self.refresh_overview)
        ctx.model_loading.connect(
            lambda: self.model_status.setText(translate("MainWindow", "Loading the model…"))
        )
        ctx.model_downloading.connect(self.banner.show_download)
        ctx.model_ready.connect(self._on_model_ready)
        ctx.model_failed.connect(self._on_model_failed)
        self.sidebar.scope_changed.connect(self._on_scope_changed)
        self.sidebar.photos_dropped.connect(self.commands.add_to_album)
        self.sidebar.context_requested.connect(self.commands.scope_menu)
        self.browser.results_changed.connect(self._on_results)
        self.browser.scope_cleared.connect(self._clear_scope)
        self.map_view.cluster_chosen.connect(self.show_map_photos)
        self.ctx.thumbnails.ready.connect(self._on_thumbnails_ready)
        self.browser.search_failed.connect(
            lambda message: self.statusBar().showMessage(message, 8000)
        )
        self.browser.open_requested.connect(self.show_photo_at)
        self.photo_view.back_requested.connect(self.show_grid)
        self.photo_view.step_requested.connect(self._step_photo)
        self.photo_view.similar_requested.connect(self.find_similar)
        self.photo_view.open_requested.connect(self.commands.open_path)
        self.photo_view.reveal_requested.connect(self.commands.reveal_path)
        self.photo_view.tags_changed.connect(self.refresh_overview)
        self.photo_view.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.indexing.photos_arrived.connect(self._on_photos_arrived)
        self.indexing.finished.connect(self._on_index_finished)
        self.indexing.cancelled.connect(self._on_index_cancelled)
        self.indexing.failed.connect(
            lambda message: self.statusBar().showMessage(
                translate("MainWindow", "Indexing failed: {0}").format(message), 12000
            )
        )
        self.indexing.model_missing.connect(self._on_model_failed)
        self.indexing.progressed.connect(self._on_index_progress)
        self.indexing.stopped.connect(self.encoding_banner.hide)
        self.encoding_banner.cancel_button.clicked.connect(self.indexing.cancel)
        self.browser.encoding_needed.connect(self._resume_encoding)
        self.problems_button.clicked.connect(self.commands.open_problems)
        self.watcher.rescan_needed.connect(self._on_folders_changed)
        self.banner.action_button.clicked.connect(self.choose_model_folder)
        self.banner.retry_button.clicked.connect(self.ctx.load_model)
        self.banner.cancel_button.clicked.connect(self.ctx.cancel_download)
        QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search)
        QShortcut(QKeySequence("Ctrl+L"), self, self.focus_search)

    # -- start-up ------------------------------------------------------------------------------

    def start(self) -> None:
        """Open the catalog in the background (the window may already be showing)."""
        self.ctx.open()

    def _on_opened(self) -> None:
        self.browser.set_scope(self.sidebar.current_scope())
        self.refresh_overview()
        self.setWindowTitle(translate("MainWindow", "PhotoOrg — {0}").format(self.ctx.home))

    def _on_open_failed(self, message: str) -> None:
        self.browser.show_message(
            translate("MainWindow", "The catalog could not be opened.\n\n{0}").format(message)
        )
        self.banner.action_button.hide()
        self.banner.retry_button.hide()
        self.banner.show_message(
            translate("MainWindow", "The catalog could not be opened: {0}").format(message)
        )

    def refresh_overview(self) -> None:
        self._overview_generation += 1
        generation = self._overview_generation
        self.ctx.call(load_overview, lambda overview: self._on_overview(generation, overview))

    def _on_overview(self, generation: int, overview: LibraryOverview) -> None:
        if generation != self._overview_generation:
            return  # a newer one is on its way (loads run in parallel, may finish out of order)
        first = self.overview is None
        self.overview = overview
        self.sidebar.set_library(overview.roots, overview.folders, overview.status.get("online", 0))
        self.sidebar.set_labels(overview.labels)
        self.sidebar.set_albums(overview.albums)
        self.sidebar.set_places(overview.places)
        # Covers for the newest events only: the thumbnail queue keeps the latest requests.
        for photo_id in list(self.sidebar.set_events(overview.events))[:COVERS_ASKED]:
            pixmap = self.ctx.thumbnails.pixmap(photo_id)  # None: it comes with `ready`
            if pixmap is not None:
                self.sidebar.set_cover(photo_id, pixmap)
        self.sidebar.set_people(overview.people)
        self.browser.search_bar.save_button.setVisible(overview.albums is not None)
        self.commands.update_menus()
        self.watcher.watch(
            [r for r, online in overview.roots if online] + [f for f, _ in overview.folders]
        )
        self._update_status()
        if first:
            if overview.roots and self._results_seen:
                QTimer.singleShot(MODEL_LOAD_DELAY_MS, self.ctx.load_model)
            elif overview.roots:
                self._load_model_after_first_results = True
            elif not self.settings.first_run_done:
                self.show_first_run()
        self.overview_loaded.emit()

    def show_first_run(self) -> FirstRunDialog:
        dialog = FirstRunDialog(self)
        self.first_run_dialog = dialog
        dialog.accepted.connect(lambda: self._on_first_run(dialog))
        dialog.finished.connect(lambda _result: self._mark_first_run_done())
        dialog.open()
        return dialog

    def _on_first_run(self, dialog: FirstRunDialog) -> None:
        model = dialog.chosen_model()
        if model:
            self.apply_settings(replace(self.settings, model=model))
        folders = dialog.chosen_folders()
        self.ctx.load_model()
        if folders:
            self.indexing.index(folders)

    def _mark_first_run_done(self) -> None:
        self.settings = replace(self.settings, first_run_done=True)
        self.settings.save(self.store)

    # -- model ---------------------------------------------------------------------------------

    def _on_model_ready(self, model_id: str) -> None:
        self.banner.hide()
        # At start-up, after a model change or once the weights arrived: photos left
        # without a vector (a quit mid-way, a first run offline) are encoded now.
        self._resume_encoding()
        name = model_id.removeprefix("local-dir:")
        self.model_status.setText(
            translate("MainWindow", "Model: {0}").format(
                Path(name).name if model_id.startswith("local-dir:") else name
            )
        )
        self.model_status.setToolTip(model_id)

    def _on_model_failed(self, message: str) -> None:
        self.model_status.setText(translate("MainWindow", "No model"))
        self.banner.action_button.show()
        self.banner.retry_button.show()
        self.banner.show_message(
            translate(
                "MainWindow",
                "Searching by description needs a CLIP model, and it could not be loaded: {0}\nBrowsing by folder and date works without it. To use a model on this computer, choose its folder (open_clip_config.json and open_clip_model.safetensors).",  # noqa: E501
            ).format(message)
        )

    def choose_model_folder(self) -> None:
        chosen = choose_model_folder(self)
        if chosen:
            self.apply_settings(replace(self.settings, model=chosen))

    def apply_settings(self, new: AppSettings) -> None:
        old, self.settings = self.settings, new
        new.save(self.store)
        self.browser.set_thumbnail_size(new.thumbnail_size)
        library = self.ctx.library
        if library is not None and new.threads != old.threads:
            library.workers = new.threads or None  # read when the next job starts
        if new.precision != old.precision:
            self.ctx.precision = new.precision  # a catalog opened later
            if library is not None:
                library.set_precision(new.precision)  # read when the next indexing starts
        if new.model != old.model:
            self.ctx.set_model(new.model)  # "" (cleared): the catalog's model, else the default
        if new.device != old.device:
            self.ctx.set_device(new.device)  # the model is loaded again there, now

    # -- grid and photo view -------------------------------------------------------------------

    def _on_scope_changed(self, scope: Scope) -> None:
        self.show_grid()
        # A sidebar choice replaces what was typed: text left in the field would narrow
        # the new scope out of sight (a folder AND an old query often gives 0 photos).
        self.browser.search_bar.set_text("", search=False)
        self.browser.set_scope(scope)
        self.commands.show_dominant_labels(scope)
        self.commands.update_menus()

    def _on_results(self, count: int, description: str) -> None:
        self._update_status()
        self._results_seen = True
        if self._load_model_after_first_results:
            # Importing torch competes with the first listing for Python's lock; one
            # after the other, each is quicker and the window stays responsive.
            self._load_model_after_first_results = False
            QTimer.singleShot(MODEL_LOAD_DELAY_MS, self.ctx.load_model)

    def _update_status(self) -> None:
        shown = self.browser.model.rowCount()
        parts = [QCoreApplication.translate("MainWindow", "%n photo(s) shown", None, shown)]
        if self.browser.last_description:
            parts.append(self.browser.last_description)
        if self.overview is not None:
            status = self.overview.status
            parts.append(
                translate("MainWindow", "{0:,} in the library").format(status.get("online", 0))
            )
            errors = status.get("errors", 0)
            self.problems_button.setText(
                translate("MainWindow", "%n unreadable file(s)", None, errors) if errors else ""
            )
            self.problems_button.setVisible(bool(errors))
        self.status_text.setText(join_nonempty(parts))

    def show_photo_at(self, row: int) -> None:
        model = self.browser.model
        if not 0 <= row < model.rowCount():
            return
        self.browser.grid.select_row(row)
        self.photo_view.show_photo(model.photo_id(row))
        self.pages.setCurrentWidget(self.photo_view)
        self.photo_view.setFocus()

    def show_map(self) -> None:
        """The map page, with every photo that has a GPS position."""
        self.pages.setCurrentWidget(self.map_view)
        self.ctx.call(lambda lib: lib.places.positions(), self.map_view.set_positions)

    def show_map_photos(self, photo_ids: list[int]) -> None:
        """A map cluster was clicked: the grid shows its photos."""
        count = len(photo_ids)
        label = QCoreApplication.translate("MainWindow", "%n photo(s) on the map", None, count)
        self._on_scope_changed(Scope("photos", label=label, photo_ids=tuple(photo_ids)))

    def _clear_scope(self) -> None:
        if not self.sidebar.select_scope(ALL) or self.browser.scope != ALL:
            self._on_scope_changed(ALL)

    def _on_thumbnails_ready(self, photo_ids: list[int]) -> None:
        for photo_id in photo_ids:
            pixmap = self.ctx.thumbnails.pixmap(photo_id)
            if pixmap is not None:
                self.sidebar.set_cover(photo_id, pixmap)

    def show_grid(self) -> None:
        if self.pages.currentWidget() is not self.browser:
            self.pages.setCurrentWidget(self.browser)
            self.browser.grid.setFocus()

    def _step_photo(self, step: int) -> None:
        row = self.browser.grid.current_row()
        if row is not None:
            self.show_photo_at(max(0, min(self.browser.model.rowCount() - 1, row + step)))

    def find_similar(self, photo_ids: int | list[int]) -> None:
        """Show photos like these, headed by their names (not a ``photo:ID`` query)."""
        ids = [photo_ids] if isinstance(photo_ids, int) else list(photo_ids)[:8]
        if not ids:
            return
        self.show_grid()
        names = [self._photo_name(i) for i in ids]
        extra = len(names) - 1
        more = translate("MainWindow", " and %n more photo(s)", "", extra) if extra else ""
        self.browser.search_bar.set_text("", search=False)
        self.browser.set_scope(
            Scope("similar", names[0] + more, " + ".join(f"photo:{i}" for i in ids))
        )
        self.commands.update_menus()

    def _photo_name(self, photo_id: int) -> str:
        row = self.browser.model.row_of(photo_id)
        if row is not None:
            return self.browser.model.name(row)
        if self.photo_view.photo_id == photo_id and self.photo_view.info.get("path"):
            return Path(self.photo_view.info["path"]).name
        return f"photo {photo_id}"

    def focus_search(self) -> None:
        self.show_grid()
        self.browser.search_bar.field.setFocus()
        self.browser.search_bar.field.selectAll()

    # -- indexing ------------------------------------------------------------------------------

    def _restore_state(self) -> None:
        sort = self.browser.search_bar.sort
        index = sort.findData(self.store.value("view/sort", "relevance"))
        if index >= 0:
            sort.setCurrentIndex(index)
        self.browser.search_bar.sort_changed.connect(
            lambda mode: self.store.setValue("view/sort", mode)
        )
        geometry = self.store.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        splitter = self.store.value("window/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
        photo_splitter = self.store.value("window/photo_splitter")
        if isinstance(photo_splitter, QByteArray):
            self.photo_view.splitter.restoreState(photo_splitter)

    def _save_state(self) -> None:
        self.store.setValue("window/geometry", self.saveGeometry())
        self.store.setValue("window/splitter", self.splitter.saveState())
        self.store.setValue("window/photo_splitter", self.photo_view.splitter.saveState())
        self.store.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self, wait_ms: int = SHUTDOWN_WAIT_MS) -> bool:
        """Cancel every job, wait for the workers (briefly, the window gone and events
        flowing), close the catalog. False if a worker still ran after ``wait_ms``.
        Safe to call twice."""
        if self._closing:
            return self.ctx.library is None
        self._closing = True
        self._save_state()
        self.watcher.stop()
        self.indexing.cancel()
        self.hide()  # the person is done: the window goes at once, whatever still runs
        return self.ctx.close(wait_ms)
