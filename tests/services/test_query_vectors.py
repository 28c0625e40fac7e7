"""Queries get their text vectors without loading the model: stored, or the ONNX tower."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from photoorg.ml import text_onnx
from photoorg.ml.model import ClipModel
from photoorg.services.query_vectors import QueryVectors
from photoorg.store.catalog import Catalog

pytest.importorskip("onnxruntime")  # brought by text recognition; see pyproject

TEXTS = ["a red circle", "a blue square on a gray background", "红色的圆", "a red circle"]


@pytest.fixture(scope="module")
def model(tiny_clip_spec: str) -> ClipModel:
    return ClipModel.load(tiny_clip_spec, "cpu")


@pytest.fixture(scope="module")
def towers(tmp_path_factory: pytest.TempPathFactory, model: ClipModel) -> Path:
    root = tmp_path_factory.mktemp("towers")
    assert text_onnx.export(model, text_onnx.folder_for(root, model.id))
    return root


def no_model() -> ClipModel:
    raise AssertionError("the model was loaded")


def test_the_exported_tower_gives_the_models_vectors(model, towers):
    tower = text_onnx.OnnxTextTower.open(text_onnx.folder_for(towers, model.id))
    assert tower is not None
    for batch in (TEXTS, TEXTS[:1], ["x " * 200]):  # any batch, any length, truncated
        np.testing.assert_allclose(tower.encode(batch), model.encode_texts(batch), atol=1e-5)


def test_new_then_repeated_queries_never_load_the_model(tmp_path, model, towers):
    with Catalog(tmp_path / "catalog.sqlite3") as catalog:
        vectors = QueryVectors(catalog, model.id, towers, no_model)
        found = vectors.get(TEXTS, model.dim)
        np.testing.assert_allclose(found, model.encode_texts(TEXTS), atol=1e-5)
        # Stored: answered again with no tower and no model at all.
        stored = QueryVectors(catalog, model.id, tmp_path / "no-towers", no_model)
        np.testing.assert_array_equal(stored.get(TEXTS, model.dim), found)


def test_without_a_tower_the_model_answers(tmp_path, model):
    with Catalog(tmp_path / "catalog.sqlite3") as catalog:
        vectors = QueryVectors(catalog, model.id, tmp_path / "none", lambda: model)
        np.testing.assert_array_equal(vectors.get(TEXTS, model.dim), model.encode_texts(TEXTS))


def test_new_weights_in_a_model_folder_get_a_new_tower(tmp_path, model):
    folder = tmp_path / "model"
    shutil.copytree(Path(model.id.removeprefix("local-dir:")), folder)
    model_id = f"local-dir:{folder}"
    before = text_onnx.folder_for(tmp_path, model_id)
    weights = folder / "open_clip_model.safetensors"
    weights.write_bytes(weights.read_bytes())  # replaced: same name, new file
    os.utime(weights, ns=(1, 1))
    assert text_onnx.folder_for(tmp_path, model_id) != before


def test_a_new_query_in_a_fresh_process_imports_no_torch(tmp_path, model, towers):
    script = f"""
import json, sys
from pathlib import Path
from photoorg.services.query_vectors import QueryVectors
from photoorg.store.catalog import Catalog
with Catalog(Path({str(tmp_path / "c.sqlite3")!r})) as catalog:
    def refuse():
        raise SystemExit("the model was loaded")
    vectors = QueryVectors(catalog, {model.id!r}, Path({str(towers)!r}), refuse)
    rows = vectors.get(["a green triangle"], {model.dim})
print(json.dumps({{"torch": "torch" in sys.modules, "row": rows[0].tolist()}}))
"""
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=True
    )
    result = json.loads(done.stdout)
    assert result["torch"] is False
    want = model.encode_texts(["a green triangle"])[0]
    np.testing.assert_allclose(result["row"], want, atol=1e-5)
