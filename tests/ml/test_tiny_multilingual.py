"""A model with a Hugging Face text tower, end to end: loaded offline through
``local-dir:``, Chinese and English queries ranked as open_clip ranks them, and a
Chinese label tagging like its English twin."""

from __future__ import annotations

import numpy as np
import open_clip
import pytest
import torch
from PIL import Image

from photoorg.ml.model import ClipModel
from photoorg.model.label import Label
from photoorg.services.library import Library
from photoorg.services.tagging.label_sets import to_toml
from tests.support import scenes as sc
from tests.support import tinyclip
from tests.support.tinymulti import ensure_tiny_multilingual, zh_caption

PER_SCENE = 3


@pytest.fixture(scope="module")
def offline():
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")
        mp.setenv("TRANSFORMERS_OFFLINE", "1")
        yield


@pytest.fixture(scope="module")
def multi_spec(offline):
    return tinyclip.local_dir_spec(ensure_tiny_multilingual())


@pytest.fixture(scope="module")
def indexed(tmp_path_factory, multi_spec):
    base = tmp_path_factory.mktemp("multilingual")
    truth = sc.write_library(base / "photos", PER_SCENE * 36, seed=23, size=128)
    # fp32: this compares the multilingual text path with open_clip's own computation;
    # reduced image precision has its own fidelity test (tests/ml/test_precision.py).
    with Library(base / "catalog", model=multi_spec, device="cpu", precision="fp32") as library:
        (base / "labels.toml").write_text(to_toml([]), encoding="utf-8")
        library.tagging.import_labels(base / "labels.toml", replace=True)
        assert library.index([base / "photos"])["encoded"] == len(truth)
        library.truth = {library.photo_id(p): s for p, s in truth}
        yield library, base


def _queries() -> list[tuple[str, str, tinyclip.Query]]:
    return [
        (q.text, zh_caption(q.colour, q.shape, q.background), q) for q in tinyclip.all_queries()
    ]


def test_the_model_loads_offline_with_its_own_tokenizer(multi_spec):
    model = ClipModel.load(multi_spec, device="cpu")
    assert type(model.tokenizer).__name__ == "HFTokenizer"
    assert model.encode_texts(["红色圆形", "a red circle"]).shape == (2, model.dim)


def test_chinese_and_english_queries_rank_as_open_clip_does(indexed, multi_spec, capsys):
    library, _ = indexed
    model, _, preprocess = open_clip.create_model_and_transforms(multi_spec)
    tokenizer = open_clip.get_tokenizer(multi_spec)
    model.eval()
    ids = sorted(library.truth)
    paths = [library.info(i)["path"] for i in ids]
    with torch.inference_mode():
        images = torch.stack([preprocess(Image.open(p).convert("RGB")) for p in paths])
        image_features = model.encode_image(images, normalize=True).numpy()
    queries = [text for en, zh, _ in _queries() for text in (en, zh)]
    with torch.inference_mode():
        text_features = model.encode_text(tokenizer(queries), normalize=True).numpy()
    same = 0
    for text, vector in zip(queries, text_features, strict=True):
        theirs = {paths[k] for k in np.argsort(-(image_features @ vector), kind="stable")[:10]}
        ours = {h.path for h in library.search(text, limit=10, min_score=-1)}
        same += ours == theirs
    with capsys.disabled():
        print(f"\n  top 10s equal to open_clip's: {same} of {len(queries)} queries")
    assert same / len(queries) >= 0.95, f"{same} of {len(queries)} top 10s agree"


@pytest.mark.parametrize(
    ("colour", "shape"), [("red", "circle"), ("blue", "triangle"), ("yellow", "square")]
)
def test_a_chinese_query_finds_what_its_english_twin_finds(indexed, colour, shape):
    library, _ = indexed
    truth = library.truth
    zh = zh_caption(colour, shape, None)
    chinese = library.search(zh, limit=PER_SCENE * 3, min_score=-1)
    english = library.search(f"a {colour} {shape}", limit=PER_SCENE * 3, min_score=-1)
    right = [truth[library.photo_id(h.path)].matches(colour, shape) for h in chinese]
    assert sum(right) >= PER_SCENE * 3 - 1, (zh, right)
    assert len({h.path for h in chinese} & {h.path for h in english}) >= PER_SCENE * 3 - 2


def test_a_chinese_label_tags_like_its_english_twin(indexed, capsys):
    library, base = indexed
    english = [
        Label(
            name=c,
            prompts=("a {} shape", "a photo of a {} shape."),
            threshold=-1.0,
            exclusive_group="colour",
        )
        for c in sc.COLOURS
    ]
    chinese = [
        Label(
            name=zh_caption(c, None, None).removesuffix("形状"),
            prompts=("{}形状", "一张{}形状的照片"),
            threshold=-1.0,
            exclusive_group="颜色",
        )
        for c in sc.COLOURS
    ]
    (base / "labels.toml").write_text(to_toml(english + chinese), encoding="utf-8")
    library.tagging.import_labels(base / "labels.toml", replace=True)
    library.tagging.tag()
    twin = {zh.name: en.name for en, zh in zip(english, chinese, strict=True)}
    agree = right = 0
    for photo, scene in library.truth.items():
        names = {t["label"] for t in library.tagging.tags(photo)}
        (en,) = names & set(twin.values())
        (zh,) = names & set(twin)
        agree += twin[zh] == en
        right += twin[zh] == scene.colour
    n = len(library.truth)
    with capsys.disabled():
        print(f"\n  Chinese label = English twin on {agree} of {n}; right colour on {right}")
    assert agree / n >= 0.95 and right / n >= 0.9, (agree, right, n)


def test_chinese_minus_terms_and_filters_work_as_english_ones(indexed):
    library, _ = indexed
    truth = library.truth
    hits = library.search("红色圆形 - 黑色背景", limit=PER_SCENE * 2)
    assert hits
    assert all(truth[library.photo_id(h.path)].background != "black" for h in hits)
    english = library.search("red circle - black background", limit=PER_SCENE * 2)
    # The photos the English query finds: the two text towers differ a little, so a near
    # tie may swap two of them or trade the last one (seen: places 5 and 6 swapped).
    shared = {h.path for h in hits} & {h.path for h in english}
    assert len(shared) >= len(english) - 1
    scenes = [truth[library.photo_id(h.path)] for h in hits]
    # Ground truth without betting on one photo: which red shape comes first varies with
    # the trained weights (a red square led on one training), the majority does not.
    assert all(scene.colour == "red" for scene in scenes)
    assert sum(scene.matches("red", "circle") for scene in scenes) > len(scenes) / 2
