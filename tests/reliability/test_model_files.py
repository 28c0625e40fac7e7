"""Model files: nothing runs when a model folder is read; bad folders are clear errors.

A planted checkpoint whose unpickling would write a marker file is put wherever a loader
might look (every name open_clip tries, disguised as safetensors, next to real weights);
the marker must never appear. The basic case lives in tests/ml/test_model.py.
"""

from __future__ import annotations

import json
import pickle
import shutil
from pathlib import Path

import pytest
import torch
from PIL import Image

from photoorg.errors import ModelError
from photoorg.ml.model import ClipModel
from tests.reliability import helpers

WEIGHTS = "open_clip_model.safetensors"
CONFIG = "open_clip_config.json"


class _Plant:
    """Unpickling this writes a marker file: proof that code ran."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _plant(path: Path, marker: Path) -> None:
    path.write_bytes(pickle.dumps(_Plant(str(marker))))


@pytest.fixture
def model_copy(tmp_path: Path, tiny_clip_dir: Path) -> Path:
    folder = tmp_path / "model"
    shutil.copytree(tiny_clip_dir, folder)
    return folder


def _load(folder: Path) -> ClipModel:
    return ClipModel.load(f"local-dir:{folder}", "cpu")


@pytest.fixture
def no_torch_load(monkeypatch):
    """Fail the test if anything calls torch.load (the unpickler) at all."""
    calls: list[str] = []

    def refuse(path, *args, **kwargs):
        calls.append(str(path))
        raise AssertionError(f"torch.load was called on {path}")

    monkeypatch.setattr(torch, "load", refuse)
    return calls


PICKLE_NAMES = [
    "open_clip_pytorch_model.bin",
    "open_clip_pytorch_model.pth",
    "pytorch_model.bin",
    "model.pth",
    "weights.pt",
    "epoch_32.ckpt",
]


@pytest.mark.parametrize("name", PICKLE_NAMES)
def test_pickled_checkpoint_alone_is_refused_and_never_run(model_copy, tmp_path, name):
    marker = tmp_path / "marker"
    (model_copy / WEIGHTS).unlink()
    _plant(model_copy / name, marker)
    with pytest.raises(ModelError, match="pickled"):
        _load(model_copy)
    assert not marker.exists()


@pytest.mark.parametrize("name", PICKLE_NAMES)
def test_safetensors_is_preferred_over_a_planted_pickle(model_copy, tmp_path, name, no_torch_load):
    marker = tmp_path / "marker"
    _plant(model_copy / name, marker)
    model = _load(model_copy)  # the real safetensors weights, the plant never opened
    assert model.encode_texts(["a red circle"]).shape == (1, model.dim)
    assert not marker.exists()
    assert no_torch_load == []


@pytest.mark.parametrize("safe_name", ["model.safetensors", "my-weights.safetensors"])
def test_unusually_named_safetensors_beside_a_pickle_is_refused(
    model_copy, tmp_path, safe_name, no_torch_load
):
    # open_clip would rank open_clip_pytorch_model.bin above these names and unpickle it.
    marker = tmp_path / "marker"
    (model_copy / WEIGHTS).rename(model_copy / safe_name)
    _plant(model_copy / "open_clip_pytorch_model.bin", marker)
    with pytest.raises(ModelError, match="pickled weights"):
        _load(model_copy)
    assert not marker.exists()
    assert no_torch_load == []


def test_pickle_disguised_as_safetensors_is_a_clear_error(model_copy, tmp_path, no_torch_load):
    marker = tmp_path / "marker"
    _plant(model_copy / WEIGHTS, marker)
    with pytest.raises(ModelError, match="cannot load the model in"):
        _load(model_copy)
    assert not marker.exists()


@pytest.mark.parametrize(
    "damage",
    ["truncated", "zeroed", "garbage-header"],
)
def test_damaged_safetensors_is_a_clear_error(model_copy, damage):
    path = model_copy / WEIGHTS
    data = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 3])
    elif damage == "zeroed":
        path.write_bytes(bytes(len(data)))
    else:
        path.write_bytes(b"\xff" * 8 + data[8:])
    with pytest.raises(ModelError, match="cannot load the model in"):
        _load(model_copy)


def _edit_config(folder: Path, edit) -> None:
    config = json.loads((folder / CONFIG).read_text())
    edit(config)
    (folder / CONFIG).write_text(json.dumps(config))


MISMATCHES = {
    "wider-vision": lambda c: c["model_cfg"]["vision_cfg"].update(
        width=c["model_cfg"]["vision_cfg"]["width"] * 2
    ),
    "more-text-layers": lambda c: c["model_cfg"]["text_cfg"].update(
        layers=c["model_cfg"]["text_cfg"]["layers"] + 1
    ),
    "other-embed-dim": lambda c: c["model_cfg"].update(embed_dim=c["model_cfg"]["embed_dim"] * 2),
    "other-patch-size": lambda c: c["model_cfg"]["vision_cfg"].update(patch_size=16),
    "no-text-tower": lambda c: c["model_cfg"].pop("text_cfg"),
    "model-cfg-not-a-table": lambda c: c.update(model_cfg=5),
    "no-model-cfg": lambda c: c.pop("model_cfg"),
    "unknown-option": lambda c: c["model_cfg"].update(bogus_option=1),
}


@pytest.mark.parametrize("kind", sorted(MISMATCHES))
def test_config_that_does_not_match_the_weights_is_a_clear_error(model_copy, kind):
    _edit_config(model_copy, MISMATCHES[kind])
    try:
        model = _load(model_copy)
    except ModelError as exc:
        message = str(exc)
        assert message.startswith(f"cannot load the model in {model_copy}"), message
        return
    # open_clip may ignore an option it does not know; then the model must still work.
    assert kind == "unknown-option"
    assert model.encode_texts(["a red circle"]).shape == (1, model.dim)


def test_config_that_is_not_json_is_a_clear_error(model_copy):
    (model_copy / CONFIG).write_text("{ not json")
    with pytest.raises(ModelError, match="cannot load the model in"):
        _load(model_copy)


def test_bad_model_through_the_command_line_is_one_line(model_copy, tmp_path):
    _edit_config(model_copy, MISMATCHES["no-text-tower"])
    photos = tmp_path / "photos"
    photos.mkdir()
    done = helpers.photoorg(
        "index",
        str(photos),
        "--model",
        f"local-dir:{model_copy}",
        "--catalog",
        str(tmp_path / "catalog"),
    )
    assert done.returncode == 1
    assert not helpers.has_traceback(done.stderr)
    first, *_ = done.stderr.strip().splitlines()
    assert first.startswith(f"photoorg: cannot load the model in {model_copy}")


def test_without_a_model_index_still_catalogues_and_encodes_later(model_copy, tmp_path):
    photos, catalog = tmp_path / "photos", tmp_path / "catalog"
    photos.mkdir()
    for i in range(3):
        Image.new("RGB", (40, 30), (80 * i, 90, 200)).save(photos / f"p{i}.jpg")
    absent = tmp_path / "not-downloaded-yet"
    args = ("--catalog", str(catalog), "--json")
    first = helpers.photoorg("index", str(photos), "--model", f"local-dir:{absent}", *args)
    assert first.returncode == 1  # not all done: the photos wait for the model
    assert not helpers.has_traceback(first.stderr)
    summary = json.loads(first.stdout)
    assert (summary["added"], summary["encoded"], summary["pending"]) == (3, 0, 3)
    assert str(absent) in summary["model_error"]
    assert "3 photos wait to be encoded" in first.stderr
    # The model arrives: the next index encodes what waited, without re-reading files.
    second = helpers.photoorg("index", "--model", f"local-dir:{model_copy}", *args)
    assert second.returncode == 0, second.stderr
    summary = json.loads(second.stdout)
    assert (summary["unchanged"], summary["encoded"], summary["pending"]) == (3, 3, 0)
