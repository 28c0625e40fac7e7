"""``library.people``: what the CLI and the window ask about faces and people.

Each call is one catalog transaction (writes) or one read; the grouping and decision
rules live in services/people.py. Named faces can be written into sidecars as MWG
regions (``write_regions``), which digiKam and Lightroom read.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from photoorg.errors import UsageError
from photoorg.media.regions import merge_sidecar_regions
from photoorg.media.sidecars import XmpError, folder_listing, target_sidecar
from photoorg.model.face import Face, FaceDecision, Person
from photoorg.services import people
from photoorg.store import faces as store
from photoorg.store import photos

if TYPE_CHECKING:
    from photoorg.services.library import Library


@dataclass(frozen=True)
class PhotoFace:
    """A face on a photo as the window and ``photoorg faces`` show it."""

    face: Face
    name: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.face.id,
            "box": self.face.box.as_list(),
            "person": self.face.person_id,
            "name": self.name,
            "decision": self.face.decision.value,
        }


class People:
    def __init__(self, library: Library) -> None:
        self.library = library
        self.catalog = library.catalog

    # -- reading ---------------------------------------------------------------------------

    def list(self) -> list[Person]:
        return [p for p in store.list_people(self.catalog.read) if p.faces]

    def get(self, person_id: int) -> Person:
        return people._require_person(self.catalog.read, person_id)

    def faces_on(self, path_or_id: str | os.PathLike[str] | int) -> list[PhotoFace]:
        photo_id = path_or_id if isinstance(path_or_id, int) else self.library.photo_id(path_or_id)
        db = self.catalog.read
        names = {p.id: p.name for p in store.list_people(db)}
        return [
            PhotoFace(f, names.get(f.person_id) if f.person_id else None)
            for f in store.faces_of_photo(db, photo_id)
            if f.decision is not FaceDecision.NOT_FACE
        ]

    def faces_of(self, person_id: int) -> list[Face]:
        return store.faces_of_person(self.catalog.read, person_id)

    def photo_paths(self, person_id: int) -> list[str]:
        db = self.catalog.read
        ids = store.photos_with_people(db, [person_id])
        return [row["path"] for i in ids if (row := photos.get_photo(db, i)) is not None]

    def thumbnail(self, face_id: int) -> bytes | None:
        return store.thumbnail(self.catalog.read, face_id)

    def suggestions(self, face_id: int) -> list[tuple[int, str, float]]:
        return people.suggestions(self.catalog.read, face_id)

    def as_dicts(self) -> list[dict[str, Any]]:
        return [
            {"id": p.id, "name": p.name, "faces": p.faces, "photos": self.photo_paths(p.id)}
            for p in self.list()
        ]

    # -- what the user decides -------------------------------------------------------------

    def name(self, person_id: int, name: str) -> None:
        with self.catalog.write() as db:
            people.name_person(db, person_id, name)

    def merge(self, keep: int, other: int) -> None:
        with self.catalog.write() as db:
            people.merge_people(db, keep, other)

    def move(self, face_id: int, person_id: int) -> None:
        with self.catalog.write() as db:
            people.move_face(db, face_id, person_id)

    def name_face(self, face_id: int, name: str) -> int:
        """Give a face a name: it joins the person of that name (made if new); its id."""
        name = name.strip()
        if not name:
            raise UsageError("a person's name cannot be empty")
        with self.catalog.write() as db:
            person = store.find_person(db, name) or store.create_person(db, name)
            people.move_face(db, face_id, person)
        return person

    def decide(self, face_id: int, decision: FaceDecision) -> None:
        with self.catalog.write() as db:
            people.decide(db, face_id, decision)

    def regroup(self) -> people.Grouping:
        with self.catalog.write() as db:
            return people.regroup(db)

    def write_regions(
        self,
        photo_ids: Iterable[int] | None = None,
        errors: list[tuple[str, str]] | None = None,
    ) -> int:
        """Write named faces into the photos' sidecars as MWG regions; files written.
        A sidecar that cannot be read or written is listed in ``errors`` and skipped."""
        db = self.catalog.read
        if photo_ids is None:
            named = {p.id for p in store.list_people(db) if p.name}
            photo_ids = store.photos_with_any(db, sorted(named))
        photo_ids = list(photo_ids)
        written = 0
        for photo_id in photo_ids:
            row = photos.get_photo(db, photo_id)
            regions = people.named_regions(db, photo_id)
            if row is None or not regions:
                continue
            path = Path(row["path"])
            orientation = 1 if row["format"] == "HEIF" else int(row["orientation"])
            sidecar = target_sidecar(path, folder_listing(path.parent), {})
            size = (int(row["width"]), int(row["height"]))
            try:
                written += merge_sidecar_regions(sidecar, regions, orientation, size)
            except XmpError as exc:
                if errors is None:
                    raise
                errors.append((str(sidecar), str(exc)))
        return written
