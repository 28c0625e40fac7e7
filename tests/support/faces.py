"""Real faces for tests: the two photos the insightface wheel ships, and photos made from them.

Why these: face tests need real faces of several known people, under a licence that lets
a package carry them. The insightface wheel on PyPI holds a group photo of six people
(``t1.jpg``) and a portrait (``Tom_Hanks_54745.png``). The wheel is fetched once with pip
from the package registry (pinned version and checksum; ``--no-deps``, never installed)
into ``tests/.cache`` and the two files are taken out of it. Nothing is fetched at run
time by PhotoOrg itself.

From each person's face the tests make photos that a library really holds: the face
cropped and enlarged, mirrored, small in a big picture, relit, recompressed hard, and
pasted on other backgrounds. Every person's ground truth is which photos show them.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import io
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageOps

from tests.support.scenes import render_scene

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / "tests" / ".cache" / "insightface-2.1"
WHEEL = "insightface==2.1"
WHEEL_SHA256 = "dcd58ee79d99d689572477315f3149353afd65a36dc575f597cbb217a7bde399"
GROUP_PHOTO = "t1.jpg"
PORTRAIT = "Tom_Hanks_54745.png"
_MEMBERS = {f"insightface/data/images/{name}": name for name in (GROUP_PHOTO, PORTRAIT)}

# The six faces of t1.jpg (1280x886), left, top, side, marked by eye on the picture:
# ground truth for detection, and where each person's face is cut out from.
GROUP_FACES: dict[str, tuple[int, int, int]] = {
    "rachel": (65, 284, 105),
    "monica": (275, 179, 88),
    "ross": (452, 300, 126),
    "chandler": (734, 365, 104),
    "joey": (883, 89, 105),
    "phoebe": (1114, 284, 104),
}
PEOPLE = (*GROUP_FACES, "tom")


def insightface_images() -> Path:
    """The folder holding t1.jpg and Tom_Hanks_54745.png, fetched into tests/.cache once."""
    if all((CACHE / name).is_file() for name in _MEMBERS.values()):
        return CACHE
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:"]
        command += ["--disable-pip-version-check", "-q", "-d", tmp, WHEEL]
        done = subprocess.run(command, capture_output=True, text=True, timeout=600)
        wheels = list(Path(tmp).glob("insightface-*.whl"))
        if done.returncode != 0 or len(wheels) != 1:
            raise RuntimeError(f"pip could not fetch {WHEEL} for the face tests: {done.stderr}")
        data = wheels[0].read_bytes()
        if hashlib.sha256(data).hexdigest() != WHEEL_SHA256:
            raise RuntimeError(f"{wheels[0].name} does not have the pinned checksum")
        CACHE.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(io.BytesIO(data)) as wheel:
            for member, name in _MEMBERS.items():
                partial = CACHE / f".{name}.part"
                partial.write_bytes(wheel.read(member))
                partial.replace(CACHE / name)
    return CACHE


def group_photo() -> Path:
    return insightface_images() / GROUP_PHOTO


@functools.cache
def face_crops() -> dict[str, Image.Image]:
    """Each person's face with a margin (hair, chin, some background), as RGB."""
    folder = insightface_images()
    crops: dict[str, Image.Image] = {}
    with Image.open(folder / GROUP_PHOTO) as group:
        group = group.convert("RGB")
        for person, (x, y, side) in GROUP_FACES.items():
            margin = side * 0.7
            crops[person] = group.crop(
                (x - margin, y - margin, x + side + margin, y + side + margin)
            )
    with Image.open(folder / PORTRAIT) as portrait:
        tom = portrait.convert("RGB")  # 112 px, the face fills it: give it a border
        crops["tom"] = ImageOps.expand(tom, border=28, fill=tuple(tom.getpixel((0, 0))))
    return crops


@dataclass(frozen=True)
class SamplePhoto:
    path: Path
    person: str | None  # whose face it shows; None for photos without faces


def background(size: tuple[int, int], seed: int) -> Image.Image:
    """A picture with no face: a generated shapes scene, enlarged, with a tint and noise."""
    rng = np.random.default_rng(seed)
    colour = ("red", "green", "blue", "yellow")[seed % 4]
    shape = ("circle", "square", "triangle")[seed % 3]
    back = ("black", "white", "gray")[(seed // 3) % 3]
    scene = render_scene(colour, shape, back, size=256, rng=rng, noise=4.0)
    scene = scene.resize(size, Image.Resampling.BICUBIC)
    pixels = np.asarray(scene, dtype=np.float32)
    pixels += rng.normal(0, 5, pixels.shape).astype(np.float32)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")


def _paste(face: Image.Image, onto: Image.Image, side: int, centre: tuple[float, float]) -> None:
    """Paste ``face`` scaled to ``side`` px with soft oval edges, as a composite would."""
    face = face.resize((side, side), Image.Resampling.LANCZOS)
    mask = Image.new("L", (side, side), 0)
    ImageDraw.Draw(mask).ellipse((side * 0.04, 0, side * 0.96, side), fill=255)
    mask = mask.filter(ImageFilter.GaussianBlur(side * 0.04))
    onto.paste(face, (round(centre[0] - side / 2), round(centre[1] - side / 2)), mask)


def _jpeg(img: Image.Image, path: Path, quality: int = 90) -> Path:
    img.save(path, "JPEG", quality=quality)
    return path


def make_person_photos(folder: Path, person: str) -> list[SamplePhoto]:
    """Five photos of ``person``: enlarged, mirrored, small, relit, recompressed."""
    face = face_crops()[person]
    seed = PEOPLE.index(person) * 10
    out: list[SamplePhoto] = []

    def add(img: Image.Image, kind: str, quality: int = 90) -> None:
        out.append(SamplePhoto(_jpeg(img, folder / f"{person}-{kind}.jpg", quality), person))

    img = background((900, 700), seed)
    _paste(face, img, 420, (450, 350))
    add(img, "large")
    img = background((1200, 900), seed + 1)
    _paste(ImageOps.mirror(face), img, 380, (380, 420))
    add(img, "mirrored")
    img = background((2000, 1500), seed + 2)
    _paste(face, img, 500, (1400, 700))  # the face is ~10% of the long side
    add(img, "small")
    img = background((1000, 800), seed + 3)
    _paste(face, img, 400, (600, 380))
    img = ImageEnhance.Contrast(ImageEnhance.Brightness(img).enhance(0.65)).enhance(1.3)
    add(img, "relit")
    img = background((800, 800), seed + 4)
    _paste(face, img, 360, (380, 420))
    recompressed = Image.open(io.BytesIO(_encode(img, 20))).convert("RGB")
    add(recompressed, "recompressed", quality=35)
    return out


def _encode(img: Image.Image, quality: int) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def make_faceless_photos(folder: Path, count: int = 6) -> list[SamplePhoto]:
    return [
        SamplePhoto(_jpeg(background((1024, 768), 1000 + i), folder / f"scene-{i}.jpg"), None)
        for i in range(count)
    ]


def make_library(folder: Path) -> list[SamplePhoto]:
    """Every person's photos, the group photo (person None: it shows six), faceless photos."""
    folder.mkdir(parents=True, exist_ok=True)
    photos: list[SamplePhoto] = []
    for person in PEOPLE:
        photos += make_person_photos(folder, person)
    photos += make_faceless_photos(folder)
    return photos


@dataclass(frozen=True)
class DetectedLibrary:
    photos: list[SamplePhoto]  # the group photo first (person None: it shows six people)
    faces: dict[Path, list]  # path -> the engine's FoundFace list
    sizes: dict[Path, tuple[int, int]]


@functools.cache
def detected_library() -> DetectedLibrary:
    """The sample library, made once per test run in a temporary folder, with the faces
    the engine finds in each photo (detection costs ~0.3 s a photo: done once, shared)."""
    from photoorg.ml.faces import FaceEngine

    folder = Path(tempfile.mkdtemp(prefix="photoorg-faces-"))
    atexit.register(shutil.rmtree, folder, True)
    group = folder / GROUP_PHOTO
    shutil.copyfile(group_photo(), group)
    photos = [SamplePhoto(group, None), *make_library(folder / "library")]
    engine = FaceEngine()
    faces, sizes = {}, {}
    for photo in photos:
        faces[photo.path] = engine.find_in_bytes(photo.path.read_bytes(), photo.path.name)
        with Image.open(photo.path) as img:
            sizes[photo.path] = img.size
    return DetectedLibrary(photos, faces, sizes)
