"""Worker-side readers that turn the tagging and album services' answers into sidebar rows."""

from __future__ import annotations

from typing import Any

from photoorg.ui.widgets.sidebar import AlbumEntry, LabelEntry, PersonEntry


def label_entries(lib: Any) -> list[LabelEntry]:
    tagging = lib.tagging
    counts = tagging.label_counts()
    return [
        LabelEntry(label.name, label.parent, int(counts.get(label.name, 0)))
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
