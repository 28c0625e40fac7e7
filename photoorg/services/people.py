"""People: storing the faces a photo shows, grouping them into people, and what users decide.

Grouping is incremental: after each batch of photos, ``group_new_faces`` lets every new
face join the person whose faces lie nearest (within ``JOIN_DISTANCE``), and gathers the
faces that joined no one into new people once at least ``MIN_FACES`` of them hang
together, so that a stranger who walked through one photo does not become a person.
``regroup`` starts over from every descriptor (see face_clusters.py for the method) and
keeps person ids stable where a group is mostly the same faces as before.

User decisions are never undone by either: a face the user named, moved or confirmed is
``CONFIRMED`` and anchors its person; ``NOT_FACE`` and ``IGNORED`` faces are left out of
grouping; a person with a name is never deleted. Naming a person confirms the faces it
holds at that moment (the user named what they saw).

Distances: on the test photos (six people of one group photo and a portrait, each
enlarged, mirrored, shrunk, relit, recompressed), the faces of one person were at most
0.31 apart and two people at least 0.60; elsewhere a mirrored face has been measured
0.51 from itself. ``JOIN_DISTANCE`` 0.5 sits below dlib's usual 0.6: a person split in
two costs the user one merge, two people glued together cost a face-by-face sort.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from photoorg.errors import UsageError
from photoorg.ml.faces import FoundFace
from photoorg.model.face import Face, FaceBox, FaceDecision, NamedRegion, Person
from photoorg.services.face_clusters import chinese_whispers, nearest
from photoorg.store import faces as store

if TYPE_CHECKING:
    from sqlite_utils import Database

JOIN_DISTANCE = 0.5
SUGGEST_DISTANCE = 0.55  # a little past JOIN_DISTANCE (the user decides), short of 0.6
MIN_FACES = 3
CARRY_IOU = 0.5  # a re-detected face this close to a stored one is the same face
REGION_IOU = 0.3  # boxes drawn by hand in another tool are looser than the detector's


@dataclass(frozen=True)
class Grouping:
    joined: int  # faces that joined an existing person
    new_people: int
    unassigned: int  # faces that belong to no one yet


# -- faces of a photo ------------------------------------------------------------------


def record_faces(db: Database, photo_id: int, found: Sequence[FoundFace], engine: str) -> None:
    """Store what the detector found on a photo, keeping what was known of its faces.

    A found face that overlaps a stored one keeps that one's person and decision (a new
    engine, or a rescan, never loses a name); stored faces the user decided about and
    regions imported from XMP stay even when the detector no longer finds them.
    """
    old = store.faces_of_photo(db, photo_id)
    rows: list[store.NewFace] = []
    kept: set[int] = set()
    for face in found:
        match = _best_match(face.box, [o for o in old if o.id not in kept], CARRY_IOU)
        person, decision = None, FaceDecision.AUTO
        if match is not None:
            kept.add(match.id)
            person, decision = match.person_id, match.decision
        rows.append(
            store.NewFace(
                face.box, face.score, store.to_blob(face.descriptor), face.thumbnail,
                person, decision,
            )
        )  # fmt: skip
    stale = [o.id for o in old if o.id in kept or o.decision is FaceDecision.AUTO]
    store.delete_faces(db, stale)
    store.add_faces(db, photo_id, rows)
    store.mark_done(db, photo_id, engine, len(found))


def record_failure(db: Database, photo_id: int, engine: str, error: str) -> None:
    """The photo could not be read: remembered, so the stage does not retry it every time."""
    store.mark_done(db, photo_id, engine, 0, error)


def apply_named_regions(db: Database, photo_id: int, regions: Sequence[NamedRegion]) -> int:
    """Names another tool gave to faces on this photo (MWG regions); returns faces named.

    A region over a detected face names that face (confirmed), unless the user already
    decided about it here; a region over no detected face is kept as a face of its own.
    """
    named = 0
    for region in regions:
        if not region.name or not region.name.strip():
            continue
        name = region.name.strip()
        match = _best_match(region.box, store.faces_of_photo(db, photo_id), REGION_IOU)
        if match is not None and match.decision is not FaceDecision.AUTO:
            continue  # the user already decided about this face here: theirs wins
        person = store.find_person(db, name)
        grouped_in = store.list_people(db, match.person_id) if match and match.person_id else []
        if grouped_in and grouped_in[0].name is None:
            # The face sits in a person no one has named: that whole person is `name`.
            if person is None:
                store.rename_person(db, grouped_in[0].id, name)
                person = grouped_in[0].id
            else:
                merge_people(db, person, grouped_in[0].id)
        elif person is None:
            person = store.create_person(db, name)
        if match is None:
            store.add_faces(
                db, photo_id, [store.NewFace(region.box, None, None, None, person,
                                             FaceDecision.CONFIRMED)]
            )  # fmt: skip
        else:
            store.set_person(db, [match.id], person, FaceDecision.CONFIRMED)
        named += 1
    return named


def named_regions(db: Database, photo_id: int) -> list[NamedRegion]:
    """The photo's faces with a named person, as regions to write into its sidecar."""
    names = {p.id: p.name for p in store.list_people(db) if p.name}
    return [
        NamedRegion(names[f.person_id], f.box)
        for f in store.faces_of_photo(db, photo_id)
        if f.person_id in names and f.decision in (FaceDecision.AUTO, FaceDecision.CONFIRMED)
    ]


def _best_match(box: FaceBox, faces: Sequence[Face], threshold: float) -> Face | None:
    scored = [(box.iou(f.box), f) for f in faces]
    scored = [(iou, f) for iou, f in scored if iou >= threshold]
    return max(scored, key=lambda s: s[0])[1] if scored else None


# -- grouping ----------------------------------------------------------------------------


def group_new_faces(db: Database) -> Grouping:
    """Put faces that belong to no one yet into people (see the module notes)."""
    faces, vectors = store.descriptors(db, ("auto",), unassigned_only=True)
    if not faces:
        return Grouping(0, 0, 0)
    known, known_vectors = store.descriptors(db)
    known_rows = [i for i, f in enumerate(known) if f.person_id is not None]
    known = [known[i] for i in known_rows]
    joined: list[tuple[int, int]] = []
    alone: list[int] = []
    for i, near in enumerate(nearest(vectors, known_vectors[known_rows], JOIN_DISTANCE)):
        votes: dict[int, float] = defaultdict(float)
        for j, d in near:
            weight = 2.0 if known[j].decision is FaceDecision.CONFIRMED else 1.0
            votes[known[j].person_id] += weight * (1.0 - d / JOIN_DISTANCE)  # type: ignore[index]
        if votes:
            joined.append((faces[i].id, max(votes, key=lambda p: (votes[p], -p))))
        else:
            alone.append(i)
    store.assign_auto(db, joined)
    new_people = 0
    unassigned = 0
    if alone:
        labels = chinese_whispers(vectors[alone], JOIN_DISTANCE)
        for members in _groups(labels).values():
            if len(members) < MIN_FACES:
                unassigned += len(members)
                continue
            person = store.create_person(db)
            store.assign_auto(db, [(faces[alone[m]].id, person) for m in members])
            new_people += 1
    return Grouping(len(joined), new_people, unassigned)


def regroup(db: Database) -> Grouping:
    """Group every face again from scratch; confirmed faces anchor their people."""
    faces, vectors = store.descriptors(db)
    anchors = {
        i: f.person_id
        for i, f in enumerate(faces)
        if f.decision is FaceDecision.CONFIRMED and f.person_id is not None
    }
    labels = chinese_whispers(vectors, JOIN_DISTANCE, anchors) if faces else np.zeros(0)
    assignments: list[tuple[int, int | None]] = []
    taken: set[int] = set()
    joined = new_people = unassigned = 0
    groups = sorted(_groups(labels).items(), key=lambda g: -len(g[1]))
    for label, members in groups:
        if label < 0:  # joined an anchored person
            person: int | None = -1 - label
            joined += len(members)
        elif len(members) >= MIN_FACES:
            before = Counter(faces[m].person_id for m in members if faces[m].person_id)
            person = next((p for p, _ in before.most_common() if p not in taken), None)
            if person is None:
                person = store.create_person(db)
                new_people += 1
            taken.add(person)
        else:
            person = None
            unassigned += len(members)
        assignments += [(faces[m].id, person) for m in members]
    store.assign_auto(db, assignments)
    store.delete_people(db, store.empty_unnamed_people(db))
    return Grouping(joined, new_people, unassigned)


def _groups(labels: np.ndarray) -> dict[int, list[int]]:
    groups: dict[int, list[int]] = defaultdict(list)
    for row, label in enumerate(labels):
        groups[int(label)].append(row)
    return groups


# -- what users decide -------------------------------------------------------------------


def name_person(db: Database, person_id: int, name: str) -> None:
    """Name (or rename) a person; its faces become confirmed. Names are unique."""
    name = name.strip()
    if not name:
        raise UsageError("a person's name cannot be empty")
    _require_person(db, person_id)
    other = store.find_person(db, name)
    if other is not None and other != person_id:
        raise UsageError(f"there is already a person named {name!r} (id {other}): merge them")
    store.rename_person(db, person_id, name)
    store.set_person(
        db, [f.id for f in store.faces_of_person(db, person_id)], person_id,
        FaceDecision.CONFIRMED,
    )  # fmt: skip


def merge_people(db: Database, keep: int, other: int) -> None:
    """Move every face of ``other`` to ``keep``; ``keep`` takes ``other``'s name if it has none."""
    if keep == other:
        raise UsageError("cannot merge a person with itself")
    kept, gone = _require_person(db, keep), _require_person(db, other)
    store.move_faces(db, other, keep)
    store.delete_people(db, [other])
    if kept.name is None and gone.name is not None:
        store.rename_person(db, keep, gone.name)


def move_face(db: Database, face_id: int, person_id: int) -> None:
    """The user says this face is ``person_id``: confirmed, it anchors that person."""
    _require_face(db, face_id)
    _require_person(db, person_id)
    store.set_person(db, [face_id], person_id, FaceDecision.CONFIRMED)
    store.delete_people(db, store.empty_unnamed_people(db))


def decide(db: Database, face_id: int, decision: FaceDecision) -> None:
    """Mark a face not a face, ignored, or back to automatic grouping."""
    if decision is FaceDecision.CONFIRMED:
        raise UsageError("confirm a face by moving it to a person")
    _require_face(db, face_id)
    store.set_person(db, [face_id], None, decision)
    store.delete_people(db, store.empty_unnamed_people(db))


def suggestions(db: Database, face_id: int, limit: int = 3) -> list[tuple[int, str, float]]:
    """Named people this face looks like: ``(person id, name, distance)``, nearest first."""
    face = _require_face(db, face_id)
    faces, vectors = store.descriptors(db)
    rows = {f.id: i for i, f in enumerate(faces)}
    if face.id not in rows:
        return []
    names = {p.id: p.name for p in store.list_people(db) if p.name}
    named = [i for i, f in enumerate(faces) if f.person_id in names and f.id != face.id]
    best: dict[int, float] = {}
    for j, d in nearest(vectors[[rows[face.id]]], vectors[named], SUGGEST_DISTANCE, 100)[0]:
        person = faces[named[j]].person_id
        assert person is not None
        best[person] = min(best.get(person, d), d)
    ranked = sorted(best.items(), key=lambda item: item[1])[:limit]
    return [(p, names[p], d) for p, d in ranked]


def photos_of(db: Database, names: Sequence[str]) -> list[int]:
    """Photos showing every named person; UsageError for a name no one has."""
    ids = []
    for name in names:
        person = store.find_person(db, name.strip())
        if person is None:
            raise UsageError(f"no person is named {name!r}")
        ids.append(person)
    return store.photos_with_people(db, ids)


def _require_person(db: Database, person_id: int) -> Person:
    found = store.list_people(db, person_id)
    if not found:
        raise UsageError(f"no person with id {person_id}")
    return found[0]


def _require_face(db: Database, face_id: int) -> Face:
    face = store.get_face(db, face_id)
    if face is None:
        raise UsageError(f"no face with id {face_id}")
    return face
