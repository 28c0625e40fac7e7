"""The grid page: search field, scope header, thumbnail grid and its empty states.

A search is the sidebar's scope (a folder, label, album or saved search) narrowed by
the typed query. It runs on a worker and comes back as ``PhotoRows``; an answer to an
older query (the user kept typing) is dropped by comparing generation numbers. A query
without descriptive terms is a plain listing (``Library.browse``), which needs no model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QItemSelection, QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from photoorg.errors import NotEncodedError, PhotoOrgError, UsageError
from photoorg.ui.context import LibraryContext
from photoorg.ui.photo_model import PhotoListModel, PhotoRows, rows_from_hits
from photoorg.ui.text import plain_label
from photoorg.ui.widgets.filter_chips import Chip, FilterChips, without_words
from photoorg.ui.widgets.grid import PhotoGrid
from photoorg.ui.widgets.search_bar import SearchBar
from photoorg.ui.widgets.sidebar import ALL, Scope

translate = QCoreApplication.translate

if TYPE_CHECKING:
    from photoorg.services.library import Library

SEARCH_LIMIT = 1000
"""Search results shown at most; the relevance cutoff usually stops well before."""


@dataclass(frozen=True)
class Results:
    rows: PhotoRows
    description: str  # the query as understood, for the status bar ("" for everything)
    searched: bool  # True: ranked search results; False: a listing
    understood: tuple = ()  # model.query.Understood: the filters the typed query became


def fetch(lib: Library, text: str, scope: Scope, sort: str) -> Results:
    """Worker side: the photos for ``scope`` narrowed by the query ``text``."""
    from photoorg.model.query import Filters, Query

    typed = lib.places.parse(text) if text else Query((), Filters())
    terms, filters = typed.terms, typed.filters
    if scope.kind in ("search", "similar") and scope.query:
        saved = lib.places.parse(scope.query)
        terms, filters = saved.terms + terms, saved.filters.merged(filters)
    scope_filters = {
        "folder": lambda v: Filters(folders=(v,)),
        "label": lambda v: Filters(labels=(v,)),
        "album": lambda v: Filters(albums=(v,)),
        "place": lambda v: Filters(places=(v,)),
        "event": lambda v: Filters(events=(int(v),)),
        "photos": lambda _v: Filters(photo_ids=scope.photo_ids),
        "person": lambda v: Filters(people=(v,)),
    }.get(scope.kind)
    if scope_filters is not None:
        filters = filters.merged(scope_filters(scope.value))
    query = Query(terms, filters)
    if terms:
        # "Find similar" searches for photo:ID; the example itself is no answer.
        examples = [int(t.value) for t in terms if t.kind == "photo" and t.weight > 0]
        hits = lib.search(query, limit=SEARCH_LIMIT, sort=sort, exclude=examples)
    else:
        hits = lib.browse(filters)
    description = "" if query.is_empty() else query.describe()
    if scope.kind == "similar":
        description = scope.title  # not "photo:289": the example by its name
    rows = rows_from_hits(hits, scored=bool(terms))
    return Results(rows, description, bool(terms), typed.understood)


class BrowserPage(QWidget):
    results_changed = Signal(int, str)  # photos shown, description
    scope_cleared = Signal()  # the scope's chip was removed: back to all photos
    open_requested = Signal(int)  # row: show the photo view
    search_failed = Signal(str)
    encoding_needed = Signal()  # a search by description found no photo encoded yet

    def __init__(self, ctx: LibraryContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("browserPage")
        self._ctx = ctx
        self._scope = ALL
        self._generation = 0
        self._delivered = 0
        self._shown_query: tuple[str, Scope, str] | None = None  # what the grid shows
        self.last_description = ""

        self.search_bar = SearchBar(self)
        self.chips = FilterChips(self)
        self.title = plain_label(
            translate("BrowserPage", "All photos"), self, object_name="scopeTitle"
        )
        self.summary = plain_label("", self, object_name="resultSummary")
        self.subtitle = plain_label("", self, object_name="scopeSubtitle")
        self.subtitle.setWordWrap(True)
        self.model = PhotoListModel(ctx.thumbnails, self)
        self.grid = PhotoGrid(self)
        self.grid.setModel(self.model)
        self.empty = QLabel(self)
        self.empty.setObjectName("emptyState")
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.grid)
        self.stack.addWidget(self.empty)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 0)
        layout.setSpacing(8)
        layout.addWidget(self.search_bar)
        layout.addWidget(self.chips)
        heading = QHBoxLayout()
        heading.addWidget(self.title, 1)
        heading.addWidget(self.summary, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(heading)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.stack, 1)

        ctx.thumbnails.set_size(self.grid.thumbnail_size)
        self.search_bar.search_requested.connect(lambda _text: self.refresh())
        self.chips.removed.connect(self._on_chip_removed)
        self.search_bar.sort_changed.connect(lambda _mode: self.refresh())
        self.search_bar.field.leave_requested.connect(self.focus_grid)
        self.grid.open_requested.connect(lambda index: self.open_requested.emit(index.row()))
        self.grid.preview_requested.connect(lambda index: self.open_requested.emit(index.row()))
        self.show_message(translate("BrowserPage", "Opening the catalog…"))

    # -- state ------------------------------------------------------------------------------

    @property
    def scope(self) -> Scope:
        return self._scope

    @property
    def generation(self) -> int:
        """How many searches were started (tests wait for the next one)."""
        return self._generation

    @property
    def busy(self) -> bool:
        """A search is on its way (tests wait for this to turn False)."""
        return self._delivered != self._generation

    def set_scope(self, scope: Scope) -> None:
        self._scope = scope
        self.title.setText(scope.title)
        self.subtitle.setText("")
        self.refresh()

    def set_subtitle(self, text: str) -> None:
        self.subtitle.setText(text)

    def set_thumbnail_size(self, size: int) -> None:
        self.grid.set_thumbnail_size(size)
        self._ctx.thumbnails.set_size(self.grid.thumbnail_size)
        self.grid.viewport().update()

    def show_message(self, text: str) -> None:
        self.empty.setText(text)
        self.stack.setCurrentWidget(self.empty)

    def focus_grid(self) -> None:
        if self.model.rowCount() and not self.grid.currentIndex().isValid():
            self.grid.select_row(0)
        self.grid.setFocus()

    # -- searching ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Run the current scope and query again (also while photos stream in)."""
        text, scope, sort = self.search_bar.text, self._scope, self.search_bar.sort_mode
        self._generation += 1
        generation = self._generation
        started = self._ctx.call(
            lambda lib: fetch(lib, text, scope, sort),
            lambda results: self._on_results(generation, results, (text, scope, sort)),
            lambda exc: self._on_error(generation, exc),
        )
        if not started:
            self._delivered = self._generation

    def _on_results(self, generation: int, results: Results, query: tuple[str, Scope, str]) -> None:
        if generation != self._generation:
            return  # an older query; a newer one is on its way
        self._delivered = generation
        self.search_bar.set_error(None)
        self.last_description = results.description
        self._show_chips(results.understood)
        if query == self._shown_query:
            self._show_rows(results.rows)  # the same search again (photos streaming in)
        else:
            # A new search starts at the top, with nothing selected from the last one.
            self._shown_query = query
            self.model.set_rows(results.rows)
            self.grid.scrollToTop()
        self.grid.set_show_scores(results.searched)
        if not len(results.rows):
            if self.search_bar.text:
                self.show_message(translate("BrowserPage", "No photos match this search."))
            elif self._scope == ALL:
                self.show_message(
                    translate(
                        "BrowserPage",
                        "No photos yet.\n\nChoose File ▸ Add Folder… to add a photo folder;\nPhotoOrg reads it and finds photos by what is in them.",  # noqa: E501
                    )
                )
            else:
                self.show_message(translate("BrowserPage", "Nothing here yet."))
        else:
            self.stack.setCurrentWidget(self.grid)
        count = len(results.rows)
        if results.searched:
            self.summary.setText(
                QCoreApplication.translate("BrowserPage", "%n best match(es)", None, count)
            )
        else:
            self.summary.setText(
                QCoreApplication.translate("BrowserPage", "%n photo(s)", None, count)
            )
        self.results_changed.emit(count, results.description)

    def _show_chips(self, understood: tuple) -> None:
        chips = []
        if self._scope.kind in ("place", "event", "photos"):
            chips.append(Chip("scope", self._scope.title))
        chips += [Chip(u.kind, u.text, u.words) for u in understood]
        self.chips.set_chips(chips)

    def _on_chip_removed(self, chip: Chip) -> None:
        if chip.kind == "scope":
            self.scope_cleared.emit()
        else:
            self.search_bar.set_text(without_words(self.search_bar.text, chip.words))

    def _on_error(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._delivered = generation
        if isinstance(exc, NotEncodedError):
            # Not the CLI's "run photoorg index": the window encodes waiting photos itself.
            message = (
                "Searching by description waits for the photos to be encoded (see the "
                "banner above); browsing by folder and date works meanwhile."
            )
            self.search_bar.set_error(message)
            self.encoding_needed.emit()
        elif isinstance(exc, UsageError):
            message = str(exc)
            self.search_bar.set_error(message)
        elif isinstance(exc, PhotoOrgError):
            message = translate("BrowserPage", "Search needs the model: {0}").format(exc)
            self.search_bar.set_error(message)
        else:
            message = translate("BrowserPage", "Search failed: {0}").format(exc)
        self.search_failed.emit(message)

    def _show_rows(self, rows: PhotoRows) -> None:
        """Replace the rows, keeping the selection, the current photo and the scroll."""
        old = self.model.rows
        if list(old.ids) == list(rows.ids) and old.scored == rows.scored:
            if old.scores != rows.scores:
                self.model.set_rows(rows)
            return
        selected = [old.ids[r] for r in self.grid.selected_rows()] if len(old) else []
        current = self.grid.current_row()
        current_id = old.ids[current] if current is not None and current < len(old) else None
        scroll = self.grid.verticalScrollBar().value()
        self.model.set_rows(rows)
        if not selected and current_id is None:
            return
        selection = QItemSelection()
        for photo_id in selected:
            row = rows.row_of.get(photo_id)
            if row is not None:
                index = self.model.index(row)
                selection.select(index, index)
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
        self.grid.selectionModel().select(selection, flags)
        if current_id is not None and current_id in rows.row_of:
            self.grid.selectionModel().setCurrentIndex(
                self.model.index(rows.row_of[current_id]),
                QItemSelectionModel.SelectionFlag.NoUpdate,
            )
        self.grid.verticalScrollBar().setValue(scroll)

    # -- selection ------------------------------------------------------------------------------

    def selected_ids(self) -> list[int]:
        rows = self.grid.selected_rows()
        return [self.model.photo_id(r) for r in rows]

    def selected_paths(self) -> list[str]:
        return [self.model.path(r) for r in self.grid.selected_rows()]
