"""The Python half of ``scripts/screenshot docs/map.png map``: the map view, offline.

A demo library of the corpus's GPS photos (Arezzo, Lake Nakuru, Missouri) and generated
pictures given GPS positions and dates of a few trips, indexed with the tiny model; the
window opens on View > Map with the Places and Events sections expanded.
"""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

TRIPS = [  # (folder, latitude, longitude, first day, photos)
    ("Kyoto 2019", 35.0116, 135.7681, "2019:04:03", 14),
    ("Paris 2018", 48.8566, 2.3522, "2018:06:12", 11),
    ("New York 2017", 40.7128, -74.0060, "2017:12:27", 9),
    ("Sydney 2020", -33.8688, 151.2093, "2020:01:05", 8),
    ("Cape Town 2016", -33.9249, 18.4241, "2016:09:20", 6),
    ("Rio 2015", -22.9068, -43.1729, "2015:02:14", 7),
    ("Reykjavik 2021", 64.1466, -21.9426, "2021:08:01", 5),
]


def _dms(value: float) -> tuple[Fraction, Fraction, Fraction]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = (value - degrees - minutes / 60) * 3600
    return Fraction(degrees), Fraction(minutes), Fraction(seconds).limit_denominator(100)


def write_trip_photos(folder: Path) -> None:
    from PIL import ExifTags, Image

    from tests.support import scenes

    rng = random.Random(5)
    for name, lat, lon, day, count in TRIPS:
        written = scenes.write_library(folder / name, count, seed=len(name), size=192)
        for i, (path, _scene) in enumerate(written):
            with Image.open(path) as img:
                img.load()
                exif = Image.Exif()
                gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
                here = (lat + rng.gauss(0, 0.02), lon + rng.gauss(0, 0.02))
                gps[ExifTags.GPS.GPSLatitudeRef] = "N" if here[0] >= 0 else "S"
                gps[ExifTags.GPS.GPSLatitude] = _dms(here[0])
                gps[ExifTags.GPS.GPSLongitudeRef] = "E" if here[1] >= 0 else "W"
                gps[ExifTags.GPS.GPSLongitude] = _dms(here[1])
                taken = f"{day} {10 + i // 4:02d}:{(i * 7) % 60:02d}:00"
                exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken
                img.convert("RGB").save(path.with_suffix(".jpg"), exif=exif, quality=90)
            if path.suffix.lower() != ".jpg":
                path.unlink()


def build_demo(work: Path) -> tuple[Path, str]:
    from photoorg.services.library import Library
    from tests.support.places_corpus import copy_gps_photos
    from tests.support.tinyclip import ensure_tiny_clip, local_dir_spec

    spec = local_dir_spec(ensure_tiny_clip())
    pictures = work / "Pictures"
    copy_gps_photos(pictures / "Camera roll")
    write_trip_photos(pictures / "Trips")
    with Library(work / "catalog", model=spec) as library:
        library.index([pictures])
    return work / "catalog", spec


def main(output: str) -> int:
    from PySide6.QtCore import QEventLoop, QSettings
    from PySide6.QtWidgets import QApplication

    from photoorg.ui.app import apply_look, build_window

    work = Path(tempfile.mkdtemp(prefix="photoorg-map-"))
    try:
        catalog, spec = build_demo(work)
        app = QApplication([sys.argv[0]])
        app.setApplicationName("PhotoOrg")
        apply_look(app)
        store = QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat)
        store.setValue("first_run_done", "true")
        window = build_window(str(catalog), spec, store=store)
        window.resize(1360, 860)
        window.show()

        def settle(condition, timeout: float) -> None:
            deadline = time.monotonic() + timeout
            while not condition() and time.monotonic() < deadline:
                app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
                time.sleep(0.01)

        window.start()
        settle(lambda: window.overview is not None and window.ctx.model_id is not None, 120)
        window.commands.actions["map"].trigger()
        settle(lambda: bool(window.map_view.clusters), 30)
        window.sidebar.expandAll()
        for key in ("labels", "library"):
            section = window.sidebar._sections[key]
            for i in range(section.childCount()):
                section.child(i).setExpanded(False)
        settle(lambda: False, 3)  # thumbnails for the event covers
        image = window.grab()
        if not image.save(output):
            print(f"screenshot: could not write {output}", file=sys.stderr)
            return 1
        print(f"screenshot: wrote {output}, {len(window.map_view.clusters)} clusters")
        window.close()
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else str(REPO / "docs" / "map.png")))
