"""The SQLite catalog: opening, migrating, and the one-writer / many-readers discipline.

sqlite3 connections belong to one thread, so each thread that reads gets its own
connection (WAL lets them read while the writer writes), and every write goes through
``Catalog.write()``, which serialises writers with a lock and wraps the work in one
``BEGIN IMMEDIATE`` transaction: either all of it lands or none does.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from photoorg.errors import CatalogDamagedError, CatalogError
from photoorg.store import settings
from photoorg.store.schema import MIGRATIONS

BUSY_TIMEOUT_MS = 30_000

_DAMAGE_CODES = (11, 26)  # SQLITE_CORRUPT, SQLITE_NOTADB
_STORAGE_CODES = (8, 10, 13, 14)  # SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN


def _sqlite_code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)  # Python 3.11+
    return code & 0xFF if isinstance(code, int) else None


def is_damage(exc: sqlite3.Error) -> bool:
    """Whether SQLite says the file is damaged (as opposed to busy, full or read-only)."""
    code = _sqlite_code(exc)
    if code is not None:
        return code in _DAMAGE_CODES
    text = str(exc)
    return "malformed" in text or "not a database" in text


def _is_storage_error(exc: sqlite3.Error) -> bool:
    code = _sqlite_code(exc)
    if code is not None:
        return code in _STORAGE_CODES
    text = str(exc)
    return any(w in text for w in ("disk is full", "readonly", "disk I/O", "unable to open"))


def _explain(exc: sqlite3.Error, path: Path) -> str:
    """SQLite's message, plus the likely cause when it only says "disk I/O error"."""
    if _is_storage_error(exc) and "full" not in str(exc):
        try:
            free = shutil.disk_usage(path.parent).free
        except OSError:
            return str(exc)
        if free < 1 << 20:  # creating the -wal / -shm files is what failed
            return f"{exc} (the disk is full)"
    return str(exc)


def _connect(path: Path) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN/COMMIT ourselves, so Python's sqlite3 never
    # opens a transaction behind our back. check_same_thread=False is safe because the
    # writer connection is only used under the write lock.
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


class Catalog:
    """An open catalog database. Close it when done; it is also a context manager."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CatalogError(f"cannot create the catalog folder {path.parent}: {exc}") from exc
        # SQLite alone would say "unable to open database file" or "attempt to write a
        # readonly database"; say which folder and what to do instead.
        if not os.access(path.parent, os.W_OK | os.X_OK) or (
            path.exists() and not os.access(path, os.R_OK | os.W_OK)
        ):
            raise CatalogError(
                f"the catalog folder {path.parent} is read-only: PhotoOrg must be able to "
                "write there (fix its permissions, or choose another folder with --catalog)"
            )
        writer = None
        try:
            writer = self._writer = _connect(path)
            self._check_and_prepare()
        except BaseException as exc:
            # Close before raising: a caller that sets the damaged file aside must be
            # able to move it (Windows) and must not have SQLite write into it meanwhile.
            if writer is not None:
                writer.close()
            if isinstance(exc, sqlite3.DatabaseError):
                if is_damage(exc):
                    raise CatalogDamagedError(
                        f"cannot open the catalog {path}: it is damaged ({exc})"
                    ) from exc
                raise CatalogError(
                    f"cannot open the catalog {path}: {_explain(exc, path)}"
                ) from exc
            raise
        self.db = sqlite_utils.Database(self._writer)
        self._write_lock = threading.RLock()
        self._local = threading.local()
        # Each reader with the thread that owns it: a pool thread that expires (Qt's
        # QThreadPool ends idle threads after 30 s) leaves its connection behind, and
        # the next new reader closes those of dead threads.
        self._readers: list[tuple[threading.Thread, sqlite3.Connection]] = []
        self._readers_lock = threading.Lock()

    def _check_and_prepare(self) -> None:
        conn = self._writer
        # quick_check reads every page once: cheap, and it catches a damaged file
        # before we write anything into it.
        result = conn.execute("PRAGMA quick_check").fetchone()[0]
        if result != "ok":
            raise CatalogDamagedError(f"the catalog {self.path} is damaged: {result}")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise CatalogError(
                f"the catalog {self.path} was written by a newer PhotoOrg "
                f"(schema {version}; this version knows up to {len(MIGRATIONS)})"
            )
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":
            # Network file systems refuse WAL; the rollback journal still works.
            conn.execute("PRAGMA journal_mode = DELETE")
        for number in range(version + 1, len(MIGRATIONS) + 1):
            self._migrate(number, MIGRATIONS[number - 1])

    def _migrate(self, number: int, script: str) -> None:
        conn = self._writer
        try:
            # executescript commits any open transaction first, so the BEGIN must be
            # part of the script for the DDL and the version bump to be atomic.
            conn.executescript(
                f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;"
            )
        except sqlite3.Error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    @property
    def schema_version(self) -> int:
        return self._writer.execute("PRAGMA user_version").fetchone()[0]

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite_utils.Database]:
        """One atomic write transaction; writers from other threads wait their turn."""
        with self._write_lock:
            if self._writer.in_transaction:  # nested: join the outer transaction
                yield self.db
                return
            try:
                self._writer.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise CatalogError(f"cannot write to the catalog {self.path}: {exc}") from exc
            try:
                yield self.db
            except BaseException as exc:
                # SQLite may already have rolled back (a full disk does); a second ROLLBACK
                # would raise and hide the real error.
                if self._writer.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        self._writer.execute("ROLLBACK")
                if isinstance(exc, sqlite3.OperationalError) and _is_storage_error(exc):
                    # A full disk or a folder turned read-only is the user's to fix: say so
                    # in one line (CatalogError) rather than as a traceback.
                    raise CatalogError(
                        f"cannot write to the catalog {self.path}: {_explain(exc, self.path)}"
                    ) from exc
                raise
            try:
                self._writer.execute("COMMIT")
            except sqlite3.Error as exc:
                if self._writer.in_transaction:
                    self._writer.execute("ROLLBACK")
                raise CatalogError(f"cannot write to the catalog {self.path}: {exc}") from exc

    @property
    def read(self) -> sqlite_utils.Database:
        """This thread's read connection (the writer's own thread reads its own writes)."""
        if self._write_lock._is_owned():  # type: ignore[attr-defined]
            return self.db
        db = getattr(self._local, "db", None)
        if db is None:
            conn = _connect(self.path)
            with self._readers_lock:
                alive = []
                for thread, reader in self._readers:
                    if thread.is_alive():
                        alive.append((thread, reader))
                    else:
                        reader.close()
                self._readers = [*alive, (threading.current_thread(), conn)]
            db = self._local.db = sqlite_utils.Database(conn)
        return db

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        return settings.get(self.read, key, default)

    def set_setting(self, key: str, value: str | None) -> None:
        with self.write() as db:
            settings.put(db, key, value)

    def close(self) -> None:
        with self._readers_lock:
            for _thread, conn in self._readers:
                conn.close()
            self._readers.clear()
        with self._write_lock:
            with contextlib.suppress(sqlite3.Error):
                self._writer.execute("PRAGMA optimize")
            self._writer.close()

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
