"""Worker-side readers that turn the services' answers into sidebar rows and the
overview the main window shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from photoorg.services.places import PlaceNode
from photoorg.ui.widgets.sidebar import AlbumEntry, LabelEntry, PersonEntry
from photoorg.ui.widgets.sidebar_places import EventEntry


def label_entries(lib: Any) -> list[LabelEntry]:
    tagging = lib.tagging
    counts = tagging.label_counts()
    return [
        LabelEntry(
            label.name, label.parent, int(counts.get(label.name, 0)), keyword=not label.enabled
        )
        for label in tagging.labels()
    ]


def person_entries(lib: Any) -> list[PersonEntry]:
    """Named people for the sidebar (unnamed ones wait in the People view)."""
    people = lib.people
    return [
        PersonEntry(
            p.name, p.photos, people.thumbnail(p.cover_face_id) if p.cover_face_id else None
        )
        for p in people.list()
        if p.name
    ]


def album_entries(lib: Any) -> list[AlbumEntry]:
    return [AlbumEntry(album.name, album.query, album.count) for album in lib.albums.list()]


def dominant_labels_text(summary: list[dict[str, Any]]) -> str:
    """'Mostly: beach 80 %, people 45 %' from ``Tagging.summary`` (top labels first)."""
    parts = [f"{entry['label']} {entry['fraction']:.0%}" for entry in summary[:6]]
    return "Mostly: " + ", ".join(parts) if parts else ""


@dataclass(frozen=True)
class LibraryOverview:
    """What the sidebar and status bar show; gathered on a worker."""

    roots: list[tuple[str, bool]]
    folders: list[tuple[str, int]]
    status: dict[str, Any]
    labels: list[LabelEntry]
    albums: list[AlbumEntry]
    places: list[PlaceNode]
    events: list[EventEntry]
    people: list[PersonEntry]
    text_reading: str = "likely"  # which photos indexing reads the text of


def load_overview(lib) -> LibraryOverview:
    """Worker side: everything the sidebar and the status bar show."""
    return LibraryOverview(
        roots=[(r.path, r.online) for r in lib.roots()],
        folders=lib.folders(),
        status=lib.status(),
        labels=label_entries(lib),
        albums=album_entries(lib),
        places=lib.places.tree(),
        events=[
            EventEntry(e.id, e.name, e.photo_count, e.cover_photo_id)
            for e in lib.places.event_list()
        ],
        people=person_entries(lib),
        text_reading=lib.text.policy,
    )
