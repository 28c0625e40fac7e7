"""The settings table: one text value per key (the catalog's model, index manifests, ...)."""

from __future__ import annotations

from sqlite_utils import Database


def get(db: Database, key: str, default: str | None = None) -> str | None:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else default


def put(db: Database, key: str, value: str | None) -> None:
    """Set ``key`` to ``value``, or delete it when ``value`` is None."""
    if value is None:
        db.execute("DELETE FROM settings WHERE key = ?", [key])
    else:
        db.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )
