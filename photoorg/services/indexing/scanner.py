"""Scanning library roots into the catalog: walk, compare, read, sweep.

A scan has three steps, in this order so that a file moved between two roots is seen
as one move rather than a delete and an add:

1. Walk every online root and stat each supported file (no reads). Files whose size and
   mtime match the catalog are unchanged and never opened again.
2. Read each new or changed file once, in a thread pool: hash the bytes, read EXIF, decode
   a small upright copy (JPEG draft mode), save its thumbnail, and hand the pixels to the
   encoder when one is listening, so one decode serves both.
3. Match new files to vanished ones by content hash (moves keep their photo id), then
   sweep what is still missing. A root that is missing, or empty although the catalog
   knows photos in it (an unmounted disk), is marked offline and nothing in it is deleted.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from photoorg.config import THUMBNAIL_SIZE, Paths
from photoorg.errors import ImageError
from photoorg.media import decode
from photoorg.media.files import read_bytes_stable
from photoorg.media.metadata import read_metadata
from photoorg.media.thumbnails import save_thumbnail
from photoorg.services.indexing.scan_scope import limited_folders
from photoorg.services.jobs import CancelToken, Progress, no_progress
from photoorg.store import photos as store
from photoorg.store.catalog import Catalog

log = logging.getLogger(__name__)

WRITE_BATCH = 256
"""Rows per write transaction: big enough to be fast, small enough to lose little."""

Preprocess = Callable[[Any], Any]
"""Turns an upright PIL image into the encoder's input (runs in the worker threads)."""

PixelSink = Callable[[int, Any], None]
"""Receives ``(photo_id, encoder_input)`` on the scanning thread, in catalog order."""


@dataclass
class ScanSummary:
    added: int = 0
    updated: int = 0
    moved: int = 0
    removed: int = 0
    unchanged: int = 0
    errors: int = 0
    offline_roots: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Listed:
    root_id: int
    path: str
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Read:
    """A file read and decoded by a worker."""

    listed: Listed
    record: store.PhotoRecord
    pixels: Any


@dataclass(frozen=True)
class Unreadable:
    listed: Listed
    error: str
    transient: bool = False
    """True when the file itself may be fine (permission denied, an I/O error, a file
    that vanished): it is tried again at the next scan instead of being skipped as
    broken until it changes."""


# -- step 1: walking -----------------------------------------------------------------


def walk(root: Path, on_error: Callable[[str, str], None]) -> Iterator[os.DirEntry[str]]:
    """Yield supported image files below ``root``.

    Follows symbolic links to folders but remembers each folder's (device, inode), so a
    link back up the tree is walked once, not forever. Hidden files and folders (names
    starting with a dot: .git, .thumbnails, AppleDouble ``._`` files) are skipped.
    """
    seen: set[tuple[int, int]] = set()
    stack = [str(root)]
    while stack:
        folder = stack.pop()
        try:
            info = os.stat(folder)
            key = (info.st_dev, info.st_ino)
            if key in seen:
                continue
            seen.add(key)
            with os.scandir(folder) as entries:
                children = list(entries)
        except OSError as exc:
            on_error(folder, f"cannot read folder: {exc.strerror or exc}")
            continue
        subfolders = []
        for entry in children:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir():  # follows links; loops are cut by `seen`
                    subfolders.append(entry.path)
                elif entry.name[entry.name.rfind(".") :].lower() in decode.SUPPORTED_EXTENSIONS:
                    yield entry
            except OSError as exc:
                on_error(entry.path, f"cannot stat: {exc.strerror or exc}")
        stack.extend(reversed(subfolders))


def _printable(path: str) -> str | None:
    """The path as valid UTF-8 text, or None when the file system name is not UTF-8."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return path


def _under_any(path: str, places: list[str]) -> bool:
    """Whether ``path`` is one of ``places`` or lies below one of them."""
    return any(path == p or path.startswith(p.rstrip(os.sep) + os.sep) for p in places)


# -- step 2: reading -----------------------------------------------------------------


def file_time_iso(mtime_ns: int) -> str:
    """A file's modification time as local ISO 8601 with its offset: the date fallback."""
    return datetime.fromtimestamp(mtime_ns / 1e9).astimezone().isoformat(timespec="seconds")


LARGE_DECODE_PIXELS = 48_000_000
"""Above this, a photo whose format decodes at full size (PNG, TIFF, WebP...; JPEG
decodes at 1/8 scale) holds 150+ MB while it decodes."""

_large_decodes = threading.BoundedSemaphore(1)


def _decode_bounded(image: Any, decode_side: int) -> Any:
    """``decode.decode_upright``, one large full-size decode at a time.

    With one reader per core, several huge PNGs or TIFFs decoding at once multiply peak
    memory by the core count; one at a time bounds it to a single such photo.
    """
    width, height = image.size
    if image.format in ("JPEG", "MPO") or width * height <= LARGE_DECODE_PIXELS:
        return decode.decode_upright(image, decode_side)
    with _large_decodes:
        return decode.decode_upright(image, decode_side)


def read_file(
    listed: Listed, paths: Paths, decode_side: int, preprocess: Preprocess | None
) -> Read | Unreadable:
    """Everything a scan learns from one file, from one read of its bytes."""
    name = os.path.basename(listed.path)
    try:
        data, info = read_bytes_stable(listed.path)
        if not data:
            raise ImageError("empty file (0 bytes)")
        sha256 = hashlib.sha256(data).hexdigest()
        image = decode.open_image(data, name)
        meta = read_metadata(image)
        upright = _decode_bounded(image, decode_side)
        try:
            save_thumbnail(paths, sha256, upright)
        except OSError as exc:
            # Our own disk is full (or the thumbnail folder read-only): that says nothing
            # about the photo. Recorded as the photo's error, it would be skipped as
            # broken at every later scan; Library.thumbnail_path makes it when asked.
            log.info("cannot save the thumbnail of %s: %s", listed.path, exc)
        pixels = preprocess(upright) if preprocess else None
    except ImageError as exc:
        return Unreadable(listed, str(exc))
    except MemoryError:
        # One photo too big for the memory left must not end the scan; it is tried again
        # at the next one, when memory may be freer.
        return Unreadable(listed, "not enough memory to decode it", transient=True)
    except FileNotFoundError:
        return Unreadable(listed, "the file vanished during the scan", transient=True)
    except PermissionError:
        return Unreadable(listed, "permission denied", transient=True)
    except OSError as exc:
        return Unreadable(listed, f"cannot read: {exc.strerror or exc}", transient=True)
    taken_at, source = (meta.taken_at, "exif") if meta.taken_at else (None, "file")
    record = store.PhotoRecord(
        path=listed.path,
        folder=os.path.dirname(listed.path),
        size=info.st_size,
        mtime_ns=info.st_mtime_ns,
        sha256=sha256,
        format=meta.format,
        width=meta.width,
        height=meta.height,
        orientation=meta.orientation,
        taken_at=taken_at or file_time_iso(info.st_mtime_ns),
        taken_at_source=source,
        camera_make=meta.camera_make,
        camera_model=meta.camera_model,
        lens=meta.lens,
        iso=meta.iso,
        f_number=meta.f_number,
        exposure_time=meta.exposure_time,
        focal_length=meta.focal_length,
        gps_lat=meta.gps_lat,
        gps_lon=meta.gps_lon,
        keywords=tuple(meta.keywords),
    )
    return Read(listed, record, pixels)


def in_order(
    pool: ThreadPoolExecutor, work: Callable[[Any], Any], items: list[Any], window: int
) -> Iterator[Any]:
    """``map`` with at most ``window`` items in flight, so memory stays bounded."""
    pending: deque[Future[Any]] = deque()
    iterator = iter(items)
    for item in iterator:
        pending.append(pool.submit(work, item))
        if len(pending) >= window:
            break
    while pending:
        result = pending.popleft().result()
        for item in iterator:
            pending.append(pool.submit(work, item))
            break
        yield result


# -- the scan ------------------------------------------------------------------------


class Scanner:
    """Brings the catalog in line with the files under its roots."""

    def __init__(self, catalog: Catalog, paths: Paths, *, workers: int | None = None) -> None:
        self.catalog = catalog
        self.paths = paths
        self.workers = workers or max(1, os.cpu_count() or 1)

    def scan(
        self,
        roots: list[store.Root],
        *,
        decode_side: int = THUMBNAIL_SIZE,
        preprocess: Preprocess | None = None,
        on_pixels: PixelSink | None = None,
        batch_size: int = WRITE_BATCH,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
        only: dict[int, list[str]] | None = None,
    ) -> ScanSummary:
        """Scan ``roots``; ``on_pixels`` gets each new photo's ``preprocess``ed pixels.

        ``only`` limits a root (by id) to some of its folders (a folder watcher's
        changes): only those are walked, and only photos under them can be swept.

        ``batch_size`` is how many files are committed (and handed on) at a time; an
        encoder passes its own batch size so it is fed while the workers read ahead.
        Cancelling keeps everything already read and skips the sweep.
        """
        cancel = cancel or CancelToken()
        summary = ScanSummary()
        to_read, missing = self._walk_roots(roots, summary, progress, cancel, only or {})
        by_hash: dict[str, list[str]] = defaultdict(list)
        for path, known in missing.items():
            by_hash[known.sha256].append(path)
        total = len(to_read)
        done = 0
        batch: list[Read | Unreadable] = []

        def work(listed: Listed) -> Read | Unreadable:
            if cancel.cancelled:
                return Unreadable(listed, "cancelled")
            return read_file(listed, self.paths, decode_side, preprocess)

        progress("reading", 0, total)
        with ThreadPoolExecutor(self.workers, thread_name_prefix="photoorg-read") as pool:
            window = max(self.workers * 4, batch_size * 2)
            for result in in_order(pool, work, to_read, window):
                if cancel.cancelled:
                    break
                batch.append(result)
                done += 1
                if len(batch) >= batch_size:
                    self._store(batch, missing, by_hash, summary, on_pixels)
                    batch = []
                progress("reading", done, total)
            self._store(batch, missing, by_hash, summary, on_pixels)
        cancel.check()
        with self.catalog.write() as db:
            gone = [known.id for known in missing.values()]
            store.delete_photos(db, gone)
            summary.removed = len(gone)
        return summary

    def _walk_roots(
        self,
        roots: list[store.Root],
        summary: ScanSummary,
        progress: Progress,
        cancel: CancelToken,
        only: dict[int, list[str]],
    ) -> tuple[list[Listed], dict[str, store.KnownFile]]:
        """List every root; returns the files to read and the known paths not seen.

        The walk holds no lock: a slow share must not block tag decisions, album edits or
        a second process for minutes. What the walk learned is written per root, in one
        short transaction.
        """
        to_read: list[Listed] = []
        missing: dict[str, store.KnownFile] = {}
        listed = 0
        for root in roots:
            known = store.file_stamps(self.catalog.read, root.id)
            errors = store.known_errors(self.catalog.read, root.id)
            seen: set[str] = set()
            walk_errors: list[tuple[str, str]] = []
            recovered: list[str] = []
            root_path = Path(root.path)
            if not root_path.is_dir():
                with self.catalog.write() as db:
                    self._mark_offline(db, root, summary)
                continue
            folders = limited_folders(root_path, only.get(root.id))
            if folders != [root_path]:
                # A limited scan knows (and may sweep) only the photos under its folders.
                inside = [str(folder) for folder in folders]
                known = {p: v for p, v in known.items() if _under_any(p, inside)}
                errors = {p: v for p, v in errors.items() if _under_any(p, inside)}
            entries = (
                entry
                for folder in folders
                for entry in walk(folder, lambda p, e, errs=walk_errors: errs.append((p, e)))
            )
            for entry in entries:
                try:
                    info = entry.stat()
                except OSError as exc:
                    walk_errors.append((entry.path, f"cannot stat: {exc.strerror or exc}"))
                    continue
                path = _printable(entry.path)
                if path is None:
                    shown = entry.path.encode("utf-8", "backslashreplace").decode()
                    walk_errors.append((shown, "the file name is not valid UTF-8; rename it"))
                    continue
                seen.add(path)
                listed += 1
                if listed % 1000 == 0:
                    cancel.check()
                    progress("listing", listed, 0)
                if known.get(path) == (info.st_size, info.st_mtime_ns):
                    summary.unchanged += 1
                    if path in errors:  # could not be stat'ed last time; fine again now
                        recovered.append(path)
                    continue
                if errors.get(path) == (info.st_size, info.st_mtime_ns):
                    summary.errors += 1  # still broken, unchanged: do not read again
                    continue
                to_read.append(Listed(root.id, path, info.st_size, info.st_mtime_ns))
            with self.catalog.write() as db:
                if not seen and known and folders == [root_path]:
                    # An empty mount point looks exactly like a wiped folder; assume the
                    # former and keep every photo (PhotoPrism #2299 deleted libraries here).
                    # (A limited scan's folders exist inside a mounted root: emptied.)
                    self._mark_offline(db, root, summary)
                    continue
                if not root.online:
                    store.set_root_online(db, root.id, True)
                for path, message in walk_errors:
                    store.record_error(db, root.id, path, message, None, None)
                    summary.errors += 1
                # A file may be swept only when a folder that holds it was listed and the
                # file was not in it. Below a folder that could not be listed, and at a
                # file that could not be stat'ed, "not seen" means "unavailable" (a
                # permission change, a flaky share): its photos, their decisions and
                # vectors stay.
                unavailable = [p for p, _ in walk_errors]
                vanished = {p for p in known.keys() - seen if not _under_any(p, unavailable)}
                if vanished:
                    missing.update(store.known_files(db, root.id, vanished))
                stale = [p for p in errors if p not in seen and p not in unavailable]
                store.clear_errors(db, stale + recovered)
        return to_read, missing

    def _mark_offline(self, db, root: store.Root, summary: ScanSummary) -> None:
        store.set_root_online(db, root.id, False)
        summary.offline_roots.append(root.path)

    def _store(self, batch, missing, by_hash, summary, on_pixels) -> None:
        if not batch:
            return
        encode: list[tuple[int, Any]] = []
        with self.catalog.write() as db:
            known_ids = store.photo_ids_by_path(db, [r.listed.path for r in batch])
            for result in batch:
                listed = result.listed
                if isinstance(result, Unreadable):
                    # A transient error is recorded without the file's stamp, so the next
                    # scan tries the file again even though it did not change.
                    size, mtime = (
                        (None, None) if result.transient else (listed.size, listed.mtime_ns)
                    )
                    store.record_error(db, listed.root_id, listed.path, result.error, size, mtime)
                    summary.errors += 1
                    continue
                store.clear_errors(db, [listed.path])
                record = result.record
                photo_id = known_ids.get(listed.path)
                if photo_id is not None:  # changed in place
                    old_sha, _ = store.content_and_path(db, photo_id)
                    if old_sha != record.sha256:
                        store.forget_content(db, photo_id)
                        encode.append((photo_id, result.pixels))
                    store.update_photo(db, photo_id, listed.root_id, record)
                    summary.updated += 1
                elif by_hash.get(record.sha256):  # moved or renamed: keep its identity
                    old_path = by_hash[record.sha256].pop()
                    photo_id = missing.pop(old_path).id
                    store.update_photo(db, photo_id, listed.root_id, record)
                    summary.moved += 1
                else:
                    photo_id = store.insert_photo(db, listed.root_id, record)
                    encode.append((photo_id, result.pixels))
                    summary.added += 1
        if on_pixels:
            for photo_id, pixels in encode:
                if pixels is not None:
                    on_pixels(photo_id, pixels)
