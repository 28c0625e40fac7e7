"""The tiny test CLIP understands its scenes, so other tests may rely on it.

It is loaded exactly as the app loads a model (open_clip's ``local-dir:`` name) and
judged on held-out pictures: a seed the training never used, drawn at 256 px and saved
as JPEG, so they also go through decode and resize.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import open_clip
import pytest
import torch

from tests.support import scenes as sc
from tests.support.tinyclip import (
    CONFIG_NAME,
    WEIGHTS_NAME,
    load_images,
    zero_shot_accuracy,
)

HELD_OUT_SEED = 424242  # training renders from TrainConfig.seed (1234)
LIBRARY_SIZE = 216  # each of the 36 scenes 6 times
# Measured (see tinyclip.py): 97.7 % overall, colour 100 %, shape 97.7 %, background
# 100 %. The thresholds sit a few points below, so a different CPU's rounding passes but
# a real regression does not.
MIN_OVERALL = 0.93
MIN_COLOUR = 0.98
MIN_SHAPE = 0.93
MIN_BACKGROUND = 0.98


@pytest.fixture(scope="module")
def loaded(tiny_clip_spec: str):
    model, _, preprocess = open_clip.create_model_and_transforms(tiny_clip_spec)
    model.eval()
    return model, preprocess, open_clip.get_tokenizer(tiny_clip_spec)


@pytest.fixture(scope="module")
def held_out(tmp_path_factory: pytest.TempPathFactory, loaded):
    _, preprocess, _ = loaded
    folder = tmp_path_factory.mktemp("held-out")
    library = sc.write_library(folder, LIBRARY_SIZE, seed=HELD_OUT_SEED, size=256)
    images = load_images([path for path, _ in library], preprocess)
    return images, [scene for _, scene in library]


@pytest.fixture(scope="module")
def image_vectors(loaded, held_out) -> np.ndarray:
    model, _, _ = loaded
    images, _ = held_out
    with torch.inference_mode():
        return model.encode_image(images, normalize=True).numpy()


def text_vector(loaded, text: str) -> np.ndarray:
    model, _, tokenizer = loaded
    with torch.inference_mode():
        return model.encode_text(tokenizer([text]), normalize=True)[0].numpy()


def test_folder_is_an_open_clip_local_dir(tiny_clip_dir: Path):
    config = json.loads((tiny_clip_dir / CONFIG_NAME).read_text(encoding="utf-8"))
    assert {"model_cfg", "preprocess_cfg"} <= config.keys()
    assert config["model_cfg"]["vision_cfg"]["image_size"] == sc.MODEL_SIZE
    assert (tiny_clip_dir / WEIGHTS_NAME).stat().st_size < 16 * 2**20


def test_tokenizer_comes_from_the_folder_config(loaded):
    _, _, tokenizer = loaded
    assert tokenizer(["a red circle"]).shape == (1, 16)


def test_zero_shot_accuracy_on_held_out_scenes(loaded, held_out):
    model, _, tokenizer = loaded
    images, truth = held_out
    result = zero_shot_accuracy(model, tokenizer, images, truth)
    assert result.colour >= MIN_COLOUR, result
    assert result.shape >= MIN_SHAPE, result
    assert result.background >= MIN_BACKGROUND, result
    assert result.overall >= MIN_OVERALL, result


@pytest.mark.parametrize(("colour", "shape"), list(itertools.product(sc.COLOURS, sc.SHAPES)))
def test_colour_and_shape_queries_rank_right_pictures_first(
    loaded, held_out, image_vectors, colour, shape
):
    _, truth = held_out
    scores = image_vectors @ text_vector(loaded, sc.partial_caption(colour, shape))
    top = np.argsort(-scores)[:10]
    right = [truth[i].matches(colour=colour, shape=shape) for i in top]
    assert sum(right) >= 9, [truth[i] for i in top]


@pytest.mark.parametrize("background", list(sc.BACKGROUNDS))
def test_background_queries_separate_backgrounds(loaded, held_out, image_vectors, background):
    _, truth = held_out
    scores = image_vectors @ text_vector(loaded, sc.partial_caption(background=background))
    on = np.array([scene.background == background for scene in truth])
    # Every picture on that background scores above every picture on another one.
    assert scores[on].min() > scores[~on].max()


def test_logit_scale_is_sensible(loaded):
    model, _, _ = loaded
    scale = model.logit_scale.exp().item()
    assert 5.0 <= scale <= 100.0
