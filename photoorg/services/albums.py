"""Albums: named sets of photos kept in the catalog, or saved searches (smart albums).

A plain album lists photos added by hand; a smart album stores a query in the search
language (``label:beach after:2019``, ``kids on a beach - people``) and its photos are
whatever that query finds now. Photos stay in an album through renames and moves (the
catalog keeps their id) and leave it when they leave the catalog.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from photoorg.errors import UsageError
from photoorg.model.hits import Hit
from photoorg.model.label import check_name
from photoorg.model.query import Filters
from photoorg.services.query_parser import parse_query
from photoorg.store import albums as store

if TYPE_CHECKING:
    from photoorg.services.library import Library

SMART_LIMIT = 10_000
"""How many photos a smart album with a text query shows at most (best first)."""


@dataclass(frozen=True)
class Album:
    id: int
    name: str
    query: str | None
    count: int | None
    """Photos in it; for a smart album with a text query, None (known only once run)."""

    @property
    def smart(self) -> bool:
        return self.query is not None

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "query": self.query, "count": self.count}


class Albums:
    """``library.albums``: every album operation the GUI and the CLI need."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.catalog = library.catalog

    def list(self) -> list[Album]:
        return [self._album(row) for row in store.list_albums(self.catalog.read)]

    def get(self, name: str) -> Album:
        return self._album(self._row(name))

    def create(self, name: str, query: str | None = None) -> Album:
        name = check_name(name, "album name")
        query = self._checked_query(query)
        with self.catalog.write() as db:
            if store.find_album(db, name) is not None:
                raise UsageError(f"there is already an album called {name!r}")
            store.create_album(db, name, query)
        return self.get(name)

    def update(self, name: str, *, new_name: str | None = None, query: str | None = None) -> Album:
        """Rename an album or change a smart album's query."""
        row = self._row(name)
        target = check_name(new_name, "album name") if new_name is not None else row.name
        with self.catalog.write() as db:
            other = store.find_album(db, target)
            if other is not None and other.id != row.id:
                raise UsageError(f"there is already an album called {target!r}")
            new_query = self._checked_query(query) if query is not None else row.query
            store.update_album(db, row.id, target, new_query)
        return self.get(target)

    def add(self, name: str, photo_ids: Iterable[int]) -> int:
        """Add photos to a plain album; returns how many were not in it yet."""
        row = self._row(name)
        if row.query is not None:
            raise UsageError(f"{name!r} is a smart album: its photos come from its query")
        with self.catalog.write() as db:
            return store.add_photos(db, row.id, photo_ids)

    def remove(self, name: str, photo_ids: Iterable[int]) -> int:
        row = self._row(name)
        with self.catalog.write() as db:
            return store.remove_photos(db, row.id, photo_ids)

    def delete(self, name: str) -> None:
        """Delete the album (its photos stay in the catalog and on disk)."""
        row = self._row(name)
        with self.catalog.write() as db:
            store.delete_album(db, row.id)

    def photo_ids(self, name: str) -> list[int]:
        return [hit.id for hit in self.photos(name)]

    def photos(self, name: str, *, limit: int = SMART_LIMIT) -> list[Hit]:
        """The album's photos: a smart album runs its query now (search or browse)."""
        row = self._row(name)
        if row.query is None:
            return self.library.browse(Filters(albums=(row.name,)))
        parsed = self.library.places.parse(row.query)
        if parsed.terms:
            return self.library.search(parsed, limit=limit)
        return self.library.browse(parsed.filters)

    # -- helpers ----------------------------------------------------------------------

    def _row(self, name: str) -> store.AlbumRow:
        row = store.find_album(self.catalog.read, name)
        if row is None:
            raise UsageError(f"no album called {name!r}")
        return row

    def _album(self, row: store.AlbumRow) -> Album:
        if row.query is None:
            return Album(row.id, row.name, None, row.count)
        parsed = self.library.places.parse(row.query)
        # A filter-only smart album is one SQL count; one with text needs the model.
        count = None if parsed.terms else len(self.library.browse(parsed.filters))
        return Album(row.id, row.name, row.query, count)

    @staticmethod
    def _checked_query(query: str | None) -> str | None:
        if query is None:
            return None
        query = query.strip()
        if not query:
            raise UsageError("a smart album's query is empty")
        parse_query(query)  # refuse a query that cannot run, now rather than later
        return query
