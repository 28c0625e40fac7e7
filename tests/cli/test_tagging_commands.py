"""The tagging commands: labels, tag, tags, confirm, reject, albums, summary, export-xmp."""

import pytest

from photoorg.model.label import Label
from photoorg.services.library import Library
from tests.support import scenes as sc
from tests.support import synthetic
from tests.support.cli_runs import run, run_json


@pytest.fixture
def syn(tmp_path):
    made = synthetic.make(tmp_path / "catalog", {"dog": 6, "cat": 6, "other": 8})
    synthetic.use_labels(made, [Label(name="dog"), Label(name="cat")], tmp_path)
    made.library.close()  # the commands open their own
    made.args = ["--catalog", tmp_path / "catalog", "--model", made.library.model_name]
    return made


def test_labels_add_edit_list_export_import_remove(syn, capsys, tmp_path):
    a = syn.args
    with Library(syn.args[1], model=syn.args[3]) as library:
        syn.library = library
        syn.cache_prompts(Label(name="kayak", prompts=("a {} on a lake.", "a red {}.")))
    added = run_json(
        capsys,
        "labels",
        "add",
        "kayak",
        "--prompt",
        "a {} on a lake.",
        "--prompt",
        "a red {}.",
        "--threshold",
        "0.3",
        "--parent",
        "boats",
        *a,
    )
    assert added["prompts"] == ["a {} on a lake.", "a red {}."] and added["threshold"] == 0.3
    edited = run_json(
        capsys, "labels", "edit", "kayak", "--threshold", "auto", "--group", "water", *a
    )
    assert (edited["threshold"], edited["exclusive_group"], edited["parent"]) == (
        "auto",
        "water",
        "boats",
    )
    listed = {x["name"]: x for x in run_json(capsys, "labels", "list", *a)}
    assert set(listed) == {"dog", "cat", "kayak"} and listed["kayak"]["count"] == 0
    run_json(capsys, "labels", "export", tmp_path / "l.toml", *a)
    run_json(capsys, "labels", "remove", "kayak", *a)
    assert run_json(capsys, "labels", "import", tmp_path / "l.toml", *a) == {
        "imported": 3,
        "kept_disabled": [],
    }
    run_json(capsys, "labels", "export", tmp_path / "again.toml", *a)
    assert (tmp_path / "l.toml").read_bytes() == (tmp_path / "again.toml").read_bytes()
    code, _, err = run(capsys, "labels", "add", "DOG", *a)
    assert code == 2 and "already" in err
    code, _, err = run(capsys, "labels", "edit", "nope", "--threshold", "0.1", *a)
    assert code == 2 and "no label" in err


def test_tag_dry_run_then_tag_then_tags_of_photos(syn, capsys):
    a = syn.args
    planned = run_json(capsys, "tag", "--dry-run", *a)
    assert planned["dry_run"] and planned["labels"]["dog"] == {"added": 6, "removed": 0, "total": 6}
    done = run_json(capsys, "tag", "--label", "dog", *a)
    assert set(done["labels"]) == {"dog"} and done["labels"]["dog"]["added"] == 6
    with Library(syn.args[1], model=syn.args[3]) as library:
        dog_path = library.info(syn.ids("dog")[0])["path"]
    tags = run_json(capsys, "tags", dog_path, *a)
    assert tags[0]["path"] == dog_path
    assert [(t["label"], t["source"]) for t in tags[0]["tags"]] == [("dog", "auto")]
    assert isinstance(tags[0]["tags"][0]["score"], float)
    code, out, _ = run(capsys, "tag", *a)
    assert code == 0 and "label(s) changed" in out


def test_confirm_reject_and_clear(syn, capsys):
    a = syn.args
    run_json(capsys, "tag", *a)
    with Library(syn.args[1], model=syn.args[3]) as library:
        dog, cat = (library.info(syn.ids(c)[0])["path"] for c in ("dog", "cat"))
    assert run_json(capsys, "reject", dog, "--label", "dog", *a)["photos"] == 1
    run_json(capsys, "confirm", cat, "--label", "dog", *a)
    sources = {t["label"]: t["source"] for t in run_json(capsys, "tags", dog, cat, *a)[0]["tags"]}
    assert sources == {"dog": "rejected"}
    cat_sources = {t["label"]: t["source"] for t in run_json(capsys, "tags", cat, *a)[0]["tags"]}
    assert cat_sources["dog"] == "confirmed"
    run_json(capsys, "reject", dog, "--label", "dog", "--clear", *a)
    assert {t["source"] for t in run_json(capsys, "tags", dog, *a)[0]["tags"]} == {"auto"}
    code, _, err = run(capsys, "confirm", "--label", "dog", *a)
    assert code == 2 and "name at least one photo" in err


def test_albums_summary_and_confirming_an_album(syn, capsys):
    a = syn.args
    run_json(capsys, "tag", *a)
    with Library(syn.args[1], model=syn.args[3]) as library:
        dogs = [library.info(i)["path"] for i in syn.ids("dog")]
        cat = library.info(syn.ids("cat")[0])["path"]
    run_json(capsys, "albums", "create", "Walks", *a)
    assert run_json(capsys, "albums", "add", "Walks", *dogs, cat, *a) == {
        "album": "Walks",
        "added": 7,
    }
    run_json(capsys, "albums", "create", "Cats", "--query", "label:cat", *a)
    listed = {x["name"]: x for x in run_json(capsys, "albums", "list", *a)}
    assert listed["Walks"]["count"] == 7 and listed["Cats"] == {
        "name": "Cats",
        "query": "label:cat",
        "count": 6,
    }
    summary = run_json(capsys, "summary", "--album", "Walks", *a)
    assert summary[0] == {"label": "dog", "count": 6, "fraction": round(6 / 7, 4)}
    assert run_json(capsys, "confirm", "--album", "Walks", "--label", "dog", *a)["photos"] == 7
    assert run_json(capsys, "summary", "--album", "Walks", *a)[0]["fraction"] == 1.0
    assert len(run_json(capsys, "albums", "show", "Cats", *a)) == 6
    run_json(capsys, "albums", "remove", "Walks", cat, *a)
    run_json(capsys, "albums", "delete", "Walks", *a)
    assert [x["name"] for x in run_json(capsys, "albums", "list", *a)] == ["Cats"]


def test_export_xmp_writes_sidecars_for_tagged_photos(tmp_path, capsys):
    photos = tmp_path / "photos"
    written = sc.write_library(photos, 3, seed=1, size=64)
    a = ["--catalog", tmp_path / "catalog"]
    assert run(capsys, "index", photos, "--no-encode", *a)[0] == 0
    run_json(capsys, "labels", "add", "holiday", "--parent", "events", *a)
    run_json(capsys, "confirm", written[0][0], "--label", "holiday", *a)
    result = run_json(capsys, "export-xmp", *a)
    assert result == {"written": 1, "errors": []}
    sidecar = written[0][0].parent / (written[0][0].name + ".xmp")
    text = sidecar.read_text(encoding="utf-8")
    assert "<rdf:li>holiday</rdf:li>" in text and "<rdf:li>events|holiday</rdf:li>" in text
    assert not (written[1][0].parent / (written[1][0].name + ".xmp")).exists()
