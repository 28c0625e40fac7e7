"""Worker-side readers that turn the tagging and album modules' answers into sidebar rows.

They return None when this version of the Library has no such module, so the window
hides those sections instead of showing made-up entries.
"""

from __future__ import annotations

from typing import Any

from photoorg.ui.widgets.sidebar import AlbumEntry, LabelEntry


def label_entries(lib: Any) -> list[LabelEntry] | None:
    tagging = getattr(lib, "tagging", None)
    if tagging is None:
        return None
    counts = tagging.label_counts()
    return [
        LabelEntry(label.name, label.parent, int(counts.get(label.name, 0)))
        for label in tagging.labels()
    ]


def album_entries(lib: Any) -> list[AlbumEntry] | None:
    albums = getattr(lib, "albums", None)
    if albums is None:
        return None
    return [AlbumEntry(album.name, album.query, album.count) for album in albums.list()]


def dominant_labels_text(summary: list[dict[str, Any]]) -> str:
    """'Mostly: beach 80 %, people 45 %' from ``Tagging.summary`` (top labels first)."""
    parts = [f"{entry['label']} {entry['fraction']:.0%}" for entry in summary[:6]]
    return "Mostly: " + ", ".join(parts) if parts else ""
