"""``photoorg --self-test [--model SPEC]``: a headless check that an installation works.

Made for the frozen app (PyInstaller), where a missing data file, Qt plugin or native
library only shows when the code that needs it runs. In a temporary folder it writes a
few generated photos (JPEG, PNG, WebP and HEIC, so every bundled decoder runs; one with
a GPS position in Rome), opens a catalog, scans them (and finds no faces in them, after
running every face model once), names the place (GeoNames, the sphere grid, pycountry's
Chinese names), encodes them with the model given (``local-dir:FOLDER`` needs no
network), exports its text tower to ONNX, runs a search through that and a tag pass,
loads a tiny Hugging Face text-tower model it makes itself (transformers, tokenizers),
reads the text of a generated sign, then opens the real main window offscreen and closes
it. It prints one line: the summary, or the first failure (exit status 1).

Without ``--model`` everything that needs no weights still runs (scan, thumbnails,
browsing, places, faces, open_clip's bundled tokenizer and model configs, the Hugging
Face text tower, the sign, the window), and the line says that encoding, the ONNX
query tower, search and tagging were skipped.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from PIL import Image, ImageDraw

TRACEBACK_ENV = "PHOTOORG_SELFTEST_TRACEBACK"
"""Set to 1 to print the full traceback of a failure after the one-line message."""
WINDOW_TIMEOUT = 60.0  # seconds; a busy 2-core machine loading torch in a worker is slow
QUERY = "a red circle"
OFFLINE_ENV = {"HF_HUB_OFFLINE": "1"}


@dataclass(frozen=True)
class TestPhoto:
    name: str  # file name; the extension picks the format
    colour: tuple[int, int, int]
    shape: str  # circle, square or triangle
    background: tuple[int, int, int]
    gps: tuple[float, float] | None = None  # (latitude, longitude), north and east


ROME = (41.8933, 12.4829)  # the Pantheon: GeoNames calls it Rome, Lazio, Italy (意大利)
RED, GREEN, BLUE, YELLOW = (210, 35, 35), (40, 170, 60), (40, 70, 215), (235, 210, 40)
BLACK, WHITE, GRAY = (15, 15, 15), (240, 240, 240), (128, 128, 128)
PHOTOS: tuple[TestPhoto, ...] = (
    TestPhoto("red-circle.jpg", RED, "circle", BLACK, gps=ROME),  # the one QUERY should find
    TestPhoto("green-square.jpg", GREEN, "square", WHITE),
    TestPhoto("blue-triangle.png", BLUE, "triangle", GRAY),
    TestPhoto("yellow-circle.heic", YELLOW, "circle", GRAY),
    TestPhoto("red-square.webp", RED, "square", WHITE),
    TestPhoto("blue-circle.jpg", BLUE, "circle", WHITE),
)


class SelfTestError(Exception):
    """A check failed; the message says which and why."""


def draw_photo(photo: TestPhoto, size: int = 256) -> Image.Image:
    """A plain coloured shape in the middle of a plain background."""
    img = Image.new("RGB", (size, size), photo.background)
    draw = ImageDraw.Draw(img)
    c, r = size / 2, size * 0.25
    if photo.shape == "circle":
        draw.ellipse((c - r, c - r, c + r, c + r), fill=photo.colour)
    elif photo.shape == "square":
        draw.rectangle((c - r, c - r, c + r, c + r), fill=photo.colour)
    else:
        draw.polygon(
            [(c, c - r * 1.1), (c + r * 1.1, c + r * 0.8), (c - r * 1.1, c + r * 0.8)],
            fill=photo.colour,
        )
    return img


def write_photos(folder: Path) -> list[Path]:
    """Write ``PHOTOS`` into ``folder`` (HEIC through pillow-heif, registered by media.decode)."""
    import photoorg.media.decode  # noqa: F401  (registers the HEIF plugin with Pillow)

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for photo in PHOTOS:
        path = folder / photo.name
        fmt = {".jpg": "JPEG", ".png": "PNG", ".webp": "WEBP", ".heic": "HEIF"}[path.suffix]
        options: dict[str, Any] = {"quality": 92} if fmt == "JPEG" else {}
        if photo.gps is not None:
            options["exif"] = _gps_exif(*photo.gps)
        draw_photo(photo).save(path, format=fmt, **options)
        paths.append(path)
    return paths


def _gps_exif(latitude: float, longitude: float) -> Image.Exif:
    def dms(value: float) -> tuple[float, float, float]:
        minutes = value % 1 * 60
        return (float(int(value)), float(int(minutes)), round(minutes % 1 * 60, 2))

    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: dms(latitude), 3: "E", 4: dms(longitude)})
    return exif


# -- the checks ---------------------------------------------------------------------------


def check_library(home: Path, photos_dir: Path, model_spec: str | None, facts: list[str]) -> None:
    """Scan, encode, search and tag with the core (no Qt)."""
    from photoorg.services.library import Library

    with Library(home, model=model_spec, device="cpu") as library:
        summary = library.index([photos_dir], encode=model_spec is not None, faces=True)
        if summary.get("faces_skipped"):
            raise SelfTestError(f"faces: {summary['faces_skipped']}")
        if summary.get("faces"):
            raise SelfTestError(f"faces: {summary['faces']} found where none are")
        errors = library.errors()
        if errors:
            first = errors[0]
            raise SelfTestError(f"scan: {len(errors)} unreadable file(s), first {first}")
        photos = library.status().get("online", summary.get("added", 0))
        if photos != len(PHOTOS):
            raise SelfTestError(f"scan: expected {len(PHOTOS)} photos, the catalog has {photos}")
        browsed = library.browse(limit=100)
        if len(browsed) != len(PHOTOS):
            raise SelfTestError(f"browse: {len(browsed)} photos listed, {len(PHOTOS)} expected")
        missing_thumbs = [h for h in browsed if not _thumbnail_exists(library, h)]
        if missing_thumbs:
            raise SelfTestError(f"thumbnails: {len(missing_thumbs)} missing")
        facts.append(f"{photos} photos")
        facts.append(check_places(library, photos_dir))
        if model_spec is None:
            facts.append(check_faces())
            check_open_clip_data()
            facts.append(
                "encoding skipped (no --model given: query tower, search and tags not tested)"
            )
            return
        encoded = summary.get("encoded", 0)
        if encoded != len(PHOTOS):
            raise SelfTestError(f"encode: {encoded} of {len(PHOTOS)} photos encoded")
        facts.append(f"{encoded} encoded")
        facts.append(check_query_tower(library))
        facts.append(check_search(library))
        facts.append(check_tags(library))
        facts.append(check_faces())


def check_places(library: Any, photos_dir: Path) -> str:
    """The photo with a GPS position got its place, found in Chinese by ``place:``."""
    with_gps = [photo for photo in PHOTOS if photo.gps is not None]
    place = library.info(photos_dir / with_gps[0].name)["place"] or {}
    if (place.get("city"), place.get("country")) != ("Rome", "Italy"):
        raise SelfTestError(f"places: the photo taken in Rome was placed at {place or None}")
    found = [Path(h.path).name for h in library.search("place:意大利", limit=len(PHOTOS))]
    if found != [photo.name for photo in with_gps]:
        raise SelfTestError(f"places: place:意大利 found {found}")
    return "places ok (Rome, Italy; place:意大利)"


def check_query_tower(library: Any) -> str:
    """The text tower exported to ONNX (onnx, onnxruntime) answers queries without torch."""
    from photoorg.ml import text_onnx

    model = library.model()
    if not text_onnx.exportable(model):
        return "query tower skipped (this model's text tower is not exported)"
    queries = library.query_vectors()
    if not queries.prepare(model):
        raise SelfTestError("query tower: the ONNX export did not give the model's vectors")
    if queries.light_tower() is None:
        raise SelfTestError("query tower: exported, but onnxruntime cannot open it")
    return "query tower ok (onnx)"


def check_hub_text_tower(workdir: Path) -> str:
    """A model with a Hugging Face text tower loads and encodes (ml.hub_text_check)."""
    from photoorg.ml.hub_text_check import self_check

    return self_check(workdir)


def check_faces() -> str:
    """Every face model runs once (a .dat file or dlib missing from a build shows here)."""
    from photoorg.ml.faces import self_check

    return self_check()


def check_text(workdir: Path, facts: list[str]) -> None:
    """Read a sign (the OCR models and onnxruntime are packed) and find it with text:."""
    from PIL import ImageFont

    from photoorg.services.library import Library

    folder = workdir / "sign"
    folder.mkdir()
    sign = Image.new("RGB", (640, 480), (70, 110, 70))
    draw = ImageDraw.Draw(sign)
    draw.rectangle((60, 180, 580, 300), fill=(240, 240, 230))
    draw.text((90, 205), "CAFE ROMA", font=ImageFont.load_default(64), fill=(20, 20, 20))
    sign.save(folder / "sign.jpg", quality=92)
    with Library(workdir / "text-catalog", device="cpu") as library:
        library.index([folder], encode=False, read_text="every")
        found = library.search("text:caferoma", limit=5)
        if [Path(h.path).name for h in found] != ["sign.jpg"]:
            text = library.info(library.photo_id(folder / "sign.jpg"))["text"]
            raise SelfTestError(f"text: the sign was read as {text and text['text']!r}")
    facts.append("a sign read")


def _thumbnail_exists(library: Any, hit: Any) -> bool:
    path = library.thumbnail_path(hit.id)
    return path is not None and path.is_file()


def check_open_clip_data() -> None:
    """The data files open_clip reads at run time (model configs, BPE vocabulary) are there."""
    import open_clip

    if "ViT-B-32" not in open_clip.list_models():
        raise SelfTestError("open_clip: its bundled model configs are missing")
    tokens = open_clip.get_tokenizer("ViT-B-32")(["a red circle"])
    if tokens.shape[0] != 1 or int(tokens[0, 1]) == 0:
        raise SelfTestError("open_clip: its tokenizer vocabulary is missing or empty")


def check_search(library: Any) -> str:
    hits = library.search(QUERY, limit=len(PHOTOS), min_score=-1.0)
    if not hits:
        raise SelfTestError(f"search: {QUERY!r} found nothing")
    names = [Path(h.path).name for h in hits]
    target = PHOTOS[0].name
    if target not in names:  # with no cutoff and room for all, every photo comes back
        raise SelfTestError(f"search: {QUERY!r} did not return {target} ({len(hits)} hits)")
    rank = names.index(target) + 1
    return f"search ok ({QUERY!r}: rank {rank}/{len(hits)})"


def check_tags(library: Any) -> str:
    result = library.tagging.tag()
    labels = len(result)
    total = sum(int(entry.get("total", 0)) for entry in result.values())
    return f"tags ok ({labels} labels, {total} tags)"


def check_window(home: Path, model_spec: str | None, workdir: Path) -> str:
    """Open the real main window offscreen on the catalog, wait for it to load, close it."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QCoreApplication, QEventLoop, QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["photoorg", "-platform", "offscreen"])
    if "offscreen" not in QApplication.platformName() and os.environ.get("DISPLAY") is None:
        raise SelfTestError(f"window: Qt runs on {QApplication.platformName()!r}, not offscreen")

    def wait(condition: Callable[[], bool], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                return False
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            time.sleep(0.005)
        return True

    from photoorg.ui.app import build_window

    store = QSettings(str(workdir / "settings.ini"), QSettings.Format.IniFormat)
    store.setValue("first_run_done", "true")
    window = build_window(str(home), model_spec, store=store)
    events: dict[str, Any] = {}
    window.overview_loaded.connect(lambda: events.setdefault("loaded", True))
    ctx = window.ctx
    ctx.open_failed.connect(lambda message: events.setdefault("error", message))
    ctx.model_ready.connect(lambda model_id: events.setdefault("model", model_id))
    ctx.model_failed.connect(lambda message: events.setdefault("model_error", message))
    shown = None
    try:
        window.show()
        window.start()
        if not wait(lambda: "loaded" in events or "error" in events, WINDOW_TIMEOUT):
            raise SelfTestError(f"window: the catalog did not load within {WINDOW_TIMEOUT:.0f} s")
        if "error" in events:
            raise SelfTestError(f"window: the catalog could not be opened: {events['error']}")
        if model_spec is not None:
            if not wait(lambda: "model" in events or "model_error" in events, WINDOW_TIMEOUT):
                raise SelfTestError("window: the model did not load in time")
            if "model_error" in events:
                raise SelfTestError(f"window: the model failed to load: {events['model_error']}")
        grid = window.browser.model
        wait(lambda: grid.rowCount() >= len(PHOTOS), 10.0)
        shown = grid.rowCount()
    finally:
        window.close()  # closeEvent: cancel, wait for every worker, close the catalog
        window.shutdown()
        window.deleteLater()
        app.processEvents()
        QCoreApplication.sendPostedEvents(None, 0)  # runs the deleteLater
    return f"window ok ({shown} shown)"


# -- running it -------------------------------------------------------------------------------


def run_self_test(model_spec: str | None, stream: TextIO | None) -> int:
    """Run every check; write one line to ``stream``; 0 when all passed, else 1."""
    out = stream if stream is not None else open(os.devnull, "w")  # noqa: SIM115
    start = time.monotonic()
    facts: list[str] = []
    stage = "setup"
    workdir = Path(tempfile.mkdtemp(prefix="photoorg-selftest-"))
    saved_env = {name: os.environ.get(name) for name in OFFLINE_ENV}
    os.environ.update(OFFLINE_ENV)  # never wait on a network: a missing model fails at once
    try:
        stage = "photos"
        photos_dir = workdir / "photos"
        write_photos(photos_dir)
        home = workdir / "catalog"
        stage = "library"
        check_library(home, photos_dir, model_spec, facts)
        stage = "hub text tower"
        facts.append(check_hub_text_tower(workdir))
        stage = "text"
        check_text(workdir, facts)
        stage = "window"
        facts.append(check_window(home, model_spec, workdir))
    except Exception as exc:
        message = (
            str(exc) if isinstance(exc, SelfTestError) else f"{stage}: {type(exc).__name__}: {exc}"
        )
        print(f"self-test FAILED: {' '.join(message.split())}", file=out, flush=True)
        if os.environ.get(TRACEBACK_ENV) == "1":
            traceback.print_exc(file=out)
        return 1
    finally:
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        shutil.rmtree(workdir, ignore_errors=True)
    print(
        f"self-test ok: {', '.join(facts)} ({time.monotonic() - start:.1f} s)", file=out, flush=True
    )
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="photoorg --self-test", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--self-test", action="store_true", required=True)
    parser.add_argument(
        "--model", metavar="SPEC", help="a model to encode with, e.g. local-dir:FOLDER"
    )
    args = parser.parse_args(argv)
    return run_self_test(args.model, sys.stdout)
