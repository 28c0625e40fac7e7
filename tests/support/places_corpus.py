"""The corpus's GPS photos (and two without GPS), copied before use: the small library
the place and event tests need, quicker to scan than the whole corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.support.corpus import require_corpus

GPS_PHOTOS = [f"jpg/gps/DSCN00{n}.jpg" for n in (10, 12, 21, 25, 27, 29, 38, 40, 42)] + [
    "jpg/Kodak_CX7530.jpg",  # Lake Nakuru, Kenya
    "heic/IMG_5195.HEIC",  # Blue Springs, Missouri
]
NO_GPS = ["jpg/Canon_40D.jpg", "jpg/Nikon_D70.jpg"]


def copy_gps_photos(target: Path) -> Path:
    corpus = require_corpus()
    for relative in GPS_PHOTOS + NO_GPS:
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(corpus / relative, target / relative)
    return target
