"""People from real faces: grouped right, incrementally and from scratch, and every
decision and name the user made survives a regroup and a rescan."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from photoorg.errors import UsageError
from photoorg.ml.faces import ENGINE_ID
from photoorg.model.face import FaceBox, FaceDecision, NamedRegion
from photoorg.services import people
from photoorg.store import faces as store
from photoorg.store.catalog import Catalog
from photoorg.store.photos import add_root, insert_photo
from tests.support.faces import GROUP_FACES, PEOPLE, detected_library
from tests.support.records import photo_record

TRUTH = {person: FaceBox(x, y, side, side) for person, (x, y, side) in GROUP_FACES.items()}


@pytest.fixture(scope="module")
def library():
    return detected_library()


class Fixture:
    """A catalog holding some of the sample photos, their faces recorded."""

    def __init__(self, path: Path, library) -> None:
        self.catalog = Catalog(path)
        self.library = library
        self.ids: dict[Path, int] = {}
        with self.catalog.write() as db:
            self.root = add_root(db, str(path.parent)).id

    @property
    def db(self):
        return self.catalog.db

    def add(self, photos) -> None:
        with self.catalog.write() as db:
            for photo in photos:
                w, h = self.library.sizes[photo.path]
                record = photo_record(photo.path, photo.path.name, w, h)
                pid = self.ids[photo.path] = insert_photo(db, self.root, record)
                people.record_faces(db, pid, self.library.faces[photo.path], ENGINE_ID)

    def faces(self) -> list:
        return [f for pid in self.ids.values() for f in store.faces_of_photo(self.db, pid)]

    def truth(self, face) -> str | None:
        """Whose face this is: the sample photo's person, or the group photo's marked box."""
        path = next(p for p, pid in self.ids.items() if pid == face.photo_id)
        photo = next(p for p in self.library.photos if p.path == path)
        if photo.person is not None:
            return photo.person
        return max(TRUTH, key=lambda name: TRUTH[name].iou(face.box))

    def person_photos(self) -> dict[int, set[int]]:
        groups: dict[int, set[int]] = defaultdict(set)
        for person in store.list_people(self.db):
            for face in store.faces_of_person(self.db, person.id):
                groups[person.id].add(face.photo_id)
        return groups

    def photos_of(self, name: str) -> set[int]:
        """Ground truth: the sample photos of ``name`` and the group photo (if in it)."""
        truth = {self.ids[p.path] for p in self.library.photos if p.person == name}
        group = self.library.photos[0].path
        if name != "tom" and group in self.ids:
            truth.add(self.ids[group])
        return truth


@pytest.fixture
def catalog(tmp_path, library):
    fixture = Fixture(tmp_path / "catalog.db", library)
    yield fixture
    fixture.catalog.close()


def _person_of(catalog: Fixture, name: str) -> int:
    """The one person holding ``name``'s faces (asserts there is exactly one)."""
    holders = {f.person_id for f in catalog.faces() if catalog.truth(f) == name}
    assert len(holders) == 1 and None not in holders, f"{name}'s faces are in {holders}"
    return holders.pop()


def _assert_grouped_right(catalog: Fixture, names) -> None:
    for name in names:
        person = _person_of(catalog, name)
        members = store.faces_of_person(catalog.db, person)
        assert {catalog.truth(f) for f in members} == {name}  # no one else's faces
        assert catalog.person_photos()[person] == catalog.photos_of(name)


def test_each_persons_photos_become_one_person(catalog, library):
    catalog.add(library.photos)
    result = people.group_new_faces(catalog.db)
    assert result.new_people == len(PEOPLE) and result.unassigned == 0
    _assert_grouped_right(catalog, PEOPLE)
    assert len(store.list_people(catalog.db)) == len(PEOPLE)
    scenes = [p for p in library.photos if p.person is None and p is not library.photos[0]]
    assert all(store.faces_of_photo(catalog.db, catalog.ids[p.path]) == [] for p in scenes)


def test_new_photos_join_the_people_already_there(catalog, library):
    first = [p for p in library.photos if p.person in ("rachel", "ross", "tom")]
    catalog.add(first)
    people.group_new_faces(catalog.db)
    before = {name: _person_of(catalog, name) for name in ("rachel", "ross", "tom")}
    catalog.add([p for p in library.photos if p not in first])
    result = people.group_new_faces(catalog.db)
    assert result.joined >= 2  # rachel's and ross's faces in the group photo
    assert {name: _person_of(catalog, name) for name in before} == before
    _assert_grouped_right(catalog, PEOPLE)


def test_too_few_faces_make_no_person_until_more_arrive(catalog, library):
    toms = [p for p in library.photos if p.person == "tom"]
    catalog.add(toms[:2])
    assert people.group_new_faces(catalog.db).unassigned == 2
    assert store.list_people(catalog.db) == []
    catalog.add(toms[2:])
    assert people.group_new_faces(catalog.db).new_people == 1
    assert catalog.person_photos()[_person_of(catalog, "tom")] == catalog.photos_of("tom")


def test_names_and_decisions_survive_a_regroup_and_a_rescan(catalog, library):
    catalog.add(library.photos)
    people.group_new_faces(catalog.db)
    with catalog.catalog.write() as db:
        for name in ("rachel", "joey"):
            people.name_person(db, _person_of(catalog, name), name.title())
        rachel = store.find_person(db, "Rachel")
        # The user puts one of Phoebe's faces into Rachel (their call), marks one of
        # Chandler's faces "not a face" and one of Monica's "ignore".
        moved = store.faces_of_person(db, _person_of(catalog, "phoebe"))[0]
        people.move_face(db, moved.id, rachel)
        wrong = store.faces_of_person(db, _person_of(catalog, "chandler"))[0]
        people.decide(db, wrong.id, FaceDecision.NOT_FACE)
        stranger = store.faces_of_person(db, _person_of(catalog, "monica"))[0]
        people.decide(db, stranger.id, FaceDecision.IGNORED)
    decided = {moved.box: (moved.photo_id, FaceDecision.CONFIRMED, rachel)}
    decided[wrong.box] = (wrong.photo_id, FaceDecision.NOT_FACE, None)
    decided[stranger.box] = (stranger.photo_id, FaceDecision.IGNORED, None)
    for _ in range(2):
        with catalog.catalog.write() as db:
            people.regroup(db)
        assert _photos_named(catalog, "Rachel") >= catalog.photos_of("rachel")
        assert _photos_named(catalog, "Joey") == catalog.photos_of("joey")
        for box, (photo, decision, person) in decided.items():
            same = [f for f in store.faces_of_photo(catalog.db, photo) if f.box == box]
            assert [(f.decision, f.person_id) for f in same] == [(decision, person)]
        # A rescan: the detector reports the same faces again for every photo.
        with catalog.catalog.write() as db:
            for path, pid in catalog.ids.items():
                people.record_faces(db, pid, library.faces[path], ENGINE_ID)
            people.group_new_faces(db)
        assert _photos_named(catalog, "Joey") == catalog.photos_of("joey")


def _photos_named(catalog: Fixture, name: str) -> set[int]:
    return set(people.photos_of(catalog.db, [name]))


def test_person_search_returns_exactly_that_persons_photos(catalog, library):
    catalog.add(library.photos)
    people.group_new_faces(catalog.db)
    with catalog.catalog.write() as db:
        people.name_person(db, _person_of(catalog, "phoebe"), "Phoebe")
        people.name_person(db, _person_of(catalog, "ross"), "Ross")
        people.name_person(db, _person_of(catalog, "tom"), "Tom")
    assert _photos_named(catalog, "phoebe") == catalog.photos_of("phoebe")  # any case
    group = catalog.ids[library.photos[0].path]
    assert set(people.photos_of(catalog.db, ["Phoebe", "Ross"])) == {group}
    assert people.photos_of(catalog.db, ["Phoebe", "Tom"]) == []
    with pytest.raises(UsageError, match="no person is named"):
        people.photos_of(catalog.db, ["Nobody"])


def test_merge_rename_and_their_errors(catalog, library):
    catalog.add(library.photos)
    people.group_new_faces(catalog.db)
    monica, rachel = _person_of(catalog, "monica"), _person_of(catalog, "rachel")
    with catalog.catalog.write() as db:
        people.name_person(db, rachel, "Rachel")
        with pytest.raises(UsageError, match="already a person named"):
            people.name_person(db, monica, "rachel")
        with pytest.raises(UsageError, match="empty"):
            people.name_person(db, monica, "  ")
        with pytest.raises(UsageError, match="no person with id"):
            people.name_person(db, 9999, "X")
        with pytest.raises(UsageError, match="itself"):
            people.merge_people(db, monica, monica)
        people.merge_people(db, monica, rachel)  # monica takes rachel's name and faces
    assert store.find_person(catalog.db, "Rachel") == monica
    assert _photos_named(catalog, "Rachel") == catalog.photos_of("rachel") | catalog.photos_of(
        "monica"
    )


def test_names_from_xmp_regions_name_the_detected_faces(catalog, library):
    catalog.add(library.photos)
    people.group_new_faces(catalog.db)
    group = catalog.ids[library.photos[0].path]
    chandler_box = FaceBox(734, 365, 104, 104)  # as another tool drew it, a little off
    regions = [
        NamedRegion("Chandler", FaceBox(730, 360, 115, 120)),
        NamedRegion("Gunther", FaceBox(10, 10, 60, 60)),  # no detected face there
        NamedRegion(None, FaceBox(452, 300, 126, 126)),  # unnamed: nothing to learn
    ]
    with catalog.catalog.write() as db:
        assert people.apply_named_regions(db, group, regions) == 2
    named = {r.name: r.box for r in people.named_regions(catalog.db, group)}
    assert set(named) == {"Chandler", "Gunther"}
    assert named["Chandler"].iou(chandler_box) > 0.5
    # Chandler's other photos follow after a regroup: the named face anchors them.
    with catalog.catalog.write() as db:
        people.regroup(db)
    assert _photos_named(catalog, "Chandler") == catalog.photos_of("chandler")


def test_unnamed_faces_get_the_named_person_they_look_like_as_suggestion(catalog, library):
    joeys = [p for p in library.photos if p.person == "joey"]
    catalog.add(joeys[:3])
    people.group_new_faces(catalog.db)
    with catalog.catalog.write() as db:
        people.name_person(db, _person_of(catalog, "joey"), "Joey")
    catalog.add([library.photos[0]])  # the group photo: one of its faces is Joey's
    group_faces = store.faces_of_photo(catalog.db, catalog.ids[library.photos[0].path])
    suggested = {
        f.id: people.suggestions(catalog.db, f.id) for f in group_faces
    }  # before grouping: all unassigned
    joey_face = max(group_faces, key=lambda f: f.box.iou(FaceBox(883, 89, 105, 105)))
    assert [s[1] for s in suggested[joey_face.id]] == ["Joey"]
    assert all(s == [] for fid, s in suggested.items() if fid != joey_face.id)
