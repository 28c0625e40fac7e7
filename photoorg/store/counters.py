"""Change counters kept by the catalog's triggers: one row read tells whether a table
changed since a cache was filled.
"""

from __future__ import annotations

from sqlite_utils import Database


def counter(db: Database, name: str) -> int:
    row = db.execute("SELECT value FROM counters WHERE name = ?", [name]).fetchone()
    return int(row[0]) if row else 0
