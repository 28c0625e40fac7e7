"""Feeding a CUDA model at its own pace: JPEGs decoded by nvJPEG, resized on the GPU.

A ViT-B-32 in fp16 on an H100-class GPU encodes several thousand images a second; a
12 MP JPEG costs ~70 ms of CPU time to decode even at 1/8 scale (Huffman decoding of
2.5 MB dominates, and no CPU decoder skips it). So on CUDA the pixels never touch the
CPU: reader threads only read bytes (and the EXIF orientation from the header),
``torchvision.io.decode_jpeg(device="cuda")`` decodes a whole batch with nvJPEG, the
resize, crop and normalisation run as GPU kernels, and the next batch is decoded on a
second stream while the model runs the current one. Only the small embeddings come
back, through pinned memory. Files nvJPEG cannot take (other formats, CMYK, damaged
data) go through the CPU path of ``media.decode`` and join the same batch.

The same code runs on the CPU (``device="cpu"``), which is how the tests check it.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

_JPEG_MAGIC = b"\xff\xd8\xff"
_ORIENTATION_TAG = 0x0112


@dataclass(frozen=True)
class Encoded:
    """One batch's results: vectors for ``paths``, and the files that failed, with why."""

    paths: list[str]
    vectors: np.ndarray
    failed: list[tuple[str, str]]


def orientation_of(data: bytes) -> int:
    """The EXIF orientation (1..8) from the header only; 1 when absent or unreadable."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            value = img.getexif().get(_ORIENTATION_TAG, 1)
    except Exception:
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


_UPRIGHT = {
    2: lambda x: x.flip(-1),  # PIL's FLIP_LEFT_RIGHT
    3: lambda x: x.flip(-1).flip(-2),  # ROTATE_180
    4: lambda x: x.flip(-2),  # FLIP_TOP_BOTTOM
    5: lambda x: x.transpose(-1, -2),  # TRANSPOSE
    6: lambda x: x.transpose(-1, -2).flip(-1),  # ROTATE_270 (90 clockwise)
    7: lambda x: x.transpose(-1, -2).flip(-1).flip(-2),  # TRANSVERSE
    8: lambda x: x.transpose(-1, -2).flip(-2),  # ROTATE_90 (counter-clockwise)
}


def upright(pixels: torch.Tensor, orientation: int) -> torch.Tensor:
    """A ``(3, H, W)`` image turned the way the camera was held (as ``media.decode`` does)."""
    turn = _UPRIGHT.get(orientation)
    return turn(pixels) if turn else pixels


class TensorPreprocess:
    """open_clip's eval transform (shortest-side resize, centre crop, normalise) on tensors."""

    def __init__(self, config: dict[str, Any], dtype: torch.dtype = torch.float32) -> None:
        size = config.get("size", 224)
        self.size = int(size[0] if isinstance(size, list | tuple) else size)
        self.mode = config.get("interpolation", "bicubic")
        if self.mode not in ("bicubic", "bilinear"):
            self.mode = "bilinear"
        self.mean = torch.tensor(config["mean"]).view(1, 3, 1, 1)
        self.std = torch.tensor(config["std"]).view(1, 3, 1, 1)
        self.dtype = dtype

    def one(self, pixels: torch.Tensor) -> torch.Tensor:
        """``(3, H, W)`` uint8 -> ``(3, size, size)`` float, still 0..255."""
        height, width = pixels.shape[-2:]
        scale = self.size / min(height, width)
        shape = (max(self.size, round(height * scale)), max(self.size, round(width * scale)))
        resized = F.interpolate(
            pixels.unsqueeze(0).float(), size=shape, mode=self.mode, antialias=True
        )[0]
        top, left = (shape[0] - self.size) // 2, (shape[1] - self.size) // 2
        return resized[:, top : top + self.size, left : left + self.size]

    def batch(self, images: list[torch.Tensor]) -> torch.Tensor:
        stacked = torch.stack([self.one(image) for image in images])
        device = stacked.device
        normalised = (stacked / 255.0 - self.mean.to(device)) / self.std.to(device)
        return normalised.clamp_(-1e4, 1e4).to(self.dtype)


class GpuEncodePipeline:
    """Encode image files with ``model`` on its device, decoding JPEGs there too."""

    def __init__(self, model: Any, *, batch_size: int = 256, readers: int | None = None) -> None:
        import open_clip

        self.model = model
        self.device = model.device
        self.batch_size = batch_size
        self.readers = readers or min(16, os.cpu_count() or 1)
        config = open_clip.get_model_preprocess_cfg(model.model)
        self.preprocess = TensorPreprocess(config, model.dtype)
        cuda = self.device.type == "cuda"
        self._decode_stream = torch.cuda.Stream(self.device) if cuda else None

    def encode(self, paths: Iterable[str]) -> Iterator[Encoded]:
        """Batches of vectors in file order; while one runs, the next is decoded."""
        with ThreadPoolExecutor(self.readers, thread_name_prefix="photoorg-gpu-read") as pool:
            pending: tuple[list[str], torch.Tensor, list[tuple[str, str]]] | None = None
            for chunk in _chunks(paths, self.batch_size):
                read = list(pool.map(_read, chunk))
                ready = self._decode(read)  # queued on the decode stream: runs meanwhile
                if pending is not None:
                    yield self._finish(*pending)
                pending = ready
            if pending is not None:
                yield self._finish(*pending)

    def _decode(
        self, read: list[tuple[str, bytes | None, int, str]]
    ) -> tuple[list[str], torch.Tensor, list[tuple[str, str]]]:
        failed = [(path, error) for path, data, _, error in read if data is None]
        good = [(path, data, turn) for path, data, turn, _ in read if data is not None]
        stream = self._decode_stream
        with torch.cuda.stream(stream) if stream is not None else contextlib.nullcontext():
            images: list[torch.Tensor] = []
            paths: list[str] = []
            for path, pixels, error in self._decode_pixels(good):
                if pixels is None:
                    failed.append((path, error))
                else:
                    paths.append(path)
                    images.append(pixels)
            batch = self.preprocess.batch(images) if images else None
        if stream is not None:
            torch.cuda.current_stream(self.device).wait_stream(stream)
        return paths, batch if batch is not None else torch.empty(0), failed

    def _decode_pixels(
        self, items: list[tuple[str, bytes, int]]
    ) -> Iterator[tuple[str, torch.Tensor | None, str]]:
        from torchvision.io import ImageReadMode, decode_jpeg

        jpegs = [item for item in items if item[1].startswith(_JPEG_MAGIC)]
        decoded: list[torch.Tensor | None] = [None] * len(jpegs)
        if jpegs:
            inputs = [torch.frombuffer(bytearray(data), dtype=torch.uint8) for _, data, _ in jpegs]
            try:
                decoded = list(decode_jpeg(inputs, mode=ImageReadMode.RGB, device=self.device))
            except RuntimeError:  # one bad file fails the batch: decode them one by one
                decoded = [self._decode_one(x) for x in inputs]
        by_path = {path: pixels for (path, _, _), pixels in zip(jpegs, decoded, strict=True)}
        for path, data, turn in items:
            pixels = by_path.get(path)
            if pixels is None:
                pixels, error = self._decode_on_cpu(path, data)
                if pixels is None:
                    yield path, None, error
                    continue
                yield path, pixels, ""  # the CPU path has already turned it upright
                continue
            yield path, upright(pixels, turn), ""

    def _decode_one(self, data: torch.Tensor) -> torch.Tensor | None:
        from torchvision.io import ImageReadMode, decode_jpeg

        try:
            return decode_jpeg(data, mode=ImageReadMode.RGB, device=self.device)
        except RuntimeError:
            return None

    def _decode_on_cpu(self, path: str, data: bytes) -> tuple[torch.Tensor | None, str]:
        from photoorg.errors import ImageError
        from photoorg.media import decode

        try:
            img = decode.decode_upright(
                decode.open_image(data, os.path.basename(path)), self.preprocess.size
            )
        except ImageError as exc:
            return None, str(exc)
        pixels = torch.from_numpy(np.asarray(img, np.uint8).copy()).permute(2, 0, 1)
        return pixels.to(self.device, non_blocking=True), ""

    def _finish(
        self, paths: list[str], batch: torch.Tensor, failed: list[tuple[str, str]]
    ) -> Encoded:
        if not paths:
            return Encoded([], np.zeros((0, self.model.dim), np.float32), failed)
        with torch.inference_mode():
            features = self.model.model.encode_image(batch, normalize=True).float()
        if self.device.type == "cuda":
            host = torch.empty(features.shape, dtype=torch.float32, pin_memory=True)
            host.copy_(features, non_blocking=True)
            torch.cuda.current_stream(self.device).synchronize()
            features = host
        return Encoded(paths, features.cpu().numpy(), failed)


def _read(path: str) -> tuple[str, bytes | None, int, str]:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        return path, None, 1, f"cannot read: {exc.strerror or exc}"
    if not data:
        return path, None, 1, "empty file (0 bytes)"
    turn = orientation_of(data) if data.startswith(_JPEG_MAGIC) else 1
    return path, data, turn, ""


def _chunks(items: Iterable[str], size: int) -> Iterator[list[str]]:
    chunk: list[str] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
