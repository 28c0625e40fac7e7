"""Generated photos of signs in English and Chinese, whose text the tests know.

Chinese needs a font with CJK glyphs. Debian and Ubuntu ship Noto CJK as
``fonts-noto-cjk`` (``apt-get install fonts-noto-cjk``); ``cjk_font`` finds it, or any
other CJK font fontconfig knows, and returns None when there is none, so that tests of
Chinese signs skip with ``NO_CJK_FONT`` as their reason instead of drawing empty boxes.
English signs use Pillow's own scalable font and always run.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

NO_CJK_FONT = (
    "no CJK font on this machine: install Debian's fonts-noto-cjk "
    "(apt-get install fonts-noto-cjk) to test Chinese text"
)
_KNOWN_CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)


@dataclass(frozen=True)
class Sign:
    """A sign to draw: its lines, and words a search for it must find it by."""

    lines: tuple[str, ...]
    words: tuple[str, ...]
    chinese: bool = False


ENGLISH_SIGNS = (
    Sign(("CAFE ROMA",), ("cafe roma", "caferoma", "Roma")),
    Sign(("BUS STOP",), ("bus stop", "BUSSTOP")),
    Sign(("OPEN 24 HOURS",), ("open 24 hours", "hours")),
)
CHINESE_SIGNS = (
    Sign(("出口",), ("出口",), chinese=True),  # "exit": a two-character word
    Sign(("北京咖啡馆",), ("北京咖啡馆", "咖啡", "北京"), chinese=True),  # "Beijing cafe"
    Sign(("停车场",), ("停车场", "停车"), chinese=True),  # "car park"
)


@cache
def cjk_font() -> Path | None:
    """A font file that draws Chinese, or None."""
    for known in _KNOWN_CJK_FONTS:
        if Path(known).is_file():
            return Path(known)
    if shutil.which("fc-match"):
        found = subprocess.run(
            ["fc-match", "-f", "%{file}", ":lang=zh-cn"], capture_output=True, text=True
        ).stdout.strip()
        if found and Path(found).suffix.lower() in (".ttc", ".otf", ".ttf"):
            font = ImageFont.truetype(found, 20)
            if font.getbbox("出")[2] > 0 and font.getmask("出").getbbox():
                return Path(found)
    return None


def _font(sign: Sign, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if sign.chinese:
        path = cjk_font()
        if path is None:
            raise RuntimeError(NO_CJK_FONT)
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def render_sign(
    sign: Sign,
    *,
    size: tuple[int, int] = (960, 720),
    text_height: float = 0.09,
    seed: int = 0,
) -> Image.Image:
    """A photo-like picture: a noisy gradient backdrop, a few blobs, and the sign on a
    plate; ``text_height`` is the glyph size as a share of the picture's height."""
    rng = np.random.default_rng(seed)
    width, height = size
    backdrop = _backdrop(rng, width, height)
    draw = ImageDraw.Draw(backdrop)
    font = _font(sign, max(8, round(text_height * height)))
    boxes = [draw.textbbox((0, 0), line, font=font) for line in sign.lines]
    line_h = max(b[3] - b[1] for b in boxes)
    plate_w = max(b[2] - b[0] for b in boxes) + line_h
    plate_h = round(line_h * (1.6 * len(sign.lines) + 0.2))
    x = int(rng.integers(0, max(1, width - plate_w)))
    y = int(rng.integers(0, max(1, height - plate_h)))
    plate = tuple(int(v) for v in rng.integers(200, 250, 3))
    ink = tuple(int(v) for v in rng.integers(0, 60, 3))
    draw.rectangle((x, y, x + plate_w, y + plate_h), fill=plate)
    for i, (line, box) in enumerate(zip(sign.lines, boxes, strict=True)):
        ty = y + round(line_h * (0.3 + 1.6 * i)) - box[1]
        draw.text((x + line_h // 2 - box[0], ty), line, font=font, fill=ink)
    return backdrop


def render_plain(*, size: tuple[int, int] = (960, 720), seed: int = 0) -> Image.Image:
    """The same kind of picture without any sign: what most photos are."""
    rng = np.random.default_rng(seed)
    return _backdrop(rng, *size)


def _backdrop(rng: np.random.Generator, width: int, height: int) -> Image.Image:
    top, bottom = rng.integers(40, 200, 3), rng.integers(40, 200, 3)
    ramp = np.linspace(0.0, 1.0, height)[:, None, None]
    pixels = (top * (1 - ramp) + bottom * ramp) * np.ones((1, width, 1))
    img = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(img)
    for _ in range(4):  # blobs: something to look at that is not text
        cx, cy = rng.integers(0, width), rng.integers(0, height)
        r = int(rng.integers(height // 12, height // 4))
        fill = tuple(int(v) for v in rng.integers(0, 255, 3))
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=fill)
    noise = rng.normal(0.0, 5.0, (height, width, 3))
    pixels = np.asarray(img, dtype=np.float32) + noise
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")
