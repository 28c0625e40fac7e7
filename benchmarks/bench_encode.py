#!/usr/bin/env python3
"""Indexing throughput on phone-sized photos, fp32 and the default precision, in one run.

Measured on the same generated 12-megapixel JPEGs (~2.5 MB each):

- model-only, fp32 and at the default precision (``auto``: int8 or bf16 on a CPU when
  faster and faithful, fp16 on a GPU): the image tower fed ready tensors at the
  pipeline's batch size;
- decode-only: draft-mode JPEG decode + the model's preprocessing on all cores;
- the ceilings: on a CPU, decoding and the model share the cores, so a pipeline can
  reach at most 1 / (1/model + 1/decode);
- pipeline, fp32 and default: ``Library.index`` end to end (walk, hash, EXIF, thumbnail,
  decode, encode, store) on a fresh catalog each.

Goals (issue 16): fp32 pipeline >= 0.90x its ceiling; default pipeline >= 1.4x the fp32
ceiling. Random weights are fine for speed (no download needed); the fidelity check of
``auto`` runs on the first photos as it does for a user.

    python benchmarks/bench_encode.py [--photos 96] [--arch ViT-B-32] [--device auto]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from photoorg.media import decode
from photoorg.services.indexing.encoding import default_batch_size
from photoorg.services.library import Library

PIPELINE_PHASES = ("listing", "reading", "encoding")
"""What ``Library.index`` reports while it scans and encodes (tagging comes after)."""


def phone_jpeg(seed: int, width: int = 4000, height: int = 3000) -> bytes:
    """A 12 MP JPEG with smooth structure plus sensor-like noise (~2.5 MB at q=85)."""
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 255, (height // 100, width // 100, 3), dtype=np.uint8)
    base = Image.fromarray(small).resize((width, height), Image.Resampling.BICUBIC)
    pixels = np.asarray(base, dtype=np.int16)
    pixels += rng.integers(-14, 15, pixels.shape, dtype=np.int16)
    buf = io.BytesIO()
    Image.fromarray(pixels.clip(0, 255).astype(np.uint8)).save(buf, "JPEG", quality=85)
    return buf.getvalue()


def load_random_model(arch: str, device: str, precision: str = "fp32"):
    """``arch`` with random weights as a ``ClipModel`` (fp32, as ``ClipModel.load`` does)."""
    import open_clip
    import torch

    from photoorg.ml.model import ClipModel, ModelSpec, choose_device

    torch_device = choose_device(device)
    torch.set_flush_denormal(True)
    model, _, preprocess = open_clip.create_model_and_transforms(
        arch, device=torch_device, precision=precision
    )
    return ClipModel(
        ModelSpec(id=f"random:{arch}"),
        model.eval(),
        preprocess,
        open_clip.get_tokenizer(arch),
        torch_device,
    )


def rate(count: int, seconds: float) -> float:
    return count / seconds


def model_rate(model, batch: int, rounds: int) -> float:
    """Images/s of the image tower alone, on ready tensors, after a warm-up batch."""
    import torch

    tensors = [torch.randn(3, model.image_size, model.image_size) for _ in range(batch)]
    model.encode_images(tensors)
    start = time.perf_counter()
    for _ in range(rounds):
        model.encode_images(tensors)
    return rate(rounds * batch, time.perf_counter() - start)


def pipeline_rate(work: Path, photos: Path, model, precision: str, count: int) -> float:
    """``Library.index`` on a fresh catalog, up to the end of encoding.

    ``index`` goes on to tag the library; the first time, that embeds every prompt of the
    default label set, once per catalog and model, not per photo: it is not counted.
    """
    first_seen: dict[str, float] = {}

    def progress(phase: str, done: int, total: int) -> None:
        first_seen.setdefault(phase, time.perf_counter())

    with Library(work / f"catalog-{time.time_ns()}", precision=precision) as library:
        library.use_loaded_model(model)
        start = time.perf_counter()
        summary = library.index([photos], progress=progress)
        end = time.perf_counter()
    assert summary["encoded"] == count, summary
    done = min((t for phase, t in first_seen.items() if phase not in PIPELINE_PHASES), default=end)
    return rate(count, done - start)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--photos", type=int, default=96)
    parser.add_argument("--arch", default="ViT-B-32")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()

    work = args.workdir or Path(tempfile.mkdtemp(prefix="photoorg-encode-"))
    photos = work / "photos"
    photos.mkdir(parents=True, exist_ok=True)
    files = sorted(photos.glob("*.jpg"))
    if len(files) < args.photos:
        with ThreadPoolExecutor(os.cpu_count()) as pool:
            datas = list(pool.map(phone_jpeg, range(args.photos)))
        for i, data in enumerate(datas):
            (photos / f"IMG_{i:04d}.jpg").write_bytes(data)
        files = sorted(photos.glob("*.jpg"))
    files = files[: args.photos]
    for extra in sorted(photos.glob("*.jpg"))[args.photos :]:
        extra.unlink()  # the pipelines index the whole folder
    sizes = [f.stat().st_size for f in files]
    print(f"{len(files)} photos, 4000x3000, mean {np.mean(sizes) / 1e6:.2f} MB")

    fp32 = load_random_model(args.arch, args.device)
    batch = default_batch_size(fp32)
    side = max(256, fp32.image_size)

    def decode_one(path: Path):
        upright = decode.decode_upright(decode.open_image(path.read_bytes()), side)
        return fp32.prepare(upright)

    # The default precision is chosen as indexing chooses it: on the first real photos.
    reduced = load_random_model(args.arch, args.device)
    reduced.request_precision("auto")
    reduced.encode_images([decode_one(p) for p in files[:8]])
    choice = reduced.precision_choice
    print(
        f"model {args.arch} (random weights) on {fp32.device}, batch {batch}, "
        f"{os.cpu_count()} cores; default precision here: {choice.note}"
    )

    rounds = max(2, len(files) // batch)
    fp32_model = model_rate(fp32, batch, rounds)
    default_model = model_rate(reduced, batch, rounds)

    with ThreadPoolExecutor(os.cpu_count()) as pool:
        start = time.perf_counter()
        list(pool.map(decode_one, files))
        decode_rate = rate(len(files), time.perf_counter() - start)

    fp32_ceiling = 1 / (1 / fp32_model + 1 / decode_rate)
    default_ceiling = 1 / (1 / default_model + 1 / decode_rate)
    fp32_pipeline = pipeline_rate(work, photos, fp32, "fp32", len(files))
    default_pipeline = pipeline_rate(work, photos, reduced, "auto", len(files))

    print(f"model-only fp32      {fp32_model:8.1f} images/s")
    print(
        f"model-only {choice.precision:9s} {default_model:8.1f} images/s  "
        f"= {default_model / fp32_model:.2f}x fp32"
    )
    print(f"decode-only          {decode_rate:8.1f} images/s")
    print(f"ceiling fp32         {fp32_ceiling:8.1f} images/s  (1 / (1/model + 1/decode))")
    print(f"ceiling {choice.precision:12s} {default_ceiling:8.1f} images/s")
    print(
        f"pipeline fp32        {fp32_pipeline:8.1f} images/s  "
        f"= {fp32_pipeline / fp32_ceiling:.2f}x its ceiling (goal >= 0.90)"
    )
    print(
        f"pipeline {choice.precision:11s} {default_pipeline:8.1f} images/s  "
        f"= {default_pipeline / fp32_ceiling:.2f}x the fp32 ceiling (goal >= 1.4), "
        f"{default_pipeline / default_ceiling:.2f}x its own"
    )


if __name__ == "__main__":
    main()
