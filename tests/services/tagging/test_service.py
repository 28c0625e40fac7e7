"""Tagging with the tiny trained CLIP on generated scenes: zero-shot as open_clip does it,
prompt edits without re-encoding, decisions that survive, labels learned from examples."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import open_clip
import pytest
from PIL import Image

from photoorg.ml.model import ClipModel
from photoorg.model.label import Label
from photoorg.services.library import Library
from photoorg.services.tagging.label_sets import to_toml
from photoorg.store import embeddings
from tests.support import scenes as sc

PER_SCENE = 6
COLOURS = list(sc.COLOURS)
SHAPES = list(sc.SHAPES)
TEMPLATES = ("a photo of a {}.", "a {}.", "a photo of the {}.", "a close-up photo of a {}.")


def use_labels(library: Library, labels: list[Label], tmp: Path) -> None:
    path = tmp / "labels.toml"
    path.write_text(to_toml(labels), encoding="utf-8")
    library.tagging.import_labels(path, replace=True)


@pytest.fixture(scope="module")
def indexed(tmp_path_factory, tiny_clip_spec):
    """One generated library, scanned and encoded once; tests work on copies."""
    base = tmp_path_factory.mktemp("tagging")
    truth = sc.write_library(base / "photos", PER_SCENE * 36, seed=11, size=96)
    with Library(base / "catalog", model=tiny_clip_spec) as library:
        use_labels(library, [], base)  # no default labels: the tests choose theirs
        library.index([base / "photos"])
    return base, {str(p): s for p, s in truth}


@pytest.fixture
def lib(indexed, tmp_path, tiny_clip_spec):
    base, truth = indexed
    shutil.copytree(base / "catalog", tmp_path / "catalog")
    with Library(tmp_path / "catalog", model=tiny_clip_spec) as library:
        library.truth = {library.photo_id(p): s for p, s in truth.items()}
        yield library


def truth_of(lib, attribute):
    return {i: getattr(s, attribute) for i, s in lib.truth.items()}


def carried(lib, label):
    rows = lib.catalog.read.execute(
        "SELECT t.photo_id FROM tags t JOIN labels l ON l.id = t.label_id "
        "WHERE l.name = ? AND t.source != 'rejected'",
        [label],
    )
    return {r[0] for r in rows}


def winners(lib, names):
    """Each photo's label among ``names`` (an exclusive group gives at most one)."""
    out = {}
    for name in names:
        for photo in carried(lib, name):
            assert photo not in out, "an exclusive group gave a photo two labels"
            out[photo] = name
    return out


def group_labels(names, group):
    return [Label(name=n, prompts=TEMPLATES, threshold=-1.0, exclusive_group=group) for n in names]


@pytest.fixture
def no_image_encoding(monkeypatch):
    def refuse(self, batch):
        raise AssertionError("a photo was re-encoded")

    monkeypatch.setattr(ClipModel, "encode_images", refuse)


# -- zero-shot, as open_clip classifies ---------------------------------------------------


def test_ensembles_are_open_clip_s_zero_shot_classifier(lib):
    names = COLOURS + SHAPES
    use_labels(lib, [Label(name=n, prompts=TEMPLATES) for n in names], lib.paths.home)
    tagging = lib.tagging
    snapshot = tagging._snapshot()
    stored = tagging._stored_labels()
    ours = tagging.engine.classifiers(stored, snapshot, tagging.state.current(lib.catalog.read))
    model = lib.model()
    theirs = open_clip.build_zero_shot_classifier(
        model.model, model.tokenizer, [s.label.name for s in stored], list(TEMPLATES), device="cpu"
    )
    assert np.abs(ours.matrix[: len(stored)] - theirs.numpy().T).max() < 1e-5


def test_zero_shot_tagging_reaches_open_clip_s_accuracy(lib, no_image_encoding, capsys):
    use_labels(lib, group_labels(COLOURS, "colour") + group_labels(SHAPES, "shape"), lib.paths.home)
    lib.tagging.tag()
    model = lib.model()
    snapshot = lib.tagging._snapshot()
    results = {}
    for attribute, names in (("colour", COLOURS), ("shape", SHAPES)):
        truth = truth_of(lib, attribute)
        ours = winners(lib, names)
        assert set(ours) == set(truth)  # threshold -1: every photo gets one
        our_accuracy = np.mean([ours[i] == truth[i] for i in truth])
        weights = open_clip.build_zero_shot_classifier(
            model.model, model.tokenizer, names, list(TEMPLATES), device="cpu"
        ).numpy()
        predicted = np.array(names)[(snapshot.matrix @ weights).argmax(axis=1)]
        their_accuracy = np.mean(
            [predicted[k] == truth[int(i)] for k, i in enumerate(snapshot.ids)]
        )
        results[attribute] = (our_accuracy, their_accuracy)
        assert abs(our_accuracy - their_accuracy) <= 0.01
        probabilities = [
            t["probability"] for i in truth for t in lib.tagging.tags(i) if t["label"] in names
        ]
        assert probabilities and all(1 / len(names) <= p <= 1 for p in probabilities)
    with capsys.disabled():
        print(f"\n  zero-shot accuracy, ours vs open_clip's classifier: {results}")
    assert results["colour"][0] >= 0.9  # the tiny model knows its colours


# -- prompts, decisions, rescans, models ----------------------------------------------------


def test_editing_a_prompt_changes_the_photos_without_encoding_any(lib, no_image_encoding):
    tagging = lib.tagging
    use_labels(lib, [Label(name="thing", prompts=("a photo of a red shape.",))], lib.paths.home)
    tagging.tag()
    colour = truth_of(lib, "colour")
    red = {i for i, c in colour.items() if c == "red"}
    blue = {i for i, c in colour.items() if c == "blue"}
    assert len(carried(lib, "thing") & red) >= 0.8 * len(red)
    assert len(carried(lib, "thing") & blue) <= 0.1 * len(blue)
    tagging.update_label("thing", Label(name="thing", prompts=("a photo of a blue shape.",)))
    result = tagging.tag()
    assert result["thing"]["added"] > 0 and result["thing"]["removed"] > 0
    assert len(carried(lib, "thing") & blue) >= 0.8 * len(blue)
    assert len(carried(lib, "thing") & red) <= 0.1 * len(red)


def test_first_tagging_embeds_prompts_with_progress_and_a_cancel_keeps_them(lib, monkeypatch):
    """A new label set's prompts go through the text tower in steps the user sees and can
    stop; what was embedded before the cancel is not embedded again."""
    from photoorg.services.jobs import Cancelled, CancelToken
    from photoorg.services.tagging import learning
    from photoorg.services.tagging import service as tagging_module

    names = [f"{c} {s}" for c in COLOURS for s in SHAPES]
    use_labels(lib, [Label(name=n, prompts=TEMPLATES) for n in names], lib.paths.home)
    texts = len(names) * len(TEMPLATES) + len(learning.NEUTRAL_PROMPTS)  # and the baseline
    monkeypatch.setattr(tagging_module, "PROMPT_CHUNK", 16)  # a few steps for 48 prompts
    cancel = CancelToken()
    seen: list[tuple[int, int]] = []

    def progress(phase, done, total):
        if phase == "embedding labels":
            seen.append((done, total))
            if done > 0:
                cancel.cancel()  # after the first step

    with pytest.raises(Cancelled):
        lib.tagging.tag(progress=progress, cancel=cancel)
    assert seen[0] == (0, texts)
    stored = lib.catalog.read.execute("SELECT count(*) FROM text_embeddings").fetchone()[0]
    assert stored == tagging_module.PROMPT_CHUNK
    steps: list[tuple[int, int]] = []

    def record(phase, done, total):
        if phase == "embedding labels":
            steps.append((done, total))

    result = lib.tagging.tag(progress=record)
    assert steps[0] == (0, texts - stored) and steps[-1] == (texts - stored, texts - stored)
    assert sum(r["total"] for r in result.values()) > 0  # and the tagging went on to the end


def sources(lib, photo, label):
    return {t["source"] for t in lib.tagging.tags(photo) if t["label"] == label}


def test_decisions_survive_retagging_rescans_and_a_model_change(lib, tiny_clip_dir, tmp_path):
    tagging = lib.tagging
    use_labels(lib, [Label(name="red", prompts=("a photo of a red shape.",))], lib.paths.home)
    tagging.tag()
    colour = truth_of(lib, "colour")
    red = sorted(i for i, c in colour.items() if c == "red")
    green = sorted(i for i, c in colour.items() if c == "green")
    tagging.set_decision(red[:2], "red", "rejected")
    tagging.set_decision(green[:1], "red", "manual")
    tagging.set_decision(red[2:4], "red", "confirmed")

    def check():
        assert all(sources(lib, i, "red") == {"rejected"} for i in red[:2])
        assert sources(lib, green[0], "red") == {"manual"}
        assert all(sources(lib, i, "red") == {"confirmed"} for i in red[2:4])

    check()
    tagging.tag()
    check()
    # A rescan in which one of these photos changed content: only automatic tags go.
    path = Path(lib.info(red[0])["path"])
    sc.render(sc.Scene("red", "square", "white"), size=96, rng=np.random.default_rng(5)).save(
        path, "JPEG"
    )
    lib.index()
    check()
    # Another model (here the same weights in another folder: a different model id).
    other = tmp_path / "other-model"
    shutil.copytree(tiny_clip_dir, other)
    with Library(lib.paths.home, model=f"local-dir:{other}") as switched:
        switched.index()
        assert switched.status()["model"] == f"local-dir:{other.resolve()}"
        switched.tagging.tag()
        for i in red[:2]:
            assert sources(switched, i, "red") == {"rejected"}
        assert sources(switched, green[0], "red") == {"manual"}
        assert len(carried(switched, "red") & set(red)) >= 0.8 * len(red)


def test_indexing_tags_new_photos(lib, tmp_path):
    use_labels(lib, [Label(name="yellow", prompts=("a photo of a yellow shape.",))], lib.paths.home)
    lib.tagging.tag()
    before = carried(lib, "yellow")
    new = sc.write_library(
        tmp_path / "new", 8, seed=3, size=96, scenes=[sc.Scene("yellow", "circle", "black")]
    )
    lib.index([tmp_path / "new"])
    new_ids = {lib.photo_id(p) for p, _ in new}
    assert new_ids <= carried(lib, "yellow")
    assert carried(lib, "yellow") - new_ids == before


# -- learning from examples ----------------------------------------------------------------


def f1(tagged: set[int], truth: set[int], among: set[int]) -> float:
    hits = len(tagged & truth & among)
    found, wanted = len(tagged & among), len(truth & among)
    return 2 * hits / (found + wanted) if found + wanted else 1.0


def best_possible_f1(lib, truth: set[int]) -> float:
    """What the embedding itself allows: F1 of the centroid of *every* positive photo,
    at its best threshold. An upper reference for a learner given a few examples; it
    moves with the trained weights, which is why the test compares with it."""
    ids, vectors = embeddings.load_all(lib.catalog.read, lib.model_name_id(), lib.model().dim)
    centroid = vectors[[i in truth for i in ids.tolist()]].mean(axis=0)
    ranked = ids[np.argsort(-(vectors @ centroid))].tolist()
    return max(
        2 * len(truth & set(ranked[:n])) / (n + len(truth)) for n in range(1, len(ranked) + 1)
    )


def test_a_label_no_prompt_describes_is_learned_from_examples(lib, no_image_encoding, capsys):
    """ "kayak" means nothing to the tiny text tower; here it means the yellow triangles.

    Asserted as relations, since how well a few examples can do depends on how well the
    trained model separates yellow triangles (it differs between trainings and CPUs):
    each example more helps, and five learn a fair share of what the embedding allows.
    Scored by F1, not accuracy: with one photo in twelve a yellow triangle, tagging
    nothing scored an accuracy of 0.92."""
    tagging = lib.tagging
    use_labels(lib, [Label(name="kayak")], lib.paths.home)
    kayak = {i for i, s in lib.truth.items() if (s.colour, s.shape) == ("yellow", "triangle")}
    everything = set(lib.truth)
    yellow = np.array(sorted(kayak))
    quality = {}
    for k in (0, 1, 3, 5):
        scores = []
        for draw in range(10):
            examples = np.random.default_rng(draw).choice(yellow, k, replace=False).tolist()
            tagging.set_decision(list(everything), "kayak", None, retag=False)
            tagging.set_decision(examples, "kayak", "confirmed")
            scores.append(f1(carried(lib, "kayak"), kayak, everything - set(examples)))
        quality[k] = float(np.mean(scores))
    ceiling = best_possible_f1(lib, kayak)
    with capsys.disabled():
        print(f"\n  'kayak' (yellow triangles) F1 on held-out photos by examples: {quality}")
        print(f"  the best F1 the embedding allows (centroid of all of them): {ceiling:.3f}")
    # Measured: 5 examples reach 0.71 of a ceiling of 1.0 on one trained model, 0.59 of 1.0
    # on another (seed 101) and 0.39 of 0.86 on a third (seed 99); 0, 1 and 3 examples
    # ~0, 0-0.18, 0.25-0.30. Tagging every photo would score 0.15.
    assert quality[0] <= quality[1] < quality[3] < quality[5]  # one example may not be enough
    assert quality[5] >= 0.4 * ceiling


# -- evidence against a neutral prompt (issue 12, section 3) ---------------------------------

SCENE_WORDS = {*sc.COLOURS, *sc.SHAPES, *sc.BACKGROUNDS, "shape", "background"}


def pictures_of_nothing(folder: Path, n: int) -> list[Path]:
    """Pixel noise and flat grey: nothing the tiny model was taught to see."""
    folder.mkdir(parents=True)
    rng = np.random.default_rng(77)
    out = []
    for i in range(n):
        if i % 2:
            pixels = rng.integers(0, 256, (96, 96, 3), dtype=np.uint8)
        else:
            pixels = np.full((96, 96, 3), int(rng.integers(0, 256)), np.uint8)
        path = folder / f"nothing_{i}.png"
        Image.fromarray(pixels).save(path)
        out.append(path)
    return out


def auto_pairs(lib) -> set[tuple[int, str]]:
    rows = lib.catalog.read.execute(
        "SELECT t.photo_id, l.name FROM tags t JOIN labels l ON l.id = t.label_id "
        "WHERE t.source = 'auto'"
    )
    return {(r[0], r[1]) for r in rows}


def test_an_unsure_model_tags_little_and_keeps_what_it_sees(lib, tmp_path, monkeypatch, capsys):
    """The default labels name nothing the tiny model knows, so every tag they give is
    wrong: with the library-read thresholds alone a noise picture got 60-80 of them (the
    issue: ~55 on a real photo the model did not understand). Scene labels' ground truth
    must survive the neutral baseline."""
    from photoorg.services.tagging import learning
    from photoorg.services.tagging.label_sets import default_labels

    paths = pictures_of_nothing(tmp_path / "nothing", 6)
    lib.index([tmp_path / "nothing"])
    nothing = {lib.photo_id(p) for p in paths}
    unknown = [x for x in default_labels() if not SCENE_WORDS & set(" ".join(x.texts()).split())]
    known = [Label(name=n, prompts=TEMPLATES) for n in COLOURS + SHAPES]
    known += [Label(name=f"{b} background", prompts=("a {}.",)) for b in sc.BACKGROUNDS]
    use_labels(lib, unknown + known, lib.paths.home)
    unknown_names = {x.name for x in unknown}
    truth = {
        (i, name)
        for i, s in lib.truth.items()
        for name in (s.colour, s.shape, f"{s.background} background")
    }

    def figures() -> dict[str, float]:
        pairs = auto_pairs(lib)
        wrong = [(i, name) for i, name in pairs if name in unknown_names]
        on_scenes = {(i, name) for i, name in pairs if i in lib.truth and name not in unknown_names}
        return {
            "pairs": pairs,
            "nothing": sum(i in nothing for i, _ in wrong) / len(nothing),
            "nothing_max": max(sum(i == j for i, _ in wrong) for j in nothing),
            "scene": sum(i in lib.truth for i, _ in wrong) / len(lib.truth),
            "recall": len(on_scenes & truth) / len(truth),
            "precision": len(on_scenes & truth) / max(len(on_scenes), 1),
        }

    with monkeypatch.context() as patched:
        patched.setattr(learning, "NEUTRAL_PROMPTS", ())  # the rule before: thresholds only
        lib.tagging.tag()
        before = figures()
    lib.tagging.tag()
    after = figures()
    with capsys.disabled():
        shown = {k: (round(before[k], 3), round(after[k], 3)) for k in before if k != "pairs"}
        print(f"\n  auto tags, thresholds only -> with the neutral baseline: {shown}")
    assert after["pairs"] <= before["pairs"]  # evidence only ever takes tags away
    # Two models trained from different seeds: 30 -> 0.5 and 52 -> 4.8 tags per picture
    # of nothing (at most 1 and 7 of 127 labels), 50 -> 4.8 and 27 -> 1.4 per scene.
    assert after["nothing"] <= before["nothing"] / 4 + 1
    assert after["nothing_max"] <= len(unknown) / 8
    # Wrong tags on the scene photos: a quarter of before, or few anyway (one training
    # gave 2.0 without the baseline, 1.04 with it; another 50.8 and 4.8).
    assert after["scene"] <= max(before["scene"] / 4, 1.5)
    assert after["recall"] >= before["recall"] and after["precision"] >= before["precision"]


def test_retagging_without_the_model_works_from_the_stored_prompts(lib, monkeypatch):
    """A catalog tagged before the neutral baseline existed, whose model is gone: its
    labels' prompts are stored, so a re-tag works, with thresholds alone."""
    from photoorg.errors import ModelError
    from photoorg.services.tagging import learning

    use_labels(lib, [Label(name=n, prompts=TEMPLATES) for n in COLOURS], lib.paths.home)
    lib.tagging.tag()
    with_baseline = set(auto_pairs(lib))
    with lib.catalog.write() as db:
        marks = ", ".join("?" * len(learning.NEUTRAL_PROMPTS))
        db.execute(f"DELETE FROM text_embeddings WHERE text IN ({marks})", learning.NEUTRAL_PROMPTS)

    def no_model(self):
        raise ModelError("model files not found")

    monkeypatch.setattr(Library, "model", no_model)
    lib.tagging.tag()
    assert with_baseline <= set(auto_pairs(lib))  # the baseline only ever takes tags away
