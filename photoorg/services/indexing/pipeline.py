"""The indexing stages, in order: scan (walk, hash, metadata, thumbnail), encode (CLIP),
adopt the model once every photo has its vector, bring the vector index in step, then
import file keywords and re-tag (``Tagging.after_index``), then find faces and group
them into people (when asked: ``faces=True``).

Each stage is resumable and idempotent: a cancelled run keeps what it stored, and the
next run picks up where it stopped. New stages (faces, places) go here, after encoding,
each with its own progress phase; the text stage (``text_stage``) runs last.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from photoorg.config import THUMBNAIL_SIZE
from photoorg.errors import ModelError, UsageError
from photoorg.services.indexing.scanner import Scanner
from photoorg.services.jobs import CancelToken, Progress, no_progress
from photoorg.store import embeddings, settings

if TYPE_CHECKING:
    from photoorg.services.library import Library

MODEL_SETTING = "model"
"""The catalog's model: the one every photo has a vector from."""


def run_index(
    library: Library,
    folders: Sequence[str | os.PathLike[str]] = (),
    *,
    encode: bool = True,
    read_text: str | None = None,
    faces: bool = False,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> dict[str, Any]:
    """Scan (and encode, and find faces in) ``folders``, adding them as roots; all roots
    when empty; then read the text in photos as ``read_text`` (default: the catalog's
    setting) asks. A folder inside a root scans just that folder: photos elsewhere in the
    root are left alone."""
    roots = library.add_roots(folders) if folders else library.roots()
    if not roots:
        raise UsageError("no photo folders yet: name one, e.g. photoorg index ~/Pictures")
    only = limits(folders, roots)
    roots = list({root.id: root for root in roots}.values())
    catalog = library.catalog
    scanner = Scanner(catalog, library.paths, workers=library.workers)
    model, model_error = None, None
    if encode:
        try:
            model = library.model()
        except ModelError as exc:
            # A first run offline still catalogues: folders, dates and cameras can be
            # browsed, and the next index (or the window's start) encodes what waits.
            model_error = str(exc)
    if model is None:
        summary = scanner.scan(roots, progress=progress, cancel=cancel, only=only).as_dict()
        library.places.update(progress, cancel)
        summary["encoded"] = 0
        summary["pending"] = len(embeddings.missing(catalog.read, library.model_name_id()))
        if model_error:
            summary["model_error"] = model_error
        library.tagging.after_index(encoded=False, progress=progress, cancel=cancel)
        if faces:
            summary |= run_face_stage(library, progress, cancel)
        summary["text"] = library.text.read(read_text, progress=progress, cancel=cancel)
        return summary
    from photoorg.services.indexing.encoding import (
        EmbeddingSink,
        default_batch_size,
        encode_missing,
    )

    request_precision(library, model)
    sink = EmbeddingSink(catalog, model, default_batch_size(model), progress)
    summary = scanner.scan(
        roots,
        decode_side=max(THUMBNAIL_SIZE, model.image_size),
        preprocess=model.prepare,
        on_pixels=sink.add,
        batch_size=sink.batch_size,
        progress=progress,
        cancel=cancel,
        only=only,
    ).as_dict()
    sink.flush()
    library.places.update(progress, cancel)  # needs no model: before the encoder's stragglers
    encoded, failed = encode_missing(
        catalog, model, workers=library.workers, progress=progress, cancel=cancel
    )
    summary["encoded"] = sink.encoded + encoded
    summary["errors"] += failed
    summary["pending"] = 0
    remember_precision(library, model)
    choice = model.precision_choice
    summary["precision"] = model.precision
    summary["precision_note"] = choice.note if choice is not None else model.precision
    adopt_model_if_complete(library, model.id)
    library._index_keeper(model).sync()
    library.tagging.after_index(encoded=True, progress=progress, cancel=cancel)
    if faces:
        summary |= run_face_stage(library, progress, cancel)
    # Text last: it is the slowest stage on a CPU, and search and tags work without it.
    summary["text"] = library.text.read(read_text, progress=progress, cancel=cancel)
    return summary


def run_face_stage(
    library: Library, progress: Progress, cancel: CancelToken | None
) -> dict[str, Any]:
    """The faces stage (services/face_stage.py). Missing face models skip it with a
    notice: like a missing CLIP model, they delay this stage and never stop the scan."""
    from photoorg.ml.faces import FaceModelError
    from photoorg.services.face_stage import find_faces

    try:
        found = find_faces(
            library.catalog, workers=library.workers or 2, progress=progress, cancel=cancel
        )
    except FaceModelError as exc:
        return {"faces": 0, "faces_skipped": str(exc)}
    return {"faces": found.faces, "people_new": found.new_people, "faces_named": found.named}


def limits(folders: Sequence[str | os.PathLike[str]], roots: list) -> dict[int, list[str]]:
    """Per root id, the folders inside it that were asked for (a root asked for itself,
    or not at all, is scanned whole). ``roots`` are ``add_roots``' answers, in order."""
    only: dict[int, list[str]] = {}
    whole: set[int] = set()
    for folder, root in zip(folders, roots, strict=False):
        path = str(Path(folder).expanduser().resolve())
        if path == root.path:
            whole.add(root.id)
        else:
            only.setdefault(root.id, []).append(path)
    return {root_id: paths for root_id, paths in only.items() if root_id not in whole}


def run_encoding(
    library: Library, *, progress: Progress = no_progress, cancel: CancelToken | None = None
) -> dict[str, Any]:
    """Encode the photos still without a vector from the model (an index cut short, a
    first run without weights, a new model), then adopt it, sync the index and re-tag.
    No folder is scanned: this is the resume the window starts by itself."""
    from photoorg.services.indexing.encoding import encode_missing

    model = library.model()
    request_precision(library, model)
    encoded, failed = encode_missing(
        library.catalog, model, workers=library.workers, progress=progress, cancel=cancel
    )
    remember_precision(library, model)
    adopt_model_if_complete(library, model.id)
    library._index_keeper(model).sync()
    if encoded:
        library.tagging.after_index(encoded=True, progress=progress, cancel=cancel)
    return {"encoded": encoded, "errors": failed}


def request_precision(library: Library, model: Any) -> None:
    """Ask for the library's precision, chosen on the first batch the model encodes, with
    what ``auto`` chose for this model on this machine before (see ``ml.precision``)."""
    from photoorg.ml.precision import memory_key

    remembered = library.catalog.get_setting(memory_key(model.id, model.device))
    model.request_precision(library.precision, remembered=remembered)


def remember_precision(library: Library, model: Any) -> None:
    """Keep the winner of an ``auto`` race, so that every later run here encodes alike."""
    from photoorg.ml.precision import memory_key

    choice = model.precision_choice
    if choice is not None and choice.raced:
        library.catalog.set_setting(memory_key(model.id, model.device), choice.precision)


def pending_encoding(library: Library) -> int:
    """How many online photos wait for a vector from the model asked for (no torch)."""
    return len(embeddings.missing(library.catalog.read, library.model_name_id()))


def adopt_model_if_complete(library: Library, model_id: str) -> None:
    """Once every photo has a vector from this model, it becomes the catalog's model."""
    catalog = library.catalog
    if embeddings.missing(catalog.read, model_id):
        return
    with catalog.write() as db:
        previous = catalog.get_setting(MODEL_SETTING)
        settings.put(db, MODEL_SETTING, model_id)
        if previous and previous != model_id:
            embeddings.delete_other_models(db, model_id)
            settings.put(db, f"index:{previous}", None)
