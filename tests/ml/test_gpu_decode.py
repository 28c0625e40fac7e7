"""The GPU feeding path computes what the CPU path does (checked here on the CPU)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from photoorg.media import decode as imaging
from photoorg.ml.gpu_decode import GpuEncodePipeline, orientation_of, upright
from photoorg.ml.model import ClipModel
from tests.support import scenes as sc


def jpeg_with_orientation(img: Image.Image, orientation: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    out = io.BytesIO()
    img.save(out, "JPEG", quality=95, exif=exif.tobytes())
    return out.getvalue()


@pytest.mark.parametrize("orientation", range(1, 9))
def test_upright_turns_as_the_cpu_path_does(orientation):
    rng = np.random.default_rng(orientation)
    img = Image.fromarray(rng.integers(0, 255, (6, 10, 3), dtype=np.uint8))
    data = jpeg_with_orientation(img, orientation)
    assert orientation_of(data) == orientation
    decoded = imaging.open_image(data)
    want = np.asarray(imaging.decode_upright(decoded, 0))
    raw = torch.from_numpy(np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).copy())
    got = upright(raw.permute(2, 0, 1), orientation).permute(1, 2, 0).numpy()
    np.testing.assert_array_equal(got, want)


def test_the_pipeline_encodes_like_the_cpu_path(tmp_path, tiny_clip_spec):
    model = ClipModel.load(tiny_clip_spec, "cpu")
    library = sc.write_library(tmp_path / "photos", 24, seed=5, size=256)
    paths = [str(p) for p, _ in library]
    turned = tmp_path / "photos" / "turned.jpg"  # stored sideways, shown upright
    turned.write_bytes(jpeg_with_orientation(Image.open(paths[0]).rotate(90, expand=True), 6))
    png = tmp_path / "photos" / "a.png"  # not a JPEG: the CPU decoder takes it
    Image.open(paths[1]).save(png)
    broken = tmp_path / "photos" / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    paths += [str(turned), str(png), str(broken)]

    pipeline = GpuEncodePipeline(model, batch_size=8, readers=2)
    results = list(pipeline.encode(paths))
    encoded = [p for r in results for p in r.paths]
    vectors = np.concatenate([r.vectors for r in results])
    failed = [p for r in results for p, _ in r.failed]
    assert failed == [str(broken)]
    assert encoded == paths[:-1]  # file order kept

    side = model.image_size
    want = model.encode_images(
        [
            model.prepare(imaging.decode_upright(imaging.open_image(Path(p).read_bytes()), side))
            for p in encoded
        ]
    )
    # Different resize code (torch's antialiased bicubic, not Pillow's): near, not equal.
    assert np.sum(vectors * want, axis=1).min() >= 0.98
    # The sideways file, turned upright, is the same picture as the one it came from.
    assert float(vectors[encoded.index(str(turned))] @ vectors[0]) >= 0.98
