"""Worker-side readers that turn the tagging and album services' answers into sidebar rows."""

from __future__ import annotations

from typing import Any

from photoorg.ui.widgets.sidebar import AlbumEntry, LabelEntry


def label_entries(lib: Any) -> list[LabelEntry]:
    tagging = lib.tagging
    counts = tagging.label_counts()
    return [
        LabelEntry(
            label.name, label.parent, int(counts.get(label.name, 0)), keyword=not label.enabled
        )
        for label in tagging.labels()
    ]


def album_entries(lib: Any) -> list[AlbumEntry]:
    return [AlbumEntry(album.name, album.query, album.count) for album in lib.albums.list()]


def dominant_labels_text(summary: list[dict[str, Any]]) -> str:
    """'Mostly: beach 80 %, people 45 %' from ``Tagging.summary`` (top labels first)."""
    parts = [f"{entry['label']} {entry['fraction']:.0%}" for entry in summary[:6]]
    return "Mostly: " + ", ".join(parts) if parts else ""
