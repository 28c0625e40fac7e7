"""Large catalogs for the benchmarks, written through the store layer in seconds.

Scanning 100,000 real files would take most of an hour and measure the scanner, not
what a benchmark is about; these rows are what a scan would have written for them.
"""

from __future__ import annotations

import hashlib

from sqlite_utils import Database

from photoorg.store import photos


def add_photos(
    db: Database, count: int, *, root_path: str = "/bench/photos", shas: list[str] | None = None
) -> list[int]:
    """``count`` photo rows in folders of 100 under ``root_path``; their ids in order.

    ``shas`` (cycled) lets many rows share a few real thumbnail files; by default each
    row gets a distinct content hash.
    """
    root = photos.add_root(db, root_path)
    rows = []
    for i in range(count):
        folder = f"{root_path}/{i // 10000:02d}/{(i // 100) % 100:02d}"
        sha = shas[i % len(shas)] if shas else hashlib.sha256(b"%d" % i).hexdigest()
        record = photos.PhotoRecord(
            path=f"{folder}/IMG_{i:06d}.jpg",
            folder=folder,
            size=2_000_000 + i,
            mtime_ns=1_600_000_000_000_000_000 + i,
            sha256=sha,
            format="JPEG",
            width=4000,
            height=3000,
            orientation=1,
            taken_at=f"20{10 + i % 14:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}T12:00:00",
            taken_at_source="exif",
        )
        rows.append(record.row() | {"root_id": root.id})
    columns = list(rows[0])
    db.conn.executemany(
        f"INSERT INTO photos ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        [list(r.values()) for r in rows],
    )
    first = db.execute("SELECT min(id) FROM photos WHERE root_id = ?", [root.id]).fetchone()[0]
    return list(range(first, first + count))
