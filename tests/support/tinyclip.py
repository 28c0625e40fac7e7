"""A tiny open_clip CLIP that the test suite trains itself on generated scenes.

Why: search and tagging tests must assert real results ("a red circle" finds red
circles), which needs a model that understands something, yet the build machines have
no internet and must never download weights. So the tests train a few-layer CLIP on
the pictures of ``scenes.py`` and save it in open_clip's ``local-dir:`` layout, which
the app then loads through exactly the code path it uses for real models::

    model, _, preprocess = open_clip.create_model_and_transforms("local-dir:" + str(path))
    tokenizer = open_clip.get_tokenizer("local-dir:" + str(path))

Model: a 64 px ViT (8 px patches, width 64, 3 layers) and a one-layer text tower
(width 64, context 16, open_clip's standard 49,408-token BPE vocabulary), embed dim 64.
That is narrower than DESIGN.md's example (width 128, more text layers) because of the
time budget: on 2 busy cores a width-128 step costs 3x as much, and shape (the hard
attribute) needs ~600 steps whatever the width (at 450 steps shape accuracy fell from
~97 % to ~85 %).

Training: CLIP's symmetric contrastive loss (``open_clip.loss.ClipLoss``) on one
picture of each of the 36 scenes per step against their full captions, plus a
multi-positive contrastive term over partial captions ("a red circle", "a black
background", "a red shape on a black background"), a few prompt templates ("a photo
of a red circle.", open_clip's ``SIMPLE_IMAGENET_TEMPLATES``) and distractor captions
of unknown words, so that search and tagging tests can use such queries. ClipLoss alone
cannot express a caption with several right pictures in one batch. Pictures are
rendered once into a pool (64 to 256 px, half through JPEG, all through the model's
own preprocess) and batches are drawn from it with flips; a random frozen token table
saves the optimiser work on 49,408 rows.

Measured (torch 2.14 CPU, 1 thread, on a 2-core machine that other jobs kept busy):
training took 139 s of CPU time (2-4 min wall, depending on the other jobs); the saved
folder is 6.5 MB. Zero-shot on 216 held-out 256 px JPEG scenes (seed 424242; image ->
the right one of the 36 full captions): 97.7 % overall, colour 100 %, shape 97.7 %,
background 100 % (the misses are circles taken for squares and back). On other
held-out sets (64, 96, 512 px): 95.4-97.7 % overall, colour and background 100 %.
Every "a <colour> <shape>" query puts >= 9 right pictures in its top 10 of 216;
"a <background> background" scores every picture on it above every other one
(margin >= 0.25 cosine); logit scale 17.8.
``tests/ml/test_tiny_clip.py`` asserts thresholds a few points below these.

The trained folder is cached (see ``ensure_tiny_clip``) under a key that hashes the
training parameters and the source of this file and of ``scenes.py``, so changing
either retrains. ``scripts/make-tiny-clip`` writes one to any folder.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import math
import os
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import open_clip
import torch
import torch.nn.functional as F
from open_clip.transform import PreprocessCfg, image_transform_v2
from open_clip.zero_shot_metadata import SIMPLE_IMAGENET_TEMPLATES
from PIL import Image
from safetensors.torch import save_file

from tests.support import scenes as sc

LOCAL_DIR_PREFIX = "local-dir:"
CONFIG_NAME = "open_clip_config.json"
WEIGHTS_NAME = "open_clip_model.safetensors"
INFO_NAME = "tiny_clip_info.json"
ENV_CACHE_ROOT = "PHOTOORG_TINY_CLIP_DIR"
ENV_THREADS = "PHOTOORG_TINY_CLIP_THREADS"
DEFAULT_CACHE_ROOT = Path(__file__).resolve().parents[1] / ".cache"

#: open_clip ``model_cfg`` of the tiny model (what goes into ``open_clip_config.json``).
MODEL_CFG: dict[str, Any] = {
    "embed_dim": 64,
    "vision_cfg": {
        "image_size": sc.MODEL_SIZE,
        "patch_size": 8,
        "width": 64,
        "layers": 3,
        "head_width": 32,
        "mlp_ratio": 4.0,
    },
    "text_cfg": {
        "context_length": 16,
        "vocab_size": 49408,
        "width": 64,
        "heads": 4,
        "layers": 1,
    },
}

#: open_clip ``preprocess_cfg``: OpenAI's mean/std, so a caller who ignores it still matches.
PREPROCESS_CFG: dict[str, Any] = {
    "size": sc.MODEL_SIZE,
    "mean": list(open_clip.OPENAI_DATASET_MEAN),
    "std": list(open_clip.OPENAI_DATASET_STD),
    "interpolation": "bicubic",
    "resize_mode": "shortest",
}


@dataclass(frozen=True)
class TrainConfig:
    """Everything that decides the trained weights; hashed into the cache key."""

    seed: int = 1234
    steps: int = 600
    warmup_steps: int = 20
    lr: float = 2e-3
    weight_decay: float = 0.05
    images_per_scene: int = 1  # per step; ClipLoss sees the first of each (unique captions)
    pool_per_scene: int = 64  # pictures rendered per scene once, sampled from every step
    render_sizes: tuple[int, ...] = (64, 96, 128, 256)
    jpeg_fraction: float = 0.5
    canonical_text_prob: float = 0.5  # else one of the prompt templates
    partial_loss_weight: float = 1.0
    distractors: int = 16  # captions of unknown words per step, negatives for every picture
    freeze_token_embedding: bool = True


# ---------------------------------------------------------------------------
# Captions: every query the model is trained on


@dataclass(frozen=True)
class Query:
    """A (possibly partial) description; None means 'any'."""

    colour: str | None
    shape: str | None
    background: str | None

    @property
    def text(self) -> str:
        return sc.partial_caption(self.colour, self.shape, self.background)

    @property
    def group(self) -> tuple[bool, bool, bool]:
        """Which attributes the query names; queries of one group exclude each other."""
        return (self.colour is not None, self.shape is not None, self.background is not None)

    def matches(self, scene: sc.Scene) -> bool:
        return scene.matches(self.colour, self.shape, self.background)


def all_queries() -> list[Query]:
    """The 36 full captions first (in ``all_scenes()`` order), then every partial one."""
    colours: list[str | None] = [*sc.COLOURS, None]
    shapes: list[str | None] = [*sc.SHAPES, None]
    backgrounds: list[str | None] = [*sc.BACKGROUNDS, None]
    out = [Query(s.colour, s.shape, s.background) for s in sc.all_scenes()]
    for c in colours:
        for s in shapes:
            for b in backgrounds:
                q = Query(c, s, b)
                if any(q.group) and not all(q.group):
                    out.append(q)
    return out


def text_variants(text: str) -> list[str]:
    """The canonical caption first, then prompt-template variants of it.

    Why: apps phrase prompts in their own way ("a photo of a red circle.", open_clip's
    template lists for zero-shot tagging); training on a few keeps such prompts working.
    """
    bare = text.removeprefix("a ")
    return [
        text,
        bare,
        f"a photo of {text}",
        f"a photo of a {bare}.",
        *(template(bare) for template in SIMPLE_IMAGENET_TEMPLATES),
    ]


def _distractor_texts(rng: np.random.Generator, n: int) -> list[str]:
    """Captions made of random words from the tokenizer's vocabulary, none of ours.

    Why: trained only on its own 30-odd words, the model would map any text somewhere
    among the scenes; these negatives teach it that unknown words match no picture,
    so a search for "a dog on a beach" finds little.
    """
    known = {w for q in all_queries() for v in text_variants(q.text) for w in v.split()}
    words = [
        w
        for w in (t.removesuffix("</w>") for t in open_clip.SimpleTokenizer().encoder)
        if w.isalpha() and w.isascii() and len(w) > 2 and w not in known
    ]
    words.sort()
    out = []
    for _ in range(n):
        picked = [words[i] for i in rng.integers(0, len(words), int(rng.integers(1, 4)))]
        phrase = " ".join(picked)
        out.append(rng.choice([f"a {phrase}", phrase, f"a photo of a {phrase}.", f"an {phrase}"]))
    return out


# ---------------------------------------------------------------------------
# Model, training, saving


def build_model() -> open_clip.CLIP:
    """An untrained tiny CLIP with ``MODEL_CFG`` and its preprocess config attached."""
    model = open_clip.CLIP(**json.loads(json.dumps(MODEL_CFG)))
    open_clip.set_model_preprocess_cfg(model, dict(PREPROCESS_CFG))
    return model


def make_preprocess() -> Any:
    """The eval transform open_clip builds for this model (resize, crop, normalise)."""
    return image_transform_v2(PreprocessCfg(**PREPROCESS_CFG), is_train=False)


def _render_pool(config: TrainConfig, preprocess: Any) -> tuple[torch.Tensor, list[sc.Scene]]:
    """Render ``pool_per_scene`` pictures of every scene once: (scenes, per_scene, 3, H, W)."""
    rng = np.random.default_rng(config.seed)
    scenes = sc.all_scenes()
    shape = (len(scenes), config.pool_per_scene, 3, sc.MODEL_SIZE, sc.MODEL_SIZE)
    pool = torch.empty(shape, dtype=torch.float16)  # half the memory; batches go to fp32
    for i, scene in enumerate(scenes):
        for j in range(config.pool_per_scene):
            size = int(rng.choice(config.render_sizes))
            img = sc.render(scene, size=size, rng=rng)
            if rng.random() < config.jpeg_fraction:
                img = sc.jpeg_roundtrip(img, quality=int(rng.integers(75, 96)))
            pool[i, j] = preprocess(img)
    return pool, scenes


_FLIPS = (
    lambda x: x.flip(-1),  # left-right
    lambda x: x.flip(-2),  # top-bottom
    lambda x: x.transpose(-1, -2),  # across the diagonal
)


def _multi_positive_loss(logits: torch.Tensor, positives: torch.Tensor) -> torch.Tensor:
    """Contrastive loss where a row may have several right columns (soft targets).

    Rows without any right column (distractor captions) are left out.
    """
    counts = positives.sum(dim=1)
    rows = counts > 0
    targets = positives[rows] / counts[rows, None]
    return -(targets * F.log_softmax(logits[rows], dim=1)).sum(dim=1).mean()


def train_tiny_clip(
    config: TrainConfig = TrainConfig(),
    *,
    threads: int | None = None,
    device: str = "cpu",
    log: bool = False,
) -> open_clip.CLIP:
    """Train the tiny CLIP from scratch; deterministic for a seed on one machine.

    ``threads`` defaults to ``default_threads()``; torch's global thread setting is
    restored afterwards, because pytest runs other tests in the same process. The
    returned model is on the CPU, in eval mode.
    """
    old_threads = torch.get_num_threads()
    torch.set_num_threads(threads or default_threads())
    try:
        return _train(config, device=torch.device(device), log=log)
    finally:
        torch.set_num_threads(old_threads)


def default_threads() -> int:
    """Torch threads for training: ``$PHOTOORG_TINY_CLIP_THREADS`` or 1.

    Why 1: the model is so small that most of a step is many tiny operations, and on a
    busy machine (CI, or pytest beside other jobs) every multi-threaded operation waits
    for its slowest thread: measured here, 2 threads ran 5 times slower than 1 while
    other processes kept both cores busy. On an idle machine 2 may be faster; set the
    variable there. The thread count is not in the cache key: it may change rounding,
    not what the model learns.
    """
    return int(os.environ.get(ENV_THREADS, "0")) or 1


def _train(config: TrainConfig, *, device: torch.device, log: bool) -> open_clip.CLIP:
    started = time.perf_counter()
    torch.manual_seed(config.seed)  # weight initialisation
    rng = np.random.default_rng(config.seed)
    preprocess = make_preprocess()
    pool, scenes = _render_pool(config, preprocess)
    pool = pool.to(device)
    n_scenes, per_scene = pool.shape[:2]
    k = config.images_per_scene

    queries = all_queries()
    n_queries = len(queries)
    tokenizer = open_clip.get_tokenizer(
        "ViT-B-32", context_length=MODEL_CFG["text_cfg"]["context_length"]
    )
    variants = [text_variants(q.text) for q in queries]
    n_variants = len(variants[0])
    tokens = torch.stack([tokenizer(v) for v in variants]).to(device)  # queries, variants, ctx
    distractor_tokens = tokenizer(_distractor_texts(rng, 64 * max(config.distractors, 1)))
    distractor_tokens = distractor_tokens.to(device)
    # positives[i, j]: scene i fits query j; the distractors fit nothing.
    positives = torch.tensor([[q.matches(s) for q in queries] for s in scenes], dtype=torch.float)
    positives = torch.cat([positives, torch.zeros(n_scenes, config.distractors)], dim=1)
    positives = positives.repeat_interleave(k, dim=0).to(device)
    group_ids = {g: i for i, g in enumerate(dict.fromkeys(q.group for q in queries))}
    groups = torch.tensor([group_ids[q.group] for q in queries] + [-1] * config.distractors)
    group_masks = [(groups == g) | (groups == -1) for g in range(len(group_ids))]
    if log:
        print(f"pool rendered in {time.perf_counter() - started:.1f}s", flush=True)

    model = build_model().to(device)
    model.train()
    if config.freeze_token_embedding:
        # A random, frozen token table is enough for a vocabulary of a few dozen words,
        # and skips the dense gradient and optimiser update of all 49,408 rows each step.
        model.token_embedding.requires_grad_(False)
    params = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    decay = [p for n, p in params if p.ndim >= 2 and "embedding" not in n]
    no_decay = [p for n, p in params if not (p.ndim >= 2 and "embedding" not in n)]
    optimizer = torch.optim.AdamW(
        [
            {"params": decay, "weight_decay": config.weight_decay},
            {"params": no_decay, "weight_decay": 0.0},
        ],
        lr=config.lr,
        betas=(0.9, 0.98),
        eps=1e-6,
    )
    clip_loss = open_clip.loss.ClipLoss()
    generator = torch.Generator().manual_seed(config.seed)
    rows = torch.arange(n_scenes).repeat_interleave(k)
    symmetric = torch.tensor([s.shape != "triangle" for s in scenes]).repeat_interleave(k)
    symmetric = symmetric.to(device)

    for step in range(config.steps):
        lr = config.lr * min(
            (step + 1) / config.warmup_steps,
            0.5 * (1 + math.cos(math.pi * step / config.steps)),
        )
        for group in optimizer.param_groups:
            group["lr"] = lr

        # k pictures of every scene (scene-major order).
        pick = torch.randint(per_scene, (n_scenes * k,), generator=generator)
        images = pool[rows.to(device), pick.to(device)].float()
        # Free extra pictures: mirror everything left-right; circles and squares also
        # top-bottom and across the diagonal (all 8 symmetries of the square), which
        # triangles would not survive (they are always drawn pointing up).
        flips = (torch.rand(3, n_scenes * k, generator=generator) < 0.5).to(device)
        flips[1:] &= symmetric
        for flip, transform in zip(flips, _FLIPS, strict=True):
            images = torch.where(flip[:, None, None, None], transform(images), images)
        canonical = torch.rand(n_queries, generator=generator) < config.canonical_text_prob
        variant = torch.randint(1, n_variants, (n_queries,), generator=generator)
        variant = torch.where(canonical, torch.zeros_like(variant), variant)
        texts = tokens[torch.arange(n_queries, device=device), variant.to(device)]
        if config.distractors:
            extra = torch.randperm(len(distractor_tokens), generator=generator)
            texts = torch.cat([texts, distractor_tokens[extra[: config.distractors].to(device)]])

        image_features = model.encode_image(images, normalize=True)
        text_features = model.encode_text(texts, normalize=True)
        scale = model.logit_scale.exp()
        # CLIP's own symmetric loss on one picture of each scene against the 36 full
        # captions (the first 36 queries, in scene order): no duplicate captions.
        loss = clip_loss(image_features[::k], text_features[:n_scenes], scale)

        # Every caption, partial ones included: picture -> caption within each group
        # (exactly one right answer, distractors wrong), caption -> picture over the
        # batch (every fitting picture right).
        logits = scale * image_features @ text_features.T
        partial = sum(
            _multi_positive_loss(logits[:, mask], positives[:, mask]) for mask in group_masks
        )
        partial = partial / len(group_masks) + _multi_positive_loss(logits.T, positives.T)
        loss = loss + config.partial_loss_weight * partial

        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            model.logit_scale.clamp_(0, math.log(100))
        if log and (step % 50 == 0 or step == config.steps - 1):
            print(
                f"step {step:4d} loss {loss.item():.3f} scale {scale.item():.1f} "
                f"t {time.perf_counter() - started:.1f}s cpu {time.process_time():.1f}s",
                flush=True,
            )
    model.eval()
    return model.cpu()


def save_local_dir(model: open_clip.CLIP, folder: Path) -> None:
    """Write ``model`` into ``folder`` in open_clip's local-dir layout (fp16 safetensors).

    The folder gets ``open_clip_config.json`` ({"model_cfg", "preprocess_cfg"}, what
    ``open_clip.create_model`` reads for ``local-dir:``) and
    ``open_clip_model.safetensors``. fp16 halves the file; open_clip casts the weights
    back to the fp32 model when it loads them.
    """
    folder.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().to(torch.float16).contiguous() for k, v in model.state_dict().items()}
    save_file(state, str(folder / WEIGHTS_NAME))
    config = {"model_cfg": MODEL_CFG, "preprocess_cfg": PREPROCESS_CFG}
    (folder / CONFIG_NAME).write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")


@torch.inference_mode()
def verify_local_dir(
    model: open_clip.CLIP, folder: Path, *, min_cosine: float = 0.999
) -> dict[str, float]:
    """Load ``folder`` the way the app does and check it embeds like ``model``.

    Why: the saved weights are fp16 and open_clip rebuilds the model from the JSON
    config, so a wrong key or config would only show up later as silently bad search
    results. Returns the lowest cosine (saved vs trained) per tower; raises
    ``AssertionError`` when one is below ``min_cosine``.
    """
    spec = local_dir_spec(folder)
    loaded, _, preprocess = open_clip.create_model_and_transforms(spec)
    tokenizer = open_clip.get_tokenizer(spec)
    loaded.eval()
    model.eval()
    rng = np.random.default_rng(0)
    images = torch.stack([preprocess(sc.render(s, size=128, rng=rng)) for s in sc.all_scenes()])
    texts = tokenizer([q.text for q in all_queries()])
    pairs = {
        "image": (
            model.encode_image(images, normalize=True),
            loaded.encode_image(images, normalize=True),
        ),
        "text": (
            model.encode_text(texts, normalize=True),
            loaded.encode_text(texts, normalize=True),
        ),
    }
    worst = {name: (want * got).sum(dim=1).min().item() for name, (want, got) in pairs.items()}
    for name, cosine in worst.items():
        if cosine < min_cosine:
            raise AssertionError(f"{spec}: {name} embeddings differ after saving ({cosine=:.5f})")
    return worst


VALIDATION_SEED = 5150
"""Scenes the quality gate judges a training on: neither the training pool's nor the
tests' held-out ones (seed 424242)."""
MAX_ATTEMPTS = 4
GATE_ZERO_SHOT = 0.95  # every attribute and overall; the tests ask 0.93 (shape, overall)
GATE_TOP10 = 9  # right pictures in every "a <colour> <shape>" query's top 10, as tested


def quality(folder: Path) -> dict[str, Any]:
    """How well a saved model does what the tests ask, on validation scenes."""
    spec = "local-dir:" + str(folder)
    model, _, preprocess = open_clip.create_model_and_transforms(spec)
    model.eval()
    tokenizer = open_clip.get_tokenizer(spec)
    with tempfile.TemporaryDirectory(prefix="tiny-clip-validation-") as tmp:
        library = sc.write_library(Path(tmp), 216, seed=VALIDATION_SEED, size=256)
        images = load_images([path for path, _ in library], preprocess)
    truth = [scene for _, scene in library]
    zero_shot = zero_shot_accuracy(model, tokenizer, images, truth)
    with torch.inference_mode():
        vectors = model.encode_image(images, normalize=True).numpy()
        worst = 10
        for colour in sc.COLOURS:
            for shape in sc.SHAPES:
                text = tokenizer([sc.partial_caption(colour, shape)])
                query = model.encode_text(text, normalize=True)[0].numpy()
                top = np.argsort(-(vectors @ query))[:10]
                worst = min(worst, sum(truth[i].matches(colour=colour, shape=shape) for i in top))
    scores = asdict(zero_shot)
    del scores["n"]
    return {**scores, "worst_top10": worst}


def passes(found: dict[str, Any]) -> bool:
    attributes = ("overall", "colour", "shape", "background")
    return (
        min(found[a] for a in attributes) >= GATE_ZERO_SHOT and found["worst_top10"] >= GATE_TOP10
    )


def make_tiny_clip(
    out_dir: Path,
    config: TrainConfig = TrainConfig(),
    *,
    threads: int | None = None,
    log: bool = False,
) -> Path:
    """Train and save into ``out_dir`` atomically; an existing folder is replaced.

    The weights differ from machine to machine (AVX2 or AVX-512 rounding sends 600 steps
    of Adam down different paths), and so does what a training learns: with the same
    settings, seed 1234 reached 97.7 % shape accuracy here and seed 99 only 71 %. So a
    training must pass a quality gate on validation scenes (``quality``, a little above
    what the tests ask, on scenes the tests never see); one that does not is done again
    from the next seed, up to ``MAX_ATTEMPTS`` times, and the best is kept. The tests
    then assert ground truth against a model known to see it, on any machine.

    The model is written to a temporary sibling folder and renamed into place, so an
    interrupted run never leaves a half-written model behind.
    """
    out_dir = Path(out_dir).resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    attempts: list[dict[str, Any]] = []
    best: tuple[tuple[float, ...], Path] | None = None
    try:
        for attempt in range(MAX_ATTEMPTS):
            trial = replace(config, seed=config.seed + attempt)
            model = train_tiny_clip(trial, threads=threads, log=log)
            tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
            save_local_dir(model, tmp)
            cosines = verify_local_dir(model, tmp)
            found = quality(tmp)
            attempts.append({"seed": trial.seed, **found})
            rank = (passes(found), found["worst_top10"], found["overall"])
            if best is None or rank > best[0]:
                if best is not None:
                    shutil.rmtree(best[1], ignore_errors=True)
                best = (rank, tmp)
                info = {
                    "cache_key": cache_key(config),
                    "train_config": asdict(trial),
                    "torch": torch.__version__,
                    "open_clip": open_clip.__version__,
                    "saved_vs_trained_min_cosine": cosines,
                }
            else:
                shutil.rmtree(tmp, ignore_errors=True)
            if passes(found):
                break
        assert best is not None
        info["train_seconds"] = round(time.perf_counter() - started, 1)
        info["attempts"] = attempts
        (best[1] / INFO_NAME).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
        if out_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
            os.replace(out_dir, old / "model")
            os.replace(best[1], out_dir)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(best[1], out_dir)
    finally:
        if best is not None:
            shutil.rmtree(best[1], ignore_errors=True)
    return out_dir


# ---------------------------------------------------------------------------
# Cache


def cache_key(config: TrainConfig = TrainConfig()) -> str:
    """Hash of everything that shapes the weights: parameters, configs, sources, versions."""
    h = hashlib.sha256()
    params = {
        "train": asdict(config),
        "model_cfg": MODEL_CFG,
        "preprocess_cfg": PREPROCESS_CFG,
        "torch": torch.__version__,
        "open_clip": open_clip.__version__,
    }
    h.update(json.dumps(params, sort_keys=True).encode())
    for source in (Path(__file__), Path(sc.__file__)):
        h.update(source.read_bytes())
    return h.hexdigest()[:16]


def default_cache_root() -> Path:
    """Where cached models live: ``$PHOTOORG_TINY_CLIP_DIR`` or ``tests/.cache``."""
    env = os.environ.get(ENV_CACHE_ROOT)
    return Path(env) if env else DEFAULT_CACHE_ROOT


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """Exclusive lock so parallel pytest processes train once, not once each."""
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _is_complete(folder: Path) -> bool:
    return (folder / CONFIG_NAME).is_file() and (folder / WEIGHTS_NAME).is_file()


def ensure_tiny_clip(cache_root: Path | None = None, config: TrainConfig | None = None) -> Path:
    """Return the folder of the trained tiny model, training it only if not cached.

    ``cache_root`` overrides ``$PHOTOORG_TINY_CLIP_DIR``, which overrides
    ``tests/.cache``. The model lives in ``<root>/tiny-clip-<cache_key>``; ``config``
    (default ``TrainConfig()``) is only for trying other training settings.
    """
    config = config or TrainConfig()
    root = Path(cache_root) if cache_root is not None else default_cache_root()
    folder = root / f"tiny-clip-{cache_key(config)}"
    if _is_complete(folder):
        return folder
    root.mkdir(parents=True, exist_ok=True)
    with _file_lock(root / "tiny-clip.lock"):
        if not _is_complete(folder):  # another process may have finished meanwhile
            make_tiny_clip(folder, config)
    return folder


def local_dir_spec(folder: Path) -> str:
    """The open_clip model name for a local-dir model: ``"local-dir:<absolute path>"``."""
    return LOCAL_DIR_PREFIX + str(Path(folder).resolve())


# ---------------------------------------------------------------------------
# Evaluation


@dataclass(frozen=True)
class ZeroShotResult:
    """Accuracy of picking the right full caption, overall and per attribute."""

    overall: float
    colour: float
    shape: float
    background: float
    n: int


@torch.inference_mode()
def zero_shot_accuracy(
    model: Any, tokenizer: Any, images: torch.Tensor, truth: Sequence[sc.Scene]
) -> ZeroShotResult:
    """Classify preprocessed ``images`` among all 36 full captions.

    An attribute counts as right when the predicted caption has it, so a red circle
    taken for a red square is right on colour and background, wrong on shape.
    """
    scenes = sc.all_scenes()
    text = model.encode_text(tokenizer([s.caption for s in scenes]), normalize=True)
    feats = model.encode_image(images, normalize=True)
    predicted = [scenes[i] for i in (feats @ text.T).argmax(dim=1).tolist()]
    n = len(truth)

    def share(attr: str) -> float:
        return (
            sum(getattr(p, attr) == getattr(t, attr) for p, t in zip(predicted, truth, strict=True))
            / n
        )

    return ZeroShotResult(
        overall=sum(p == t for p, t in zip(predicted, truth, strict=True)) / n,
        colour=share("colour"),
        shape=share("shape"),
        background=share("background"),
        n=n,
    )


def load_images(paths: Sequence[Path], preprocess: Any) -> torch.Tensor:
    """Open and preprocess image files into one batch tensor."""
    batch = []
    for path in paths:
        with Image.open(path) as img:
            batch.append(preprocess(img.convert("RGB")))
    return torch.stack(batch)
