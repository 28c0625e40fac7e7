"""Keywords in files, both ways: importing them as tags, exporting tags to sidecars.

Import (after every scan): the keywords inside each photo (XMP dc:subject and
lr:hierarchicalSubject, IPTC keywords: read by the scanner) and in its XMP sidecar
become tags with source ``imported``, mirroring the files: a keyword removed from a
file loses its tag at the next scan. ``a|b|c`` (lr:hierarchicalSubject) is the label
``c`` with parent ``b``; the flat copies of its ancestors that Lightroom also puts in
dc:subject are not labels of their own. A keyword with no label yet gets one, created
*disabled*: CLIP has no idea what "Aunt Mary" or "Trip 2019" looks like, so such a label
only carries the photos the files name, until a person enables it and it learns from
those photos as examples. An imported keyword replaces an automatic tag but never a
person's decision. Sidecars are parsed only when their size or mtime changed.

Export: see ``media.sidecars``.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from photoorg.errors import UsageError
from photoorg.media import sidecars as xmp
from photoorg.model.label import HIERARCHY_SEPARATOR, Label, check_name
from photoorg.services.jobs import CancelToken, Progress, no_progress
from photoorg.store import labels as label_store
from photoorg.store import photos as photo_store
from photoorg.store import sidecars as sidecar_store
from photoorg.store import tags as tag_store

if TYPE_CHECKING:
    from photoorg.services.tagging.service import Tagging


def parse_keywords(keywords: Iterable[str], skip: Iterable[str] = ()) -> dict[str, str | None]:
    """Keywords as ``{leaf name: parent or None}``, ancestors and ``skip`` dropped.

    ``skip`` holds hierarchical paths (PhotoOrg's own automatic tags in a sidecar): the
    path itself goes, and so does a *flat* keyword equal to its leaf (the dc:subject copy
    PhotoOrg wrote beside it). A person's own hierarchical keyword with the same leaf
    ("Holidays|beach" beside an automatic "nature|beach") is theirs and stays.
    """
    auto_paths = {s.casefold() for s in skip}
    auto_leaves = {s.rsplit(HIERARCHY_SEPARATOR, 1)[-1].casefold() for s in skip}
    found: dict[str, str | None] = {}
    ancestors: set[str] = set()
    for keyword in keywords:
        if keyword.casefold() in auto_paths:
            continue
        parts = [p.strip() for p in keyword.split(HIERARCHY_SEPARATOR) if p.strip()]
        if not parts or (len(parts) == 1 and parts[0].casefold() in auto_leaves):
            continue
        leaf, parent = parts[-1], (parts[-2] if len(parts) > 1 else None)
        ancestors.update(p.casefold() for p in parts[:-1])
        if found.get(leaf) is None:
            found[leaf] = parent
    return {
        leaf: parent
        for leaf, parent in found.items()
        if not (parent is None and leaf.casefold() in ancestors)
    }


def _valid(name: str) -> str | None:
    try:
        return check_name(name, "keyword")
    except UsageError:
        return None  # a keyword PhotoOrg cannot name (control characters, too long)


def sync(
    tagging: Tagging, progress: Progress = no_progress, cancel: CancelToken | None = None
) -> int:
    """Bring ``imported`` tags in line with the files; returns tags added + removed."""
    cancel = cancel or CancelToken()
    catalog = tagging.catalog
    db = catalog.read
    embedded = photo_store.embedded_keywords(db)
    cached = sidecar_store.sidecars(db)
    photos = photo_store.online_paths(db)
    by_folder: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for photo_id, path, folder in photos:
        by_folder[folder].append((photo_id, path))

    sidecar_rows: dict[int, sidecar_store.SidecarRow] = {}
    changed_rows: list[sidecar_store.SidecarRow] = []
    gone: list[int] = []
    done = 0
    for folder, members in by_folder.items():
        cancel.check()
        listing = xmp.folder_listing(Path(folder))
        has_xmp = any(name.endswith(xmp.SUFFIX) for name in listing)
        for photo_id, path in members:
            found = xmp.find_sidecar(Path(path), listing) if has_xmp else None
            row = _sidecar_row(photo_id, found, cached.get(photo_id))
            if row is None:
                if photo_id in cached:
                    gone.append(photo_id)
                continue
            sidecar_rows[photo_id] = row
            if row != cached.get(photo_id):
                changed_rows.append(row)
        done += len(members)
        progress("keywords", done, len(photos))

    wanted: dict[int, dict[str, str | None]] = {}
    for photo_id in set(embedded) | set(sidecar_rows):
        side = sidecar_rows.get(photo_id)
        names = parse_keywords(embedded.get(photo_id, []))
        if side is not None:
            names.update(
                {
                    k: v
                    for k, v in parse_keywords(side.keywords, side.auto).items()
                    if k not in names
                }
            )
        cleaned = {}
        for name, parent in names.items():
            name = _valid(name)
            if name is not None:
                cleaned[name] = _valid(parent) if parent else None
        if cleaned:
            wanted[photo_id] = cleaned

    with catalog.write() as wdb:
        for row in changed_rows:
            sidecar_store.save_sidecar(wdb, row)
        sidecar_store.forget_sidecars(wdb, gone)
        label_ids = _label_ids(tagging, wdb, wanted)
        desired = {(p, label_ids[n.casefold()]) for p, names in wanted.items() for n in names}
        current = tag_store.imported_pairs(wdb)
        add, remove = sorted(desired - current), sorted(current - desired)
        tag_store.add_imported(wdb, add)
        tag_store.remove_imported(wdb, remove)
    return len(add) + len(remove)


def _sidecar_row(
    photo_id: int, found: Path | None, cached: sidecar_store.SidecarRow | None
) -> sidecar_store.SidecarRow | None:
    if found is None:
        return None
    try:
        info = found.stat()
    except OSError:
        return None
    if cached and (cached.path, cached.size, cached.mtime_ns) == (
        str(found),
        info.st_size,
        info.st_mtime_ns,
    ):
        return cached
    try:
        read = xmp.read_sidecar(found)
    except xmp.XmpError:
        # A damaged sidecar imports nothing, and is not parsed again until it changes.
        read = xmp.SidecarKeywords()
    return sidecar_store.SidecarRow(
        photo_id, str(found), info.st_size, info.st_mtime_ns, read.keywords, read.auto
    )


def _label_ids(tagging: Tagging, db, wanted: dict[int, dict[str, str | None]]) -> dict[str, int]:
    """Label id for each keyword (case-insensitive), creating disabled labels as needed."""
    tagging._ensure_defaults()
    ids = {s.label.name.casefold(): s.id for s in label_store.list_labels(db)}
    parents: dict[str, str | None] = {}
    for names in wanted.values():
        for name, parent in names.items():
            if name.casefold() not in ids and parents.get(name.casefold()) is None:
                parents[name.casefold()] = parent
    first_spelling = {n.casefold(): n for names in wanted.values() for n in names}
    for key, parent in parents.items():
        if key in ids:
            continue
        name = first_spelling[key]
        label = Label(
            name=name, parent=parent if parent and parent.casefold() != key else None, enabled=False
        )
        ids[key] = label_store.insert_label(db, label)
    return ids


# -- export ------------------------------------------------------------------------------


def export(
    tagging: Tagging,
    photo_ids: Iterable[int] | None,
    *,
    include_auto: bool = True,
    errors: list[tuple[str, str]] | None = None,
) -> int:
    """Merge each photo's tags into its sidecar (see ``media.sidecars``); returns files written."""
    db = tagging.catalog.read
    chosen = None if photo_ids is None else {int(p) for p in photo_ids}
    rows = tag_store.online_photos_with_tags(db)
    per_photo: dict[int, tuple[str, str, list[tuple[str, str | None, str]]]] = {}
    stems: dict[str, Counter[str]] = defaultdict(Counter)  # photos per stem, per folder
    seen: set[int] = set()
    for photo_id, path, folder, name, parent, source in rows:
        if photo_id not in seen:
            seen.add(photo_id)
            stems[folder][os.path.splitext(os.path.basename(path))[0].lower()] += 1
        if chosen is not None and photo_id not in chosen:
            continue
        entry = per_photo.setdefault(photo_id, (path, folder, []))
        if name is not None and (include_auto or source != tag_store.AUTO):
            entry[2].append((name, parent, source))

    written = 0
    listings: dict[str, dict[str, str]] = {}
    for path, folder, tags in per_photo.values():
        if folder not in listings:
            listings[folder] = xmp.folder_listing(Path(folder))
        target = xmp.target_sidecar(Path(path), listings[folder], stems[folder])
        if not tags and not target.exists():
            continue
        subjects = [name for name, _, _ in tags]
        hierarchy = [Label(name=name, parent=parent).hierarchy for name, parent, _ in tags]
        auto = [
            h for h, (_, _, source) in zip(hierarchy, tags, strict=True) if source == tag_store.AUTO
        ]
        try:
            changed = xmp.merge_sidecar(target, subjects, hierarchy, auto)
        except xmp.XmpError as exc:
            if errors is not None:
                errors.append((str(target), str(exc)))
            continue
        if changed:
            written += 1
            listings[folder][target.name.lower()] = target.name
    return written
