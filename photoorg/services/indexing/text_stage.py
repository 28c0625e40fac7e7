"""The text stage of indexing: read the text in photos, after encoding, resumably.

It runs after the CLIP encoding (whose speed it leaves alone) and on its own:
``(done, total)`` progress under the phase ``"reading text"``, a cancel checked between
photos (a read takes about a second on a CPU, so a batch would make cancelling slow),
and every photo's outcome is committed as soon as it is known, so a cancelled or killed
run goes on from the next photo. The setting decides which photos are read:

- ``off``: none;
- ``likely``: each photo is probed first (the OCR on a 640 px copy, a third of the cost
  of a full read) and read only when the probe finds text; the others are recorded as
  skipped, and switching to ``every`` later reads just those;
- ``every``: all.

A photo that cannot be read now (gone, damaged since its scan) is recorded with no
text and counted in ``errors``: the scan reports files it cannot read; this stage must
not stall on them.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from photoorg.errors import ImageError
from photoorg.media import decode
from photoorg.media.files import read_bytes_stable
from photoorg.ml.text_reader import EVERY, OFF, POLICIES, READ_SIDE, TextReader, reader_id
from photoorg.services.indexing.scanner import in_order
from photoorg.services.jobs import CancelToken, Progress, no_progress
from photoorg.store import photo_text
from photoorg.store.catalog import Catalog

PHASE = "reading text"
CHUNK = 64  # photos asked from the catalog at a time


def read_text(
    catalog: Catalog,
    reader: TextReader,
    *,
    policy: str,
    workers: int | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> dict[str, int]:
    """Read the photos the setting asks for that are not read yet; a summary of counts."""
    if policy not in POLICIES:
        raise ValueError(f"unknown text reading setting {policy!r}: use {', '.join(POLICIES)}")
    summary = {"read": 0, "with_text": 0, "skipped": 0, "errors": 0}
    if policy == OFF:
        return summary
    cancel = cancel or CancelToken()
    made_by, every = reader_id(), policy == EVERY
    total = photo_text.count_pending(catalog.read, made_by, every=every)
    done = 0
    progress(PHASE, 0, total)
    workers = workers or max(1, min(4, os.cpu_count() or 1))
    with ThreadPoolExecutor(workers, thread_name_prefix="photoorg-text-decode") as pool:
        while todo := photo_text.pending_photos(catalog.read, made_by, every=every, limit=CHUNK):
            for photo_id, upright in in_order(pool, _decode, todo, window=workers * 2):
                cancel.check()
                outcome = _read_one(reader, upright, probe_first=not every)
                with catalog.write() as db:
                    if outcome == "skipped":
                        photo_text.save_skipped(db, photo_id, made_by)
                    else:
                        photo_text.save_read(db, photo_id, made_by, outcome or [])
                _count(summary, outcome)
                done += 1
                progress(PHASE, done, max(total, done))
    return summary


def _decode(item: tuple[int, str]) -> tuple[int, Any]:
    photo_id, path = item
    try:
        data, _ = read_bytes_stable(path)
        image = decode.open_image(data, os.path.basename(path))
        # Draft mode down to no less than 3/4 of the read size: the reader scales the
        # rest of the way, and decoding a 12 MP JPEG at full size would cost more
        # than reading it.
        return photo_id, decode.decode_upright(image, READ_SIDE * 3 // 4)
    except (ImageError, OSError):
        return photo_id, None


def _read_one(reader: TextReader, upright: Any, *, probe_first: bool) -> Any:
    """The lines read, "skipped" when the probe found nothing, None when undecodable."""
    if upright is None:
        return None
    if probe_first and not reader.probe(upright):
        return "skipped"
    return reader.read(upright)


def _count(summary: dict[str, int], outcome: Any) -> None:
    if outcome is None:
        summary["errors"] += 1
    elif outcome == "skipped":
        summary["skipped"] += 1
    else:
        summary["read"] += 1
        summary["with_text"] += bool(outcome)
