"""Copying every row that can still be read out of a damaged catalog into a new one.

Python's sqlite3 has no ``.recover``; this is the row-level equivalent for our own
schema. A new catalog is made with the current migrations, then each table is copied in
foreign-key order (parents first), row by row, so that one unreadable page or one row
whose parent was lost costs that row, not the table. A rowid table whose scan stops at a
damaged page is resumed past it; a WITHOUT ROWID table keeps the rows read before it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from photoorg.store.catalog import Catalog

log = logging.getLogger(__name__)

SKIPPED_TABLES = frozenset(
    {
        "counters",
        # the text index (FTS5: the virtual table and its shadow tables)
        "photo_text_fts",
        "photo_text_fts_data",
        "photo_text_fts_idx",
        "photo_text_fts_docsize",
        "photo_text_fts_config",
    }
)
"""Derived tables the new catalog's triggers recompute; copying them would double count."""
_MAX_RESUMES = 64


def salvage(source: Path, target: Path) -> dict[str, int]:
    """Build the catalog ``target`` from the rows of ``source`` that can be read.

    Returns rows copied per table. ``source`` may be anything, even not a database: then
    ``target`` is a new, empty catalog.
    """
    Catalog(target).close()  # the current schema, migrated
    copied: dict[str, int] = {}
    dst = sqlite3.connect(target, isolation_level=None)
    try:
        dst.execute("PRAGMA foreign_keys = ON")
        try:
            # Read-write on purpose: ``source`` is a scratch copy, and a read-only open of a
            # WAL database without its -shm file fails outright.
            src = sqlite3.connect(source, isolation_level=None)
        except sqlite3.Error as exc:
            log.warning("cannot open the damaged catalog at all: %s", exc)
            return copied
        try:
            src_tables = _tables(src)
            dst.execute("BEGIN")
            for table in _parents_first(dst):
                if table in SKIPPED_TABLES or table not in src_tables:
                    continue
                copied[table] = _copy_table(src, dst, table)
            dst.execute("COMMIT")
        finally:
            src.close()
        fd = os.open(target, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    finally:
        dst.close()
    return copied


def _tables(conn: sqlite3.Connection) -> set[str]:
    try:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    except sqlite3.Error as exc:  # page 1 itself is damaged: nothing is reachable
        log.warning("cannot read the damaged catalog's schema: %s", exc)
        return set()
    return {name for (name,) in rows if not name.startswith("sqlite_")}


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]


def _parents_first(conn: sqlite3.Connection) -> list[str]:
    tables = sorted(_tables(conn))
    parents = {
        t: {row[2] for row in conn.execute(f'PRAGMA foreign_key_list("{t}")')} - {t} for t in tables
    }
    ordered: list[str] = []
    while len(ordered) < len(tables):
        ready = [t for t in tables if t not in ordered and parents[t] <= set(ordered)]
        if not ready:  # a cycle; our schema has none, but never loop forever
            ready = [t for t in tables if t not in ordered]
        ordered.extend(ready)
    return ordered


def _copy_table(src: sqlite3.Connection, dst: sqlite3.Connection, table: str) -> int:
    try:
        wanted = _columns(dst, table)
        present = set(_columns(src, table))
    except sqlite3.Error:
        return 0
    columns = [c for c in wanted if c in present]
    if not columns:
        return 0
    names = ", ".join(f'"{c}"' for c in columns)
    insert = f'INSERT OR IGNORE INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})'
    copied = 0
    for row in _readable_rows(src, table, names):
        try:
            with _savepoint(dst):
                copied += dst.execute(insert, row).rowcount
        except sqlite3.Error:
            continue  # a parent row was lost, or the values break a constraint
    return copied


def _readable_rows(src: sqlite3.Connection, table: str, names: str) -> Iterator[tuple]:
    has_rowid = _has_rowid(src, table)
    last: int | None = None
    resumes = 0
    step = 1
    while True:
        if has_rowid:
            sql = f'SELECT rowid, {names} FROM "{table}"'
            params: list[int] = []
            if last is not None:
                sql += " WHERE rowid > ?"
                params = [last + step - 1]
            sql += " ORDER BY rowid"
        else:
            sql, params = f'SELECT {names} FROM "{table}"', []
        try:
            for row in src.execute(sql, params):
                if has_rowid:
                    last, step = row[0], 1
                    yield row[1:]
                else:
                    yield row
            return
        except sqlite3.DatabaseError as exc:
            resumes += 1
            if not has_rowid or resumes > _MAX_RESUMES:
                log.warning("salvage of %s stopped: %s", table, exc)
                return
            last = last if last is not None else 0
            step *= 2  # skip ahead past the damaged page, further each time


def _has_rowid(conn: sqlite3.Connection, table: str) -> bool:
    try:
        conn.execute(f'SELECT rowid FROM "{table}" LIMIT 0')
    except sqlite3.Error:
        return False
    return True


@contextlib.contextmanager
def _savepoint(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("SAVEPOINT row")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK TO row")
        conn.execute("RELEASE row")
        raise
    conn.execute("RELEASE row")
