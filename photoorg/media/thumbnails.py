"""The small upright JPEGs the grid shows, and where they are kept."""

from __future__ import annotations

import io

from PIL import Image

from photoorg.config import THUMBNAIL_SIZE, Paths
from photoorg.media.decode import to_rgb
from photoorg.media.files import write_atomically


def make_thumbnail(upright: Image.Image, size: int = 256) -> bytes:
    """JPEG bytes of ``upright`` with its longest side ``size`` (never enlarged)."""
    if size <= 0:
        raise ValueError(f"thumbnail size must be positive, not {size}")
    img = to_rgb(upright)
    width, height = img.size
    if max(width, height) > size:
        scale = size / max(width, height)
        new_size = (max(1, round(width * scale)), max(1, round(height * scale)))
        # reducing_gap: a fast box reduction first, then Lanczos over the last 3x; the
        # Pillow docs call the result indistinguishable from a full Lanczos.
        img = img.resize(new_size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def save_thumbnail(paths: Paths, sha256: str, upright: Image.Image) -> None:
    """Store the thumbnail of a photo with this content, unless it is there already."""
    target = paths.thumbnail(sha256)
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    # Atomic, so a crash never leaves a half-written thumbnail under the final name; not
    # durable: a thumbnail is checked when shown and made again when damaged, and an
    # fsync per photo would slow a scan.
    write_atomically(target, make_thumbnail(upright, THUMBNAIL_SIZE), durable=False)
