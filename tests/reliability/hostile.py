"""Generated hostile and broken photos, written into a folder for a scan to meet.

Each maker writes one case and returns what a scan must do with it: ``"photo"`` (it
is a real picture and must be catalogued), ``"error"`` (it must be recorded as an error
on that path) or ``"skip"`` (not a photo file at all, e.g. a folder). Names are chosen
so the test can match every file to an outcome.
"""

from __future__ import annotations

import io
import os
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

Expectation = str  # "photo" | "error"


def _jpeg(image: Image.Image, **kwargs) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", **kwargs)
    return out.getvalue()


def _noise(width: int, height: int, seed: int = 0) -> Image.Image:
    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.integers(0, 255, (height, width, 3), dtype=np.uint8))


def small_jpeg(seed: int = 0, size: tuple[int, int] = (96, 72)) -> bytes:
    """A small, valid JPEG of noise."""
    return _jpeg(_noise(*size, seed), quality=85)


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG signature and IHDR declaring ``width`` x ``height``, and nothing else."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr)


def _with_app1(jpeg: bytes, block: bytes) -> bytes:
    """``jpeg`` with an APP1 segment holding ``block`` right after SOI."""
    return jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(block) + 2) + block + jpeg[2:]


def _ifd(entries: list[tuple[int, int, int, int]], next_ifd: int) -> bytes:
    body = struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        body += struct.pack("<HHII", tag, kind, count, value)
    return body + struct.pack("<I", next_ifd)


def exif_loop() -> bytes:
    """IFD0 whose next-IFD pointer and Exif-IFD pointer both lead back to itself."""
    tiff = b"II*\x00" + struct.pack("<I", 8)
    # 0x8769 ExifIFD -> 8 (IFD0 again), 0x8825 GPS -> 8, next IFD -> 8.
    tiff += _ifd([(0x8769, 4, 1, 8), (0x8825, 4, 1, 8), (0x0112, 3, 1, 6)], 8)
    return b"Exif\x00\x00" + tiff


def exif_bogus_offsets() -> bytes:
    """Counts and offsets far beyond the block: 4 GB strings, IFDs past the end."""
    tiff = b"II*\x00" + struct.pack("<I", 8)
    tiff += _ifd(
        [
            (0x010F, 2, 0xFFFFFFFF, 0x7FFFFFF0),  # Make: a 4 GB string somewhere else
            (0x0110, 2, 64, 0xFFFFFF00),  # Model: offset past the end
            (0x8769, 4, 1, 0xFFFFFFF0),  # Exif IFD past the end
            (0x8825, 4, 1, 3),  # GPS IFD at an odd offset inside the header
            (0x9003, 2, 20, 2),  # DateTimeOriginal overlapping the header
        ],
        0xDEADBEEF,
    )
    return b"Exif\x00\x00" + tiff


def write_generated(folder: Path) -> dict[str, Expectation]:
    """Write every generated case into ``folder``; returns ``{relative path: outcome}``."""
    folder.mkdir(parents=True, exist_ok=True)
    expected: dict[str, Expectation] = {}
    good = _jpeg(_noise(320, 240, 1), quality=85)

    def put(name: str, data: bytes, outcome: Expectation) -> None:
        (folder / name).write_bytes(data)
        expected[name] = outcome

    put("good.jpg", good, "photo")
    put("zero-bytes.jpg", b"", "error")
    put("random-bytes.jpg", np.random.default_rng(2).bytes(50_000), "error")
    put("cut-in-half.jpg", _jpeg(_noise(1200, 900, 3), quality=90)[:60_000], "error")
    put("bomb-declared.png", png_header_only(100_000, 100_000), "error")
    # SOF0 declaring 65000 x 65000 and no data.
    sof = b"\xff\xd8\xff\xc0\x00\x11\x08" + struct.pack(">HH", 65000, 65000)
    put("bomb-declared.jpg", sof + b"\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01\xff\xd9", "error")
    # A real decompression bomb just under the pixel limit: 14000 x 14000 grey, ~200 KB.
    bomb = io.BytesIO()
    Image.new("L", (14_000, 14_000), 0).save(bomb, "PNG", optimize=False, compress_level=9)
    put("bomb-real-196mp.png", bomb.getvalue(), "photo")
    # 60,000-pixel sides: a real JPEG (draft mode shrinks it) and a real PNG (no draft).
    put("side-60000.jpg", _jpeg(Image.new("RGB", (60_000, 400), (30, 90, 200))), "photo")
    wide = io.BytesIO()
    Image.new("RGB", (60_000, 120), (200, 60, 20)).save(wide, "PNG")
    put("side-60000.png", wide.getvalue(), "photo")
    tall = io.BytesIO()
    Image.new("L", (8, 60_000), 90).save(tall, "PNG")
    put("side-60000-tall.png", tall.getvalue(), "photo")
    # PNG text: 20 MB of plain tEXt (kept as a photo), and a zTXt zip bomb (refused).
    base = io.BytesIO()
    Image.new("RGB", (64, 48), (20, 200, 60)).save(base, "PNG")
    png = base.getvalue()
    ihdr_end = 8 + 25
    text = png_chunk(b"tEXt", b"Comment\x00" + b"x" * 20_000_000)
    put("huge-text-chunk.png", png[:ihdr_end] + text + png[ihdr_end:], "photo")
    ztxt = png_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"x" * 50_000_000, 9))
    put("ztxt-bomb.png", png[:ihdr_end] + ztxt + png[ihdr_end:], "error")
    put("exif-loop.jpg", _with_app1(good, exif_loop()), "photo")
    put("exif-bogus-offsets.jpg", _with_app1(good, exif_bogus_offsets()), "photo")
    put("not-a-png.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "error")
    put("a-pdf.jpg", b"%PDF-1.4\n" + b"x" * 1000, "error")
    # A GIF whose frames claim a canvas far larger than the header (Pillow guards this).
    put("gif-garbage.gif", b"GIF89a" + struct.pack("<HH", 60000, 60000) + b"\x00" * 64, "error")

    # Names: very long (255 bytes, the usual limit) and full of odd characters.
    long_name = "l" * (255 - len(".jpg")) + ".jpg"
    put(long_name, good, "photo")
    put("ünïcødé ∂ 📷.jpg", good, "photo")
    put("new\nline.jpg", good, "photo")

    # A symlink loop (walked once), a dangling link and a link to a file.
    loops = folder / "loops"
    (loops / "inner").mkdir(parents=True)
    (loops / "inner" / "in-loop.jpg").write_bytes(good)
    expected["loops/inner/in-loop.jpg"] = "photo"
    os.symlink(loops, loops / "inner" / "back-up")
    os.symlink(folder / "does-not-exist.jpg", folder / "dangling-link.jpg")
    expected["dangling-link.jpg"] = "error"
    return expected


def write_unreadable(folder: Path) -> Callable[[], None]:
    """A folder without read permission (with a photo in it); returns the undo."""
    locked = folder / "locked"
    locked.mkdir(parents=True)
    (locked / "inside.jpg").write_bytes(_jpeg(_noise(32, 32, 4)))
    locked.chmod(0)
    return lambda: locked.chmod(0o755)


def write_non_utf8_name(folder: Path) -> bytes:
    """A photo whose name is not UTF-8 (Latin-1 'café'); returns the raw name."""
    raw = b"caf\xe9.jpg"
    with open(os.path.join(os.fsencode(folder), raw), "wb") as handle:
        handle.write(_jpeg(_noise(40, 30, 5)))
    return raw
