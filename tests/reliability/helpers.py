"""Shared tools of the reliability suite: subprocesses, permissions, mounts, checks.

Running as root (CI containers do) makes every file readable and writable, so a test
that needs a real "permission denied" runs its victim process as root *without* the
capabilities that bypass file permissions (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH,
CAP_FOWNER), via ``setpriv --bounding-set``. Switching to ``nobody`` does not work here:
the interpreter lives under /root, which only root may enter.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
DROP_FILE_CAPS = "-dac_override,-dac_read_search,-fowner"


def child_env(**extra: str) -> dict[str, str]:
    """Environment for a ``python -m photoorg`` child: the repo importable, no proxies."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # cached bytecode: a faster start each time
    env.setdefault("HF_HUB_OFFLINE", "1")
    env.update(extra)
    return env


def photoorg(
    *args: str,
    cwd: Path | None = None,
    prefix: list[str] | None = None,
    timeout: float = 300,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m photoorg ARGS`` and return what it did (never raises on failure)."""
    return subprocess.run(
        [*(prefix or []), sys.executable, "-m", "photoorg", *args],
        cwd=cwd or REPO,
        env=env or child_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def python(
    code: str,
    *args: str,
    prefix: list[str] | None = None,
    timeout: float = 300,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run a Python snippet in a fresh interpreter (``sys.argv[1:]`` = ``args``)."""
    return subprocess.run(
        [*(prefix or []), sys.executable, "-c", code, *args],
        cwd=cwd or REPO,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def has_traceback(text: str) -> bool:
    return "Traceback (most recent call last)" in text


# -- permissions ------------------------------------------------------------------------


def unprivileged_prefix() -> list[str] | None:
    """A command prefix under which file permissions apply, or None if none works.

    Not root: nothing is needed. Root: setpriv drops the capabilities that let root read
    and write anything. Checked with a real unreadable folder before it is trusted.
    """
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    prefix = [setpriv, f"--bounding-set={DROP_FILE_CAPS}", "--"]
    with tempfile.TemporaryDirectory() as tmp:
        locked = Path(tmp) / "locked"
        locked.mkdir()
        locked.chmod(0)
        try:
            probe = subprocess.run(
                [*prefix, sys.executable, "-c", f"import os; os.listdir({str(locked)!r})"],
                capture_output=True,
                text=True,
                check=False,
                timeout=60,
            )
        finally:
            locked.chmod(0o700)
    return prefix if probe.returncode != 0 and "Permission" in probe.stderr else None


def permissions_apply_here() -> bool:
    """Whether this process itself is refused by chmod (False for root)."""
    with tempfile.TemporaryDirectory() as tmp:
        locked = Path(tmp) / "locked"
        locked.mkdir()
        locked.chmod(0)
        try:
            os.listdir(locked)
        except PermissionError:
            return True
        finally:
            locked.chmod(0o700)
    return False


# -- mounts (root only) -------------------------------------------------------------------


def _mount(*args: str) -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    done = subprocess.run(["mount", *args], capture_output=True, text=True, check=False)
    return done.returncode == 0


def _umount(target: Path) -> None:
    for _ in range(20):
        done = subprocess.run(["umount", str(target)], capture_output=True, check=False)
        if done.returncode == 0:
            return
        import time

        time.sleep(0.2)  # "target is busy": a child may still be exiting
    subprocess.run(["umount", "-l", str(target)], capture_output=True, check=False)


@contextlib.contextmanager
def small_tmpfs(target: Path, size: str = "2m") -> Iterator[bool]:
    """Mount a tmpfs of ``size`` on ``target``; yields False (nothing mounted) if not root."""
    target.mkdir(parents=True, exist_ok=True)
    mounted = _mount("-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(target))
    try:
        yield mounted
    finally:
        if mounted:
            _umount(target)


@contextlib.contextmanager
def read_only_bind(source: Path, target: Path) -> Iterator[bool]:
    """Bind-mount ``source`` read-only on ``target``: read-only even for root (EROFS)."""
    target.mkdir(parents=True, exist_ok=True)
    mounted = _mount("--bind", "-o", "ro", str(source), str(target))
    if mounted:
        # Older util-linux ignores "ro" on the first bind; remount makes it stick.
        probe = target / ".photoorg-probe"
        try:
            probe.write_text("x")
        except OSError:
            pass
        else:
            probe.unlink()
            if not _mount("-o", "remount,bind,ro", str(target)):
                _umount(target)
                mounted = False
    try:
        yield mounted
    finally:
        if mounted:
            _umount(target)


# -- checks ---------------------------------------------------------------------------------


def photo_files(folder: Path) -> dict[str, tuple[str, int]]:
    """sha256 and mtime_ns of every photo file below ``folder`` (sidecars left out)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix.lower() != ".xmp":
            found[str(path.relative_to(folder))] = (
                hashlib.sha256(path.read_bytes()).hexdigest(),
                path.stat().st_mtime_ns,
            )
    return found


def integrity(database: Path) -> dict[str, Any]:
    """``PRAGMA integrity_check`` and ``foreign_key_check`` of a catalog file."""
    conn = sqlite3.connect(database)
    try:
        check = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        orphans = conn.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        conn.close()
    return {"integrity": check, "orphans": orphans}


def scalar(database: Path, sql: str, params: tuple = ()) -> Any:
    conn = sqlite3.connect(database)
    try:
        return conn.execute(sql, params).fetchone()[0]
    finally:
        conn.close()


def last_json(text: str) -> Any:
    """The JSON document a ``--json`` command printed on stdout."""
    return json.loads(text)


def damage_pages(database: Path, seed: int, pages: int = 3, zero: bool = False) -> list[int]:
    """Overwrite ``pages`` whole pages (never the schema's) until SQLite's quick_check notices.

    The schema table starts on page 1 and, as the schema grows, goes on to other pages;
    with it gone no table can be found, so no salvage is possible and these tests would
    test nothing. Returns the page numbers written. Deterministic for a seed and schema.
    """
    import random

    rng = random.Random(seed)
    page_size = scalar(database, "PRAGMA page_size")
    count = database.stat().st_size // page_size
    if count < 4:
        raise ValueError("catalog too small to damage pages in")
    schema = _schema_pages(database)
    candidates = [p for p in range(2, count + 1) if p not in schema]
    original = database.read_bytes()
    for _attempt in range(50):
        chosen = sorted(rng.sample(candidates, min(pages, len(candidates))))
        data = bytearray(original)
        for page in chosen:
            start = (page - 1) * page_size
            data[start : start + page_size] = bytes(page_size) if zero else rng.randbytes(page_size)
        database.write_bytes(bytes(data))
        try:
            result = scalar(database, "PRAGMA quick_check")
        except sqlite3.DatabaseError:
            return chosen
        if result != "ok":
            return chosen
    raise AssertionError("could not damage the catalog in a way SQLite notices")


def _schema_pages(database: Path) -> set[int]:
    """Pages of the sqlite_schema table (page 1 at least; dbstat tells the rest)."""
    conn = sqlite3.connect(database)
    try:
        rows = conn.execute("SELECT pageno FROM dbstat WHERE name = 'sqlite_schema'")
        return {1} | {int(r[0]) for r in rows}
    except sqlite3.OperationalError:  # an SQLite built without dbstat
        return {1}
    finally:
        conn.close()
