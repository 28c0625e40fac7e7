"""Reduced precision keeps what search finds, and refuses a model it would distort."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import open_clip
import pytest
import torch
from torch import nn

from photoorg.errors import ModelError
from photoorg.media import decode as imaging
from photoorg.ml import precision
from photoorg.ml.model import ClipModel
from tests.support import scenes as sc
from tests.support.fidelity import top10_agreement
from tests.support.tinyclip import all_queries, text_variants

RENDERS = 10  # of each of the 36 scenes: a full caption's right answers are exactly 10


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("scenes")
    return [p for p, _ in sc.write_library(folder, 36 * RENDERS, seed=424242, size=128)]


@pytest.fixture(scope="module")
def pixels(tiny_clip_spec: str, library: list[Path]) -> torch.Tensor:
    model = ClipModel.load(tiny_clip_spec, "cpu")
    side = model.image_size
    decoded = [imaging.decode_upright(imaging.open_image(p.read_bytes()), side) for p in library]
    return torch.stack([model.prepare(image) for image in decoded])


@pytest.fixture(scope="module")
def reference(tiny_clip_spec: str, pixels: torch.Tensor) -> tuple[np.ndarray, np.ndarray]:
    """open_clip's own fp32 image and text vectors: what every precision is held to."""
    model, _, _ = open_clip.create_model_and_transforms(tiny_clip_spec)
    model.eval()
    tokenizer = open_clip.get_tokenizer(tiny_clip_spec)
    texts = [v for q in all_queries()[:36] for v in text_variants(q.text)]
    with torch.inference_mode():
        images = model.encode_image(pixels, normalize=True).numpy()
        queries = model.encode_text(tokenizer(texts), normalize=True).numpy()
    return images, queries


def offered() -> list[str]:
    return ["auto", *precision.candidates("auto", torch.device("cpu"))]


@pytest.mark.parametrize("requested", offered())
def test_reduced_precision_keeps_the_top_10(tiny_clip_spec, pixels, reference, requested):
    model = ClipModel.load(tiny_clip_spec, "cpu")
    choice = precision.apply(model, requested, pixels)
    if requested != "auto":
        assert choice.precision == requested, choice.note  # faithful: kept
    assert choice.cosine >= precision.FIDELITY
    vectors = model.encode_images(pixels)
    cosines = np.sum(vectors * reference[0], axis=1)
    assert cosines.min() >= precision.FIDELITY  # on every photo, not just the probe
    assert top10_agreement(vectors, *reference) >= 0.95


def break_int8(model: ClipModel) -> None:
    """Leave fp32 outputs as they are, but give every MLP one huge hidden activation.

    Dynamic int8 scales each activation tensor by its largest value, so the huge unit
    (which fp32 multiplies by zero) flattens every other one to 0: the outlier problem
    of real transformers, made certain.
    """
    for block in model.model.visual.transformer.resblocks:
        block.mlp.c_fc.bias.data[0] = 1e4
        block.mlp.c_proj.weight.data[:, 0] = 0


def test_an_unfaithful_int8_falls_back_to_fp32(tiny_clip_spec, pixels):
    model = ClipModel.load(tiny_clip_spec, "cpu")
    break_int8(model)
    fp32 = model.encode_images(pixels[:16])
    choice = precision.apply(model, "int8", pixels)
    assert choice.precision == "fp32"
    assert "int8: cosine" in choice.note
    np.testing.assert_allclose(model.encode_images(pixels[:16]), fp32, atol=1e-6)


def test_auto_never_keeps_an_unfaithful_choice(tiny_clip_spec, pixels):
    model = ClipModel.load(tiny_clip_spec, "cpu")
    break_int8(model)
    fp32 = model.encode_images(pixels)
    choice = precision.apply(model, "auto", pixels)
    assert choice.precision != "int8"
    assert np.sum(model.encode_images(pixels) * fp32, axis=1).min() >= precision.FIDELITY


@pytest.mark.parametrize("batch_first", [True, False])
def test_packed_attention_computes_what_multihead_attention_does(batch_first):
    torch.manual_seed(0)
    attention = nn.MultiheadAttention(32, 4, batch_first=batch_first).eval()
    packed = precision.PackedSelfAttention(attention).eval()
    x = torch.randn(3, 7, 32) if batch_first else torch.randn(7, 3, 32)
    causal = torch.ones(7, 7, dtype=torch.bool).triu(1)  # True = may not attend
    for mask in (None, causal, torch.zeros(7, 7).masked_fill(causal, float("-inf"))):
        with torch.inference_mode():
            want = attention(x, x, x, need_weights=False, attn_mask=mask)[0]
            got = packed(x, x, x, need_weights=False, attn_mask=mask)[0]
        torch.testing.assert_close(got, want, atol=1e-5, rtol=1e-4)


def test_packing_brings_the_attention_projections_into_int8(tiny_clip_spec):
    tower = ClipModel.load(tiny_clip_spec, "cpu").model.visual
    total = sum(p.numel() for p in tower.parameters())
    linear_only = sum(m.weight.numel() for m in tower.modules() if isinstance(m, nn.Linear))
    in_proj = sum(
        m.in_proj_weight.numel() for m in tower.modules() if isinstance(m, nn.MultiheadAttention)
    )
    assert in_proj > 0
    assert precision.coverage(tower, "int8") == pytest.approx((linear_only + in_proj) / total)


def test_names_and_devices():
    assert precision.candidates("fp32", torch.device("cpu")) == []
    assert precision.candidates("AUTO", torch.device("cuda")) == ["fp16"]
    assert precision.candidates("bf16", torch.device("cpu")) == ["bf16"]
    with pytest.raises(ModelError, match="unknown precision"):
        precision.check_name("int4")


def test_a_precision_is_chosen_once(tiny_clip_spec, pixels):
    model = ClipModel.load(tiny_clip_spec, "cpu")
    precision.apply(model, "fp32", pixels)
    if precision.int8_available():
        precision.apply(model, "int8", pixels)
        with pytest.raises(ModelError, match="load it again"):
            precision.apply(model, "int8", pixels)


def test_a_remembered_auto_choice_skips_the_race(tiny_clip_spec, pixels):
    remembered = precision.candidates("auto", torch.device("cpu"))[:1] or ["fp32"]
    model = ClipModel.load(tiny_clip_spec, "cpu")
    choice = precision.apply(model, "auto", pixels, remembered=remembered[0])
    assert choice.precision == remembered[0]
    assert not choice.raced  # nothing new to remember
    assert "when last measured" in choice.note


def test_a_remembered_choice_that_is_no_longer_faithful_is_raced_again(tiny_clip_spec, pixels):
    if not precision.int8_available():
        pytest.skip("this torch has no dynamic int8 quantization")
    model = ClipModel.load(tiny_clip_spec, "cpu")
    break_int8(model)
    choice = precision.apply(model, "auto", pixels, remembered="int8")
    assert choice.precision != "int8"
    assert "last measured" not in choice.note


def test_the_memory_key_names_the_model_torch_and_processor():
    key = precision.memory_key("local-dir:/m", torch.device("cpu"))
    assert key.startswith("precision:local-dir:/m|torch ")
    assert torch.backends.cpu.get_cpu_capability() in key
    assert key != precision.memory_key("local-dir:/other", torch.device("cpu"))
