"""Indexing at the default precision stores vectors that rank photos as fp32 does."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import open_clip
import pytest
import torch

from photoorg.services.library import Library
from photoorg.store import embeddings, photos
from tests.support import scenes as sc
from tests.support.fidelity import top10_agreement
from tests.support.tinyclip import all_queries, text_variants


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("scenes")
    sc.write_library(folder, 360, seed=424242, size=128)  # each scene 10 times
    return folder


def stored(library: Library) -> tuple[list[str], np.ndarray]:
    model_id = library.model_name_id()
    ids, vectors = embeddings.load_all(library.catalog.read, model_id, library.model().dim)
    paths = photos.paths_and_dates(library.catalog.read, ids.tolist())
    order = np.argsort([paths[int(i)][0] for i in ids])
    return [paths[int(ids[i])][0] for i in order], vectors[order]


def test_default_precision_keeps_the_fp32_top_10(tmp_path, folder, tiny_clip_spec):
    with Library(tmp_path / "catalog", model=tiny_clip_spec) as library:
        summary = library.index([folder])
        paths, found = stored(library)
        counts = library.status()["precision"]
    assert summary["encoded"] == 360
    assert counts == {summary["precision"]: 360}  # every vector says how it was made
    assert summary["precision"] in ("fp32", "int8", "bf16")

    # open_clip's own fp32 model, on the same decoded pixels, is the reference.
    model, _, _ = open_clip.create_model_and_transforms(tiny_clip_spec)
    model.eval()
    with Library(tmp_path / "other", model=tiny_clip_spec) as reference:
        clip = reference.model()
        from photoorg.media import decode

        side = clip.image_size
        pixels = torch.stack(
            [
                clip.prepare(decode.decode_upright(decode.open_image(Path(p).read_bytes()), side))
                for p in paths
            ]
        )
    texts = [v for q in all_queries()[:36] for v in text_variants(q.text)]
    with torch.inference_mode():
        images = model.encode_image(pixels, normalize=True).numpy()
        queries = model.encode_text(open_clip.get_tokenizer(tiny_clip_spec)(texts)).numpy()
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    assert top10_agreement(found, images, queries) >= 0.95


def test_an_explicit_precision_is_recorded(tmp_path, folder, tiny_clip_spec):
    with Library(tmp_path / "catalog", model=tiny_clip_spec, precision="fp32") as library:
        library.index([folder])
        assert library.status()["precision"] == {"fp32": 360}
        library.set_precision("int8")
        assert library.model().precision_choice is None  # a fresh model for a new choice


def test_auto_keeps_its_first_choice_on_later_runs(tmp_path, tiny_clip_spec):
    """The race between precisions is close on some CPUs: a catalog must not mix them."""
    first, second = tmp_path / "first", tmp_path / "second"
    sc.write_library(first, 16, seed=5, size=96)
    sc.write_library(second, 16, seed=6, size=96)
    with Library(tmp_path / "catalog", model=tiny_clip_spec) as library:
        chosen = library.index([first])["precision"]
        model = library.model()
        from photoorg.ml.precision import memory_key

        key = memory_key(model.id, model.device)
        if model.precision_choice.raced:
            assert library.catalog.get_setting(key) == chosen
        else:  # nothing to race on this machine (no int8, no native bf16)
            assert library.catalog.get_setting(key) is None
        library.catalog.set_setting(key, chosen)
    with Library(tmp_path / "catalog", model=tiny_clip_spec) as library:
        summary = library.index([second])
        counts = library.status()["precision"]
    assert summary["precision"] == chosen
    assert counts == {chosen: 32}
