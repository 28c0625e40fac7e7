"""The faces stage of indexing: find the faces of every photo not yet done, store them,
take names from XMP face regions, and group new faces into people.

It runs after encoding, batch by batch: each batch is read and detected in a thread pool
(one engine per thread: dlib objects are not shared), its faces described together on
this thread (torch, with the cores to itself), then written in one transaction
together with its progress rows, so a cancel or a crash loses at most the batch in
flight and the next run picks up where this one stopped; new faces are grouped into
people once at the end. A photo that cannot be read is
recorded with its error and not tried again until its pixels change. Names come from
the photo's sidecar when it has one, else from its embedded XMP (digiKam writes either).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from photoorg.errors import PhotoOrgError
from photoorg.media.decode import open_image
from photoorg.media.metadata import PhotoMetadata, read_metadata
from photoorg.media.regions import read_embedded_regions, read_sidecar_regions
from photoorg.media.sidecars import XmpError, find_sidecar, folder_listing
from photoorg.ml.faces import ENGINE_ID, DetectedFace, FaceEngine, FoundFace
from photoorg.model.face import NamedRegion
from photoorg.services import people
from photoorg.services.jobs import CancelToken, Progress, no_progress
from photoorg.store import faces as store
from photoorg.store.catalog import Catalog

if TYPE_CHECKING:
    from PIL import Image

BATCH = 16
PHASE = "faces"


@dataclass
class FaceStageSummary:
    photos: int = 0
    faces: int = 0
    named: int = 0  # faces named from XMP regions
    new_people: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Result:
    photo_id: int
    faces: list[DetectedFace]  # described per batch, on the stage's thread
    regions: list[NamedRegion]
    error: str | None


def find_faces(
    catalog: Catalog,
    *,
    engine_factory: Callable[[], FaceEngine] = FaceEngine,
    workers: int = 2,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> FaceStageSummary:
    """Run the stage over every photo it has not done with this engine; see the module."""
    summary = FaceStageSummary()
    local = threading.local()
    listings: dict[Path, dict[str, str]] = {}  # one scandir per folder, not per photo
    listings_lock = threading.Lock()

    def listing(folder: Path) -> dict[str, str]:
        with listings_lock:
            if folder not in listings:
                listings[folder] = folder_listing(folder)
            return listings[folder]

    engines: list[FaceEngine] = []

    def detect(item: tuple[int, str]) -> _Result:
        engine = getattr(local, "engine", None)
        if engine is None:
            engine = local.engine = engine_factory()
            engines.append(engine)
        return _detect(engine, *item, listing)

    done, total = store.progress(catalog.read, ENGINE_ID)
    progress(PHASE, done, total)
    with ThreadPoolExecutor(max(1, workers), thread_name_prefix="faces") as pool:
        while True:
            if cancel is not None:
                cancel.check()
            batch = store.photos_to_do(catalog.read, ENGINE_ID, BATCH)
            if not batch:
                break
            results = list(pool.map(detect, batch))
            faces = [face for result in results for face in result.faces]
            described = iter(engines[0].describe(faces) if faces else [])
            with catalog.write() as db:
                for result in results:
                    _store(db, result, [next(described) for _ in result.faces], summary)
            done += len(results)
            progress(PHASE, min(done, total), total)
    # Grouped once at the end: every batch would reread all descriptors. After a cancel
    # the faces stay unassigned and the next run groups them.
    with catalog.write() as db:
        summary.new_people = people.group_new_faces(db).new_people
    return summary


def _detect(
    engine: FaceEngine, photo_id: int, path: str, listing: Callable[[Path], dict[str, str]]
) -> _Result:
    photo = Path(path)
    try:
        data = photo.read_bytes()
        with open_image(data, path) as img:  # one header parse for regions and faces
            meta = read_metadata(img)
            regions = _named_regions(photo, img, meta, listing(photo.parent))
            found = engine.detect_in_opened(img, meta)  # decodes: after the header reads
    except OSError as exc:
        return _Result(photo_id, [], [], f"{path}: cannot read: {exc.strerror or exc}")
    except PhotoOrgError as exc:
        return _Result(photo_id, [], [], str(exc))
    return _Result(photo_id, found, regions, None)


def _named_regions(
    photo: Path, img: Image.Image, meta: PhotoMetadata, listing: dict[str, str]
) -> list[NamedRegion]:
    """Regions from the sidecar, else the photo's own XMP; a broken one names no one."""
    # pillow-heif has already turned HEIF pixels upright: their regions too.
    orientation = 1 if meta.format == "HEIF" else meta.orientation
    size = (meta.width, meta.height)
    try:
        sidecar = find_sidecar(photo, listing)
        if sidecar is not None:
            return read_sidecar_regions(sidecar, orientation, size)
        return read_embedded_regions(img, orientation, size)
    except (PhotoOrgError, XmpError):
        return []


def _store(db, result: _Result, found: list[FoundFace], summary: FaceStageSummary) -> None:
    if result.error is not None:
        people.record_failure(db, result.photo_id, ENGINE_ID, result.error)
        summary.errors.append(result.error)
        return
    people.record_faces(db, result.photo_id, found, ENGINE_ID)
    if result.regions:
        summary.named += people.apply_named_regions(db, result.photo_id, result.regions)
    summary.photos += 1
    summary.faces += len(found)
