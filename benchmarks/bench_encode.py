#!/usr/bin/env python3
"""Indexing throughput on phone-sized photos, with the default model's architecture.

Measured in one run, on the same generated 12-megapixel JPEGs (~2.5 MB each):

- model-only: the image tower fed ready tensors at the pipeline's batch size;
- decode-only: draft-mode JPEG decode + the model's preprocessing on all cores;
- pipeline: ``Library.index`` end to end (walk, hash, EXIF, thumbnail, decode, encode,
  store) on a fresh catalog;
- naive: full-size decode + open_clip's preprocess + one batch after another.

On a CPU, decoding and the model share the cores, so the pipeline's ceiling is
1 / (1/model + 1/decode). Random weights are fine for speed (no download needed).

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


def load_random_model(arch: str, device: str):
    import open_clip
    import torch

    from photoorg.ml.model import ClipModel, ModelSpec, choose_device

    torch_device = choose_device(device)
    precision = "fp16" if torch_device.type == "cuda" else "fp32"
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
    sizes = [f.stat().st_size for f in files]
    print(f"{len(files)} photos, 4000x3000, mean {np.mean(sizes) / 1e6:.2f} MB")

    model = load_random_model(args.arch, args.device)
    batch = default_batch_size(model)
    print(
        f"model {args.arch} (random weights) on {model.device}, "
        f"batch {batch}, {os.cpu_count()} cores"
    )

    # Model only: ready tensors, same batch size, after a warm-up batch.
    import torch

    tensors = [torch.randn(3, model.image_size, model.image_size) for _ in range(batch)]
    model.encode_images(tensors)
    rounds = max(2, len(files) // batch)
    start = time.perf_counter()
    for _ in range(rounds):
        model.encode_images(tensors)
    model_rate = rate(rounds * batch, time.perf_counter() - start)

    # Decode only: what the reader threads do per photo, on all cores.
    side = max(256, model.image_size)

    def decode(path: Path):
        upright = decode.decode_upright(decode.open_image(path.read_bytes()), side)
        return model.prepare(upright)

    with ThreadPoolExecutor(os.cpu_count()) as pool:
        start = time.perf_counter()
        list(pool.map(decode, files))
        decode_rate = rate(len(files), time.perf_counter() - start)

    ceiling = 1 / (1 / model_rate + 1 / decode_rate)

    # The whole pipeline, through the public facade, on a fresh catalog. ``index`` goes
    # on to tag the library; the first time, that embeds every prompt of the default
    # label set, once per catalog and model, not per photo: it is timed apart.
    first_seen: dict[str, float] = {}

    def progress(phase: str, done: int, total: int) -> None:
        first_seen.setdefault(phase, time.perf_counter())

    with Library(work / f"catalog-{time.time_ns()}") as library:
        library.use_loaded_model(model)
        start = time.perf_counter()
        summary = library.index([photos], progress=progress)
        end = time.perf_counter()
    assert summary["encoded"] == len(files), summary
    photos_done = min(
        (t for phase, t in first_seen.items() if phase not in PIPELINE_PHASES), default=end
    )
    pipeline_rate = rate(len(files), photos_done - start)
    first_tagging = end - photos_done

    # Naive: full decode, open_clip's preprocess on the full image, serial batches.
    naive_files = files[: max(batch, len(files) // 3)]
    start = time.perf_counter()
    for i in range(0, len(naive_files), batch):
        chunk = [model.preprocess(Image.open(p).convert("RGB")) for p in naive_files[i : i + batch]]
        model.encode_images(chunk)
    naive_rate = rate(len(naive_files), time.perf_counter() - start)

    print(f"model-only  {model_rate:8.1f} images/s")
    print(f"decode-only {decode_rate:8.1f} images/s")
    print(f"ceiling     {ceiling:8.1f} images/s  (1 / (1/model + 1/decode))")
    print(
        f"pipeline    {pipeline_rate:8.1f} images/s  = {pipeline_rate / ceiling:.0%} of ceiling, "
        f"{pipeline_rate / model_rate:.0%} of model-only"
    )
    print(
        f"naive       {naive_rate:8.1f} images/s  "
        f"-> pipeline is {pipeline_rate / naive_rate:.1f}x naive"
    )
    print(f"then, once per catalog and model: label prompts + first tagging {first_tagging:.1f} s")


if __name__ == "__main__":
    main()
