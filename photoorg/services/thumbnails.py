"""Thumbnails checked before they are shown: a damaged or missing one is made again.

The damaged file is set aside in the quarantine folder (see ``services.repair``), and the
library says once how many were remade (``Library.notices``).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from photoorg.config import THUMBNAIL_SIZE, Paths
from photoorg.errors import PhotoOrgError
from photoorg.services import repair


class ThumbnailRepair:
    """Checks thumbnails and remakes damaged ones; safe to call from several threads."""

    def __init__(self, paths: Paths) -> None:
        self.paths = paths
        self._lock = threading.Lock()  # one repair at a time: two threads may ask for one photo
        self._remade = 0

    def checked(self, sha256: str, photo: str) -> Path | None:
        """The thumbnail of the photo with this content, remade from ``photo`` if it is
        damaged or missing; None when that fails too (the photo is gone or unreadable)."""
        thumbnail = self.paths.thumbnail(sha256)
        if repair.thumbnail_ok(thumbnail):
            return thumbnail
        from photoorg.media import decode  # Pillow and HEIF: only when one needs remaking
        from photoorg.media.files import read_bytes_stable
        from photoorg.media.thumbnails import save_thumbnail

        with self._lock:
            if repair.thumbnail_ok(thumbnail):
                return thumbnail
            if thumbnail.exists():
                try:
                    repair.set_aside(self.paths, thumbnail, folder="thumbnails")
                except OSError:
                    return None
                self._remade += 1
            try:
                data, _ = read_bytes_stable(photo)
                image = decode.open_image(data, os.path.basename(photo))
                save_thumbnail(self.paths, sha256, decode.decode_upright(image, THUMBNAIL_SIZE))
            except (PhotoOrgError, OSError):
                return None  # the photo is gone or unreadable now: no thumbnail to show
        return thumbnail

    def notice(self) -> str | None:
        """How many damaged thumbnails were remade since the last call, said once."""
        with self._lock:
            count, self._remade = self._remade, 0
        if not count:
            return None
        return (
            f"{count} damaged thumbnail{'s were' if count != 1 else ' was'} set aside in "
            f"{self.paths.quarantine / 'thumbnails'} and made again from the photos"
        )
