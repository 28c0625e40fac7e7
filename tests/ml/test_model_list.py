"""The curated model list: names open_clip knows, figures that match open_clip's own
way of counting, and ``here`` that looks at every file a model needs."""

from __future__ import annotations

import copy
from pathlib import Path

import open_clip
import pytest
import torch
from torch.utils.flop_counter import FlopCounterMode

from photoorg.ml import hub_text, model_list, weights
from photoorg.ml.spec import ModelSpec
from tests.support import tinyclip
from tests.support.tinymulti import ensure_tiny_multilingual

COMMIT = "0" * 40


def put_in_cache(cache: Path, repo: str, name: str) -> None:
    folder = cache / f"models--{repo.replace('/', '--')}"
    (folder / "refs").mkdir(parents=True, exist_ok=True)
    (folder / "refs" / "main").write_text(COMMIT)
    target = folder / "snapshots" / COMMIT / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"{}")


def test_the_list_holds_what_the_issue_names_and_open_clip_knows_each():
    names = [m.name for m in model_list.MODELS]
    for wanted in (
        "ViT-B-32:laion2b_s34b_b79k",
        "ViT-B-32-256:datacomp_s34b_b86k",
        "xlm-roberta-base-ViT-B-32:laion5b_s13b_b90k",
        "ViT-B-16-SigLIP-i18n-256:webli",
    ):
        assert wanted in names
    assert any("SigLIP2" in n for n in names) and any(
        n.startswith("nllb-clip-base-siglip") for n in names
    )
    for entry in model_list.MODELS:
        spec = ModelSpec.parse(entry.name)
        assert open_clip.get_pretrained_cfg(spec.arch, spec.pretrained), entry.name
        config = open_clip.get_model_config(spec.arch)
        assert config["embed_dim"] == entry.dim
        hf = bool({"hf_tokenizer_name", "hf_model_name"} & set(config["text_cfg"]))
        assert hf == entry.hf_text_tower, entry.name


def _profile(arch: str) -> tuple[float, float]:
    """(million parameters, image-tower GFLOPs), counted as open_clip's profile does,
    on the meta device: no weights, no memory."""
    config = copy.deepcopy(open_clip.get_model_config(arch))
    custom = config.pop("custom_text", False)
    with torch.device("meta"):
        model = (open_clip.CustomTextCLIP if custom else open_clip.CLIP)(**config)
    size = config["vision_cfg"]["image_size"]
    with FlopCounterMode(display=False) as counter:
        model.encode_image(torch.empty(1, 3, size, size, device="meta"))
    params = sum(p.numel() for p in model.parameters()) / 1e6
    return params, counter.get_total_flops() / 1e9


@pytest.mark.parametrize(
    "entry",
    # A transformers text tower needs its config from the hub to be built: not here.
    [
        m
        for m in model_list.MODELS
        if "hf_model_name" not in open_clip.get_model_config(m.name.split(":")[0])["text_cfg"]
    ],
    ids=lambda m: m.name,
)
def test_figures_match_the_profile_counted_from_open_clip_s_config(entry):
    params, gflops = _profile(entry.name.split(":")[0])
    assert params == pytest.approx(entry.params_m, abs=0.01)
    assert gflops == pytest.approx(entry.image_gflops, abs=0.01)


def test_json_rows_have_the_documented_fields(hub_cache):
    rows = model_list.listing()
    assert [r["name"] for r in rows] == [m.name for m in model_list.MODELS]
    for row in rows:
        assert {
            "name",
            "languages",
            "image_gflops",
            "dim",
            "imagenet_zero_shot",
            "download_mb",
            "here",
        } <= set(row)
        assert row["here"] is False  # an empty cache
        assert row["download_mb"] > 500


def _put_weights(cache: Path, name: str) -> None:
    files = weights.hub_files(ModelSpec.parse(name))
    assert files is not None
    put_in_cache(cache, files.repo, files.choices[0][0])


def test_here_needs_the_weights_and_for_a_hugging_face_text_tower_its_tokenizer(hub_cache):
    assert not model_list.is_here("ViT-B-32-256:datacomp_s34b_b86k")
    _put_weights(hub_cache, "ViT-B-32-256:datacomp_s34b_b86k")
    assert model_list.is_here("ViT-B-32-256:datacomp_s34b_b86k")

    xlm = "xlm-roberta-base-ViT-B-32:laion5b_s13b_b90k"
    _put_weights(hub_cache, xlm)
    assert hub_text.missing_repos(ModelSpec.parse(xlm)) == ["xlm-roberta-base"]
    assert not model_list.is_here(xlm)  # weights alone: the tokenizer would be fetched
    put_in_cache(hub_cache, "xlm-roberta-base", "tokenizer_config.json")
    assert not model_list.is_here(xlm)  # and the transformer's config.json too
    put_in_cache(hub_cache, "xlm-roberta-base", "config.json")
    assert model_list.is_here(xlm)


def test_siglip_tokenizers_come_from_their_own_repository(hub_cache):
    spec = ModelSpec.parse("ViT-B-16-SigLIP-i18n-256:webli")
    files = hub_text.text_tower_files(spec)
    assert files is not None and files.repos == ["timm/ViT-B-16-SigLIP-i18n-256"]
    assert files.config_repo is None  # open_clip's own transformer: no config to fetch


def test_a_local_folder_model_needs_nothing_from_the_hub(hub_cache):
    folder = ensure_tiny_multilingual()
    spec = ModelSpec.parse(tinyclip.local_dir_spec(folder))
    assert hub_text.text_tower_files(spec) is None
    assert hub_text.missing_repos(spec) == []


def test_the_default_follows_the_language_and_the_figures():
    english, chinese = model_list.default_for("en_US"), model_list.default_for("zh_CN")
    assert model_list.find(english).languages == model_list.ENGLISH
    assert model_list.find(chinese).languages == model_list.MULTILINGUAL
    # the Chinese default is the best at Chinese retrieval among models at most twice
    # the old default's image cost
    old = model_list.find("ViT-B-32:laion2b_s34b_b79k")
    affordable = [
        m for m in model_list.MODELS if m.image_gflops <= 2 * old.image_gflops and m.zh_retrieval
    ]
    assert max(affordable, key=lambda m: m.zh_retrieval).name == chinese
    english_choice = [m for m in affordable if m.languages == model_list.ENGLISH]
    assert max(english_choice, key=lambda m: m.imagenet_zero_shot).name == english


def test_the_offline_check_and_its_message_cover_the_tokenizer(hub_cache):
    xlm = "xlm-roberta-base-ViT-B-32:laion5b_s13b_b90k"
    _put_weights(hub_cache, xlm)
    spec = ModelSpec.parse(xlm)
    assert weights.missing(spec)  # the weights are here, the tokenizer is not
    message = weights.cannot_fetch(spec, ConnectionError("no network"))
    assert "tokenizer files of xlm-roberta-base" in message
    put_in_cache(hub_cache, "xlm-roberta-base", "tokenizer_config.json")
    put_in_cache(hub_cache, "xlm-roberta-base", "config.json")
    assert not weights.missing(spec)
