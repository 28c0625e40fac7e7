"""Reading the text in photos (signs, menus, screenshots, documents) with RapidOCR.

Why ``rapidocr-onnxruntime`` 1.4.4: its wheel ships PaddleOCR's PP-OCRv4 detection and
recognition models (Chinese and English, ~15 MB of ONNX) and runs them on onnxruntime,
so it reads offline with nothing downloaded at run time, and it needs no second deep
learning framework beside torch. rapidocr 3.x also ships default models but installs
opencv-python-headless beside the opencv-python that other packages pull, two copies of
``cv2`` in one environment that overwrite each other's files. 1.4.4 caps Python below
3.13 (it declares it; nothing in it needs it), which the project's supported Pythons meet.

Cost: detection dominates and costs the same whether a photo holds text or not, so
reading every photo of a large library on a CPU is slow. Hence ``probe``: the same
OCR on a small copy of the photo (``PROBE_SIDE`` pixels on the long side) answers
"is there any text here?" for a third of the price; only photos that pass are read at
``READ_SIDE``. What the probe misses (small text) and what it saves are measured by
``benchmarks/text_reading.py`` and written in docs/benchmarks.md.

A caveat of opencv-python (not -headless): importing ``cv2`` points
``QT_QPA_PLATFORM_PLUGIN_PATH`` and ``QT_QPA_FONTDIR`` at its own bundled Qt, which
would make PySide6 load the wrong platform plugins in a window started afterwards.
``_import_rapidocr`` puts the environment back as it was.
"""

from __future__ import annotations

import os
import threading
from importlib import metadata
from typing import Any

import numpy as np
from PIL import Image

from photoorg.errors import ModelError
from photoorg.model.text import TextLine

# The text-reading setting: read no photo, only photos the probe finds text in, or all.
OFF, LIKELY, EVERY = "off", "likely", "every"
POLICIES = (OFF, LIKELY, EVERY)

READ_SIDE = 1280
"""Long side, in pixels, of the picture that is read. PP-OCRv4 reads text down to about
10 px high; 1280 keeps a sign across a tenth of a photo legible and detection ~4x
cheaper than at RapidOCR's own limit of 2000."""

PROBE_SIDE = 640
"""Long side of the copy the probe looks at (a multiple of the detector's 32 px grid).
Measured (benchmarks/bench_text.py): at 640 the probe passed 11 of 12 signs (missing
one of three with glyphs 1.5 % of the photo's height) for about a third of a full
read; at 416 it cost a sixth but passed only 8 of 12 (none at 1.5 %, 2 of 3 at 2.5 %).
Neither passed a photo without text."""

MIN_CONFIDENCE = 0.5
"""Lines the recogniser is less sure of are dropped (RapidOCR's own default cut)."""


def reader_id() -> str:
    """What made a stored text row: engine, version and models; a new one re-reads."""
    try:
        version = metadata.version("rapidocr-onnxruntime")
    except metadata.PackageNotFoundError:
        version = "missing"
    return f"rapidocr-onnxruntime {version} PP-OCRv4 @{READ_SIDE}"


def available() -> bool:
    """Whether the OCR engine is installed (rapidocr-onnxruntime needs Python < 3.13)."""
    from importlib.util import find_spec

    return find_spec("rapidocr_onnxruntime") is not None


def _import_rapidocr() -> Any:
    """``rapidocr_onnxruntime.RapidOCR``, importing cv2 without letting it steer Qt."""
    saved = {k: v for k, v in os.environ.items() if k.startswith("QT_")}
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as exc:
        raise ModelError(
            "reading text in photos needs the rapidocr-onnxruntime package "
            f"(pip install rapidocr-onnxruntime==1.4.4): {exc}"
        ) from exc
    finally:
        for key in [k for k in os.environ if k.startswith("QT_")]:
            if key not in saved:
                del os.environ[key]
        os.environ.update(saved)
    return RapidOCR


class TextReader:
    """Finds and reads lines of text in upright RGB pictures; thread-safe (one at a time).

    The ONNX sessions load on first use (about a second), so making a reader is free.
    """

    def __init__(self, threads: int = 0, probe_side: int = PROBE_SIDE) -> None:
        self.threads = threads  # 0: onnxruntime's choice (all cores)
        self.probe_side = probe_side
        self._engine: Any = None
        self._lock = threading.Lock()

    def _ocr(self) -> Any:
        if self._engine is None:
            rapid_ocr = _import_rapidocr()
            threads = self.threads or -1
            # limit_type "min" with a tiny limit: the detector takes the picture at the
            # size we hand it (we choose READ_SIDE or PROBE_SIDE) instead of rescaling.
            self._engine = rapid_ocr(
                det_limit_side_len=32,
                det_limit_type="min",
                intra_op_num_threads=threads,
                inter_op_num_threads=1,
            )
        return self._engine

    def read(self, upright: Image.Image) -> list[TextLine]:
        """The lines of text in the picture, top to bottom, in its own pixel coordinates."""
        return self._read_at(upright, READ_SIDE)

    def probe(self, upright: Image.Image) -> bool:
        """Whether a cheap read of a small copy finds any text at all.

        Recognition is kept (it costs little next to detection): the detector alone
        also boxes round blobs and stripes, which the recogniser then reads as "O" or
        "8", lines that ``_keep`` drops.
        """
        return bool(self._read_at(upright, self.probe_side))

    def _read_at(self, upright: Image.Image, long_side: int) -> list[TextLine]:
        scale, pixels = _scaled(upright, long_side)
        with self._lock:
            result, _ = self._ocr()(pixels)
        lines = []
        for box, text, confidence in result or []:
            text = str(text).strip()
            if _keep(text, float(confidence)):
                corners = tuple((round(x / scale), round(y / scale)) for x, y in box)
                lines.append(TextLine(text, corners, round(float(confidence), 4)))  # type: ignore[arg-type]
        return lines


def _keep(text: str, confidence: float) -> bool:
    """Whether a recognised line is worth storing.

    A lone Latin letter or digit is dropped: round shapes come back as "O", "0" or "8"
    often enough to make every ball and wheel a match, and one letter is no search term.
    A lone Chinese character is a word and stays.
    """
    if confidence < MIN_CONFIDENCE or not text:
        return False
    return len(text) > 1 or not text.isascii()


def _scaled(upright: Image.Image, long_side: int) -> tuple[float, np.ndarray]:
    """The picture resized so its long side is ``long_side``, as BGR pixels for OpenCV."""
    rgb = upright if upright.mode == "RGB" else upright.convert("RGB")
    scale = long_side / max(rgb.size)
    if abs(scale - 1.0) > 0.01:
        size = (max(1, round(rgb.width * scale)), max(1, round(rgb.height * scale)))
        rgb = rgb.resize(size, Image.Resampling.BILINEAR if scale > 1 else Image.Resampling.BOX)
    else:
        scale = 1.0
    return scale, np.ascontiguousarray(np.asarray(rgb)[:, :, ::-1])
