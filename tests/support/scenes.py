"""Deterministic generated pictures for tests: coloured shapes on plain backgrounds.

Why: search and tagging tests need photos whose true content is known, and a model
(see ``tinyclip.py``) that can actually recognise that content. Every picture is drawn
from a seed, so a test library is identical on every run, yet two pictures of the
same caption differ (position, size, aspect, colour jitter, noise) so that a model
cannot pass by memorising pixels.

The vocabulary is deliberately small: 4 colours x 3 shapes x 3 backgrounds = 36
scenes. Backgrounds are neutral (black, white, gray) so they never share a colour
with a shape, which keeps "red circle" vs "black background" queries unambiguous.
"""

from __future__ import annotations

import io
import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

# Nominal RGB values; each picture jitters them a little.
COLOURS: dict[str, tuple[int, int, int]] = {
    "red": (210, 35, 35),
    "green": (40, 170, 60),
    "blue": (40, 70, 215),
    "yellow": (235, 210, 40),
}
SHAPES: tuple[str, ...] = ("circle", "square", "triangle")
BACKGROUNDS: dict[str, tuple[int, int, int]] = {
    "black": (15, 15, 15),
    "white": (240, 240, 240),
    "gray": (128, 128, 128),
}

#: Size of the pictures the tiny model is trained on (its input size).
MODEL_SIZE = 64


@dataclass(frozen=True, order=True)
class Scene:
    """What a generated picture shows; the ground truth tests compare against."""

    colour: str
    shape: str
    background: str

    def __post_init__(self) -> None:
        if self.colour not in COLOURS:
            raise ValueError(f"unknown colour {self.colour!r}")
        if self.shape not in SHAPES:
            raise ValueError(f"unknown shape {self.shape!r}")
        if self.background not in BACKGROUNDS:
            raise ValueError(f"unknown background {self.background!r}")

    @property
    def caption(self) -> str:
        """The full caption the tiny model was trained on."""
        return caption(self.colour, self.shape, self.background)

    def matches(
        self, colour: str | None = None, shape: str | None = None, background: str | None = None
    ) -> bool:
        """True when this scene has every attribute that is given (None = any)."""
        return (
            (colour is None or colour == self.colour)
            and (shape is None or shape == self.shape)
            and (background is None or background == self.background)
        )


def caption(colour: str, shape: str, background: str) -> str:
    """Full caption, e.g. ``"a red circle on a black background"``."""
    return f"a {colour} {shape} on a {background} background"


def partial_caption(
    colour: str | None = None, shape: str | None = None, background: str | None = None
) -> str:
    """Caption naming only some attributes, e.g. ``"a red circle"`` or ``"a black background"``.

    Why: search queries rarely name everything; the tiny model is trained on these
    phrasings too, so a test can query "a red circle" or subtract "a black background".
    """
    if colour is None and shape is None:
        if background is None:
            raise ValueError("name at least one attribute")
        return f"a {background} background"
    thing = " ".join(part for part in (colour, shape or "shape") if part)
    if background is None:
        return f"a {thing}"
    return f"a {thing} on a {background} background"


def all_scenes() -> list[Scene]:
    """Every scene of the vocabulary, in a fixed order (colour, shape, background)."""
    return [Scene(c, s, b) for c, s, b in itertools.product(COLOURS, SHAPES, BACKGROUNDS)]


def _jitter(rgb: tuple[int, int, int], rng: np.random.Generator, amount: int) -> tuple[int, ...]:
    return tuple(
        int(v) for v in np.clip(np.array(rgb) + rng.integers(-amount, amount + 1, 3), 0, 255)
    )


def _shape_points(
    shape: str, cx: float, cy: float, r: float, angle: float
) -> list[tuple[float, float]]:
    """Polygon corners of a square or an upward triangle around (cx, cy), rotated by angle."""
    # Circumradii chosen so the shapes cover similar areas (square 0.7, triangle 0.65 of
    # the circle's), so size alone hardly tells them apart.
    if shape == "square":
        corners = [math.pi / 4 + k * math.pi / 2 for k in range(4)]
        radius = r * 1.05
    else:
        corners = [-math.pi / 2 + k * 2 * math.pi / 3 for k in range(3)]
        radius = r * 1.25
    return [(cx + radius * math.cos(a + angle), cy + radius * math.sin(a + angle)) for a in corners]


def render_scene(
    colour: str,
    shape: str,
    background: str,
    *,
    size: int = MODEL_SIZE,
    rng: np.random.Generator,
    noise: float = 6.0,
) -> Image.Image:
    """Draw one picture of the scene as a square RGB image of ``size`` pixels.

    The shape gets a random radius (20-30 % of the side), position (fully inside),
    aspect (circles) and colour jitter; Gaussian pixel noise of ``noise`` (0-255 scale)
    follows. All randomness comes from ``rng``, so the same generator state gives
    the same picture.
    """
    Scene(colour, shape, background)  # validates the names
    img = Image.new("RGB", (size, size), _jitter(BACKGROUNDS[background], rng, 10))
    draw = ImageDraw.Draw(img)
    fill = _jitter(COLOURS[colour], rng, 18)
    r = size * rng.uniform(0.2, 0.3)
    margin = r * 1.3
    cx = rng.uniform(margin, size - margin)
    cy = rng.uniform(margin, size - margin)
    if shape == "circle":
        rx, ry = r * rng.uniform(0.93, 1.07), r * rng.uniform(0.93, 1.07)
        draw.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=fill)
    else:
        # Upright, never tilted: a tiny model learns square corners and a pointed top
        # far faster than the same at any angle (circles still vary in aspect).
        draw.polygon(_shape_points(shape, cx, cy, r, 0.0), fill=fill)
    if noise > 0:
        pixels = np.asarray(img, dtype=np.float32)
        pixels += rng.normal(0.0, noise, pixels.shape).astype(np.float32)
        img = Image.fromarray(np.clip(pixels, 0, 255).round().astype(np.uint8), "RGB")
    return img


def render(scene: Scene, *, size: int = MODEL_SIZE, rng: np.random.Generator) -> Image.Image:
    """``render_scene`` for a ``Scene``."""
    return render_scene(scene.colour, scene.shape, scene.background, size=size, rng=rng)


def jpeg_roundtrip(img: Image.Image, quality: int = 90) -> Image.Image:
    """Encode and decode as JPEG, so training sees the artefacts that library files have."""
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    buf.seek(0)
    with Image.open(buf) as decoded:
        return decoded.convert("RGB")


def balanced_scenes(
    n: int, *, rng: np.random.Generator, scenes: Sequence[Scene] | None = None
) -> list[Scene]:
    """``n`` scenes, each of ``scenes`` (default all) used as evenly as possible, in random order.

    Why: with 216 pictures every scene appears exactly 6 times, so a query for
    "a red circle" has 18 right answers whatever the seed.
    """
    pool = list(scenes) if scenes is not None else all_scenes()
    if not pool:
        raise ValueError("no scenes to choose from")
    out: list[Scene] = []
    while len(out) < n:
        rounds = list(pool)
        rng.shuffle(rounds)  # type: ignore[arg-type]
        out.extend(rounds)
    del out[n:]
    rng.shuffle(out)  # type: ignore[arg-type]
    return out


def write_library(
    folder: Path,
    n: int,
    *,
    seed: int = 0,
    size: int = 256,
    quality: int = 90,
    scenes: Iterable[Scene] | None = None,
) -> list[tuple[Path, Scene]]:
    """Write ``n`` pictures as ``img_0001.jpg`` ... into ``folder`` and return their truth.

    File names say nothing about the content, so a search test cannot pass by
    matching names. ``size`` larger than the model's 64 px (e.g. 256 or 640) makes
    the app exercise its decode-and-resize path.
    """
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    chosen = balanced_scenes(n, rng=rng, scenes=list(scenes) if scenes is not None else None)
    width = max(4, len(str(n)))
    out: list[tuple[Path, Scene]] = []
    for i, scene in enumerate(chosen, start=1):
        path = folder / f"img_{i:0{width}d}.jpg"
        render(scene, size=size, rng=rng).save(path, "JPEG", quality=quality)
        out.append((path, scene))
    return out
