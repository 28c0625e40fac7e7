"""Exact copies and near-duplicates, each group best first."""

import json
import shutil

import pytest
from PIL import Image

from photoorg.cli import main as cli
from photoorg.services.library import Library
from tests.support import scenes as sc


@pytest.fixture
def library_with_copies(tmp_path, tiny_clip_spec):
    photos = tmp_path / "photos"
    truth = sc.write_library(photos, 36, seed=3, size=256)
    original = truth[0][0]
    # An exact copy, and a smaller re-encoded version of another photo.
    shutil.copyfile(original, photos / "copy.jpg")
    near_source = truth[1][0]
    with Image.open(near_source) as image:
        image.resize((128, 128)).save(photos / "small.jpg", quality=60)
    return tmp_path, photos, original, near_source


def test_exact_and_near_duplicates_best_first(library_with_copies, tiny_clip_spec, capsys):
    root, photos, original, near_source = library_with_copies
    catalog = root / "catalog"
    with Library(catalog, model=tiny_clip_spec, device="cpu") as library:
        library.index([photos])
    assert cli.main(["duplicates", "--json", "--catalog", str(catalog), "--threshold", "0.97"]) == 0
    groups = json.loads(capsys.readouterr().out)
    exact = [g for g in groups if g["kind"] == "exact"]
    assert [{p["path"] for p in g["photos"]} for g in exact] == [
        {str(original), str(photos / "copy.jpg")}
    ]
    near = [g for g in groups if g["kind"] == "near"]
    small = str(photos / "small.jpg")
    group = next(g for g in near if small in {p["path"] for p in g["photos"]})
    assert group["photos"][0]["path"] == str(near_source)  # 256 px beats 128 px
    assert group["photos"][-1]["path"] == small


def test_comparing_reports_progress_and_can_be_cancelled(
    library_with_copies, tiny_clip_spec, monkeypatch
):
    from photoorg.errors import Cancelled
    from photoorg.services.jobs import CancelToken
    from photoorg.store import embeddings

    root, photos, _, _ = library_with_copies
    monkeypatch.setattr(embeddings, "STREAM_CHUNK", 10)  # several steps for 38 photos
    with Library(root / "catalog", model=tiny_clip_spec, device="cpu") as library:
        library.index([photos])
        steps: list[tuple[int, int]] = []
        library.duplicates(progress=lambda phase, done, total: steps.append((done, total)))
        assert steps[0] == (0, 38) and steps[-1] == (38, 38) and len(steps) > 3
        token = CancelToken()

        def stop_after_first(phase, done, total):
            if done:
                token.cancel()

        with pytest.raises(Cancelled):
            library.duplicates(progress=stop_after_first, cancel=token)


def test_exact_duplicates_need_no_model(tmp_path):
    photos = tmp_path / "photos"
    truth = sc.write_library(photos, 4, seed=1, size=64)
    shutil.copyfile(truth[2][0], photos / "again.jpg")
    with Library(tmp_path / "catalog") as library:
        library.index([photos], encode=False)
        groups = library.duplicates()
    assert len(groups) == 1 and groups[0]["kind"] == "exact"
