"""SQL for faces, people, and how far the face stage has come on each photo."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from sqlite_utils import Database

from photoorg.model.face import Face, FaceBox, FaceDecision, Person
from photoorg.store.photos import now_iso

DESCRIPTOR_SIZE = 128

_FACE_COLUMNS = "f.id, f.photo_id, f.x, f.y, f.w, f.h, f.person_id, f.decision, f.score"
GROUPED = ("auto", "confirmed")  # decisions whose faces belong in people


def _face(row: Sequence) -> Face:
    return Face(
        id=row[0],
        photo_id=row[1],
        box=FaceBox(row[2], row[3], row[4], row[5]),
        person_id=row[6],
        decision=FaceDecision(row[7]),
        score=row[8],
    )


def to_blob(descriptor: np.ndarray) -> bytes:
    return np.asarray(descriptor, dtype="<f4").reshape(DESCRIPTOR_SIZE).tobytes()


def from_blobs(blobs: Sequence[bytes]) -> np.ndarray:
    if not blobs:
        return np.zeros((0, DESCRIPTOR_SIZE), dtype=np.float32)
    joined = np.frombuffer(b"".join(blobs), dtype="<f4")
    return joined.reshape(len(blobs), DESCRIPTOR_SIZE).astype(np.float32)


# -- faces -------------------------------------------------------------------------


@dataclass(frozen=True)
class NewFace:
    box: FaceBox
    score: float | None
    descriptor: bytes | None
    thumbnail: bytes | None
    person_id: int | None = None
    decision: FaceDecision = FaceDecision.AUTO


def add_faces(db: Database, photo_id: int, faces: Iterable[NewFace]) -> list[int]:
    ids = []
    for f in faces:
        cursor = db.execute(
            "INSERT INTO faces(photo_id, x, y, w, h, score, descriptor, thumbnail, person_id, "
            "decision) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                photo_id,
                f.box.x,
                f.box.y,
                f.box.w,
                f.box.h,
                f.score,
                f.descriptor,
                f.thumbnail,
                f.person_id,
                f.decision.value,
            ],
        )
        ids.append(int(cursor.lastrowid))
    return ids


def delete_faces(db: Database, face_ids: Iterable[int]) -> None:
    db.conn.executemany("DELETE FROM faces WHERE id = ?", [(int(i),) for i in face_ids])


def faces_of_photo(db: Database, photo_id: int) -> list[Face]:
    rows = db.execute(
        f"SELECT {_FACE_COLUMNS} FROM faces f WHERE f.photo_id = ? ORDER BY f.x, f.y, f.id",
        [photo_id],
    )
    return [_face(r) for r in rows]


def get_face(db: Database, face_id: int) -> Face | None:
    row = db.execute(f"SELECT {_FACE_COLUMNS} FROM faces f WHERE f.id = ?", [face_id]).fetchone()
    return _face(row) if row else None


def faces_of_person(db: Database, person_id: int) -> list[Face]:
    rows = db.execute(
        f"SELECT {_FACE_COLUMNS} FROM faces f WHERE f.person_id = ? AND f.decision IN "
        "('auto', 'confirmed') ORDER BY f.decision = 'confirmed' DESC, f.score DESC, f.id",
        [person_id],
    )
    return [_face(r) for r in rows]


def thumbnail(db: Database, face_id: int) -> bytes | None:
    row = db.execute("SELECT thumbnail FROM faces WHERE id = ?", [face_id]).fetchone()
    return row[0] if row else None


def descriptors(
    db: Database, decisions: Sequence[str] = GROUPED, unassigned_only: bool = False
) -> tuple[list[Face], np.ndarray]:
    """Faces with a descriptor (not the XMP-only ones) and their descriptors, row by row."""
    where = f"f.descriptor IS NOT NULL AND f.decision IN ({', '.join('?' * len(decisions))})"
    if unassigned_only:
        where += " AND f.person_id IS NULL"
    rows = db.execute(
        f"SELECT {_FACE_COLUMNS}, f.descriptor FROM faces f JOIN photos p ON p.id = f.photo_id "
        f"WHERE {where} ORDER BY f.id",
        list(decisions),
    ).fetchall()
    return [_face(r) for r in rows], from_blobs([r[-1] for r in rows])


def set_person(
    db: Database, face_ids: Iterable[int], person_id: int | None, decision: FaceDecision
) -> None:
    db.conn.executemany(
        "UPDATE faces SET person_id = ?, decision = ? WHERE id = ?",
        [(person_id, decision.value, int(i)) for i in face_ids],
    )


def assign_auto(db: Database, assignments: Iterable[tuple[int, int | None]]) -> None:
    """``(face id, person id)`` for faces PhotoOrg grouped; user decisions are never touched."""
    db.conn.executemany(
        "UPDATE faces SET person_id = ? WHERE id = ? AND decision = 'auto'",
        [(p, int(f)) for f, p in assignments],
    )


# -- people ------------------------------------------------------------------------


def create_person(db: Database, name: str | None = None) -> int:
    cursor = db.execute("INSERT INTO people(name, created_at) VALUES (?, ?)", [name, now_iso()])
    return int(cursor.lastrowid)


def rename_person(db: Database, person_id: int, name: str | None) -> None:
    db.execute("UPDATE people SET name = ? WHERE id = ?", [name, person_id])


def delete_people(db: Database, person_ids: Iterable[int]) -> None:
    db.conn.executemany("DELETE FROM people WHERE id = ?", [(int(i),) for i in person_ids])


def move_faces(db: Database, from_person: int, to_person: int) -> None:
    db.execute("UPDATE faces SET person_id = ? WHERE person_id = ?", [to_person, from_person])


def find_person(db: Database, name: str) -> int | None:
    row = db.execute("SELECT id FROM people WHERE name = ? COLLATE NOCASE", [name]).fetchone()
    return row[0] if row else None


def list_people(db: Database, person_id: int | None = None) -> list[Person]:
    """People with their counts, named first, then by how many photos show them."""
    where = "WHERE pe.id = ?" if person_id is not None else ""
    rows = db.execute(
        "SELECT pe.id, pe.name, count(f.id), count(DISTINCT f.photo_id), "
        "(SELECT c.id FROM faces c WHERE c.person_id = pe.id AND c.decision IN "
        "('auto', 'confirmed') ORDER BY c.decision = 'confirmed' DESC, c.score DESC LIMIT 1) "
        "FROM people pe LEFT JOIN faces f ON f.person_id = pe.id "
        f"AND f.decision IN ('auto', 'confirmed') {where} GROUP BY pe.id "
        "ORDER BY pe.name IS NULL, pe.name COLLATE NOCASE, count(DISTINCT f.photo_id) DESC, pe.id",
        [person_id] if person_id is not None else [],
    )
    return [Person(id=r[0], name=r[1], faces=r[2], photos=r[3], cover_face_id=r[4]) for r in rows]


def empty_unnamed_people(db: Database) -> list[int]:
    rows = db.execute(
        "SELECT pe.id FROM people pe WHERE pe.name IS NULL AND NOT EXISTS "
        "(SELECT 1 FROM faces f WHERE f.person_id = pe.id AND f.decision IN ('auto', 'confirmed'))"
    )
    return [r[0] for r in rows]


def photos_with_people(db: Database, person_ids: Sequence[int]) -> list[int]:
    """Photos showing every one of ``person_ids`` (offline photos included)."""
    if not person_ids:
        return []
    marks = ", ".join("?" * len(person_ids))
    rows = db.execute(
        f"SELECT photo_id FROM faces WHERE person_id IN ({marks}) AND decision IN "
        "('auto', 'confirmed') GROUP BY photo_id HAVING count(DISTINCT person_id) = ? "
        "ORDER BY photo_id",
        [*person_ids, len(set(person_ids))],
    )
    return [r[0] for r in rows]


# -- the face stage's progress --------------------------------------------------------


def mark_done(
    db: Database, photo_id: int, engine: str, faces: int, error: str | None = None
) -> None:
    db.execute(
        "INSERT INTO face_progress(photo_id, engine, faces, error, at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(photo_id) DO UPDATE SET engine = excluded.engine, faces = excluded.faces, "
        "error = excluded.error, at = excluded.at",
        [photo_id, engine, faces, error, now_iso()],
    )


def photos_to_do(db: Database, engine: str, limit: int) -> list[tuple[int, str]]:
    """``(photo id, path)`` of online photos the face stage has not done with ``engine``."""
    rows = db.execute(
        "SELECT p.id, p.path FROM photos p LEFT JOIN face_progress fp ON fp.photo_id = p.id "
        "WHERE p.offline = 0 AND (fp.photo_id IS NULL OR fp.engine <> ?) ORDER BY p.id LIMIT ?",
        [engine, limit],
    )
    return [(r[0], r[1]) for r in rows]


def progress(db: Database, engine: str) -> tuple[int, int]:
    """``(done, total)`` over online photos."""
    row = db.execute(
        "SELECT count(fp.photo_id), count(*) FROM photos p LEFT JOIN face_progress fp "
        "ON fp.photo_id = p.id AND fp.engine = ? WHERE p.offline = 0",
        [engine],
    ).fetchone()
    return int(row[0]), int(row[1])


def photos_with_any(db: Database, person_ids: Sequence[int]) -> list[int]:
    """Photos showing at least one of ``person_ids``."""
    if not person_ids:
        return []
    rows = db.execute(
        f"SELECT DISTINCT photo_id FROM faces WHERE person_id IN "
        f"({', '.join('?' * len(person_ids))}) AND decision IN ('auto', 'confirmed') "
        "ORDER BY photo_id",
        list(person_ids),
    )
    return [r[0] for r in rows]
