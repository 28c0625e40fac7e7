"""End to end on real faces: index finds faces, people are named, person: searches find
exactly their photos, a renamed photo keeps its person, digiKam's names arrive named."""

from __future__ import annotations

import shutil

import pytest

from photoorg.media.regions import merge_sidecar_regions, read_sidecar_regions
from photoorg.model.face import FaceBox, NamedRegion
from tests.support.cli_runs import run, run_json
from tests.support.faces import GROUP_PHOTO, group_photo, make_faceless_photos, make_person_photos


@pytest.fixture
def library(tmp_path, capsys):
    photos = tmp_path / "photos"
    photos.mkdir()
    shutil.copyfile(group_photo(), photos / GROUP_PHOTO)
    toms = [p.path for p in make_person_photos(photos, "tom")]
    joeys = [p.path for p in make_person_photos(photos, "joey")]
    for extra in joeys[3:]:
        extra.unlink()
    joeys = joeys[:3]
    make_faceless_photos(photos, count=2)
    # digiKam named Rachel on the group photo.
    merge_sidecar_regions(
        photos / f"{GROUP_PHOTO}.xmp", [NamedRegion("Rachel", FaceBox(60, 280, 112, 112))],
        1, (1280, 886),
    )  # fmt: skip
    args = ["--catalog", tmp_path / "catalog"]
    summary = run_json(capsys, "index", photos, "--no-encode", *args)
    return photos, toms, joeys, args, summary


def _search(capsys, args, query) -> set[str]:
    return {h["path"] for h in run_json(capsys, "search", query, *args, "--limit", "100")}


def test_people_from_index_to_search(library, capsys):
    photos, toms, joeys, args, summary = library
    assert summary["faces"] == 6 + 5 + 3
    faces = run_json(capsys, "faces", photos / GROUP_PHOTO, *args)
    assert len(faces) == 6 and all(set(f) == {"id", "box", "person", "name"} for f in faces)
    assert [f["name"] for f in faces].count("Rachel") == 1  # from the sidecar
    assert run_json(capsys, "faces", photos / "scene-0.jpg", *args) == []

    people = run_json(capsys, "people", *args)
    tom = next(p for p in people if set(p["photos"]) == {str(t) for t in toms})
    joey = next(p for p in people if str(joeys[0]) in p["photos"])
    assert set(joey["photos"]) == {str(j) for j in joeys} | {str(photos / GROUP_PHOTO)}
    run_json(capsys, "people", "name", tom["id"], "Tom Hanks", *args)
    run_json(capsys, "people", "name", joey["id"], "Joey", *args)

    assert _search(capsys, args, 'person:"Tom Hanks"') == {str(t) for t in toms}
    assert _search(capsys, args, "person:Joey person:Rachel") == {str(photos / GROUP_PHOTO)}
    assert _search(capsys, args, "person:Joey after:2100") == set()

    # A renamed photo keeps its person; a rescan keeps every name.
    moved = photos / "renamed-tom.jpg"
    toms[0].rename(moved)
    run_json(capsys, "index", photos, "--no-encode", *args)
    assert _search(capsys, args, 'person:"Tom Hanks"') == {str(moved)} | {str(t) for t in toms[1:]}
    run_json(capsys, "people", "regroup", *args)
    assert _search(capsys, args, "person:Joey") == {str(j) for j in joeys} | {
        str(photos / GROUP_PHOTO)
    }


def test_merge_move_errors_and_writing_regions(library, capsys):
    photos, toms, joeys, args, _ = library
    people = run_json(capsys, "people", *args)
    tom = next(p for p in people if set(p["photos"]) == {str(t) for t in toms})
    joey = next(p for p in people if str(joeys[0]) in p["photos"])
    code, _, err = run(capsys, "people", "merge", tom["id"], 99999, *args)
    assert code == 2 and "no person with id 99999" in err
    code, _, err = run(capsys, "people", "name", "x", "Bob", *args)
    assert code == 2 and "not an id" in err
    face = run_json(capsys, "faces", joeys[0], *args)[0]
    run_json(capsys, "people", "move", face["id"], "--to", tom["id"], *args)
    assert run_json(capsys, "faces", joeys[0], *args)[0]["person"] == tom["id"]
    run_json(capsys, "people", "merge", tom["id"], joey["id"], *args)
    run_json(capsys, "people", "name", tom["id"], "Everyone", *args)
    written = run_json(capsys, "people", "write-xmp", *args)["written"]
    assert written == len(toms) + len(joeys) + 1  # the group photo's sidecar too
    regions = read_sidecar_regions(photos / f"{toms[0].name}.xmp", 1, (900, 700))
    assert [r.name for r in regions] == ["Everyone"]
    group = read_sidecar_regions(photos / f"{GROUP_PHOTO}.xmp", 1, (1280, 886))
    assert {r.name for r in group} == {"Rachel", "Everyone"}


def test_index_without_faces(tmp_path, capsys):
    photos = tmp_path / "photos"
    photos.mkdir()
    shutil.copyfile(group_photo(), photos / GROUP_PHOTO)
    args = ["--catalog", tmp_path / "catalog"]
    summary = run_json(capsys, "index", photos, "--no-encode", "--no-faces", *args)
    assert "faces" not in summary
    assert run_json(capsys, "faces", photos / GROUP_PHOTO, *args) == []
    assert run_json(capsys, "people", *args) == []
