"""Render the app icon's PNG, ICO and ICNS from ``resources/icons/photoorg.svg``.

Run after changing the SVG: ``.venv/bin/python packaging/make_icons.py``. The outputs are
committed, so building the app needs neither this script nor an SVG renderer: Linux
desktop files want a PNG, Windows executables an ICO and macOS bundles an ICNS.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

from PIL import Image

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SVG = ICONS / "photoorg.svg"
ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]


def render(svg: Path, size: int) -> Image.Image:
    """The SVG drawn at ``size`` pixels by Qt's SVG renderer, as a Pillow RGBA image."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return Image.open(io.BytesIO(bytes(data))).convert("RGBA")


def main() -> int:
    big = render(SVG, 1024)
    png = render(SVG, 256)
    png.save(ICONS / "photoorg.png", optimize=True)
    png.save(ICONS / "photoorg.ico", sizes=ICO_SIZES)
    big.save(ICONS / "photoorg.icns")
    for name in ("photoorg.png", "photoorg.ico", "photoorg.icns"):
        print(f"{ICONS / name}: {(ICONS / name).stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
