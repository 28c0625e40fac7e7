"""``library.tagging``: labels, automatic tags, people's decisions, summaries, sidecars.

Re-tagging is CLIP's zero-shot classification over stored embeddings: every enabled
label becomes one vector (its prompt ensemble, improved by the photos people confirmed
or rejected, see ``learning.learn``), all photos are scored against all labels with
one matrix product per block of photos (``scoring.Classifiers``), and only the tags that
changed are written. No photo is ever re-encoded; prompts go through the text tower
once per model and are kept in the catalog.

A tag's source says who decided: ``auto`` tags are this module's to add and remove;
``confirmed``, ``rejected`` and ``manual`` are people's decisions, and ``imported``
mirrors keywords found in the files. None of those is ever replaced by an automatic
tag, so they survive re-tagging, model changes and rescans.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from dataclasses import replace as with_fields  # `replace` is also a parameter name
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from photoorg.errors import PhotoOrgError, UsageError
from photoorg.media.files import write_atomically
from photoorg.model.hits import Preview
from photoorg.model.label import Label
from photoorg.model.query import Filters
from photoorg.services.jobs import CancelToken, Progress, no_progress
from photoorg.services.query_parser import rename_label
from photoorg.services.tagging.engine import Engine, member
from photoorg.services.tagging.label_sets import default_labels, read_file, to_toml
from photoorg.services.tagging.photo_matrix import Snapshot
from photoorg.services.tagging.tag_state import KEY_BASE, keys
from photoorg.store import albums as album_store
from photoorg.store import counters, embeddings, settings
from photoorg.store import filters as sql_filters
from photoorg.store import labels as label_store
from photoorg.store import prompt_vectors as prompt_store
from photoorg.store import tags as tag_store

if TYPE_CHECKING:
    from photoorg.services.library import Library

DEFAULTS_SETTING = "labels:defaults"
"""Set once the default label set went into this catalog: deleted defaults stay deleted."""
LOGIT_SCALE_SETTING = "logit_scale:"
PROMPT_CHUNK = 64
"""Prompts embedded per step of a first tagging: progress and cancel between steps."""
SUMMARY_MIN_FRACTION = 0.2
_DECISION_CODES = [tag_store.SOURCE_CODE[s] for s in tag_store.DECISIONS]


@dataclass(frozen=True)
class LabelImport:
    """What ``import_labels`` did: labels read, and labels kept (disabled) for their
    decisions although the file lacks them."""

    imported: int
    kept_disabled: list[str]


class Tagging:
    """Every tagging operation; safe to call from worker threads (one re-tag at a time)."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.catalog = library.catalog
        self.engine = Engine(library.catalog, self._text_vectors, self._logit_scale)
        self.matrix = self.engine.matrix  # all embeddings, in memory
        self.state = self.engine.state  # all tags, in memory
        self._lock = threading.RLock()
        self._defaults_checked = False

    # -- labels -------------------------------------------------------------------------

    def labels(self) -> list[Label]:
        return [s.label for s in self._stored_labels()]

    def label(self, name: str) -> Label:
        return self._stored(name).label

    def add_label(self, label: Label) -> Label:
        label = label.checked()
        self._ensure_defaults()
        with self.catalog.write() as db:
            if label_store.name_taken(db, label.name):
                raise UsageError(f"there is already a label called {label.name!r}")
            label_store.insert_label(db, label)
        return label

    def update_label(self, name: str, label: Label) -> Label:
        """Replace a label's definition; a new name renames it (its tags follow)."""
        label = label.checked()
        with self.catalog.write() as db:
            old = self._stored(name, db)
            if label_store.name_taken(db, label.name, except_id=old.id):
                raise UsageError(f"there is already a label called {label.name!r}")
            label_store.update_label(db, old.id, label)
            if label.name != old.label.name:
                label_store.rename_parent(db, old.label.name, label.name)
                for album in album_store.list_albums(db):
                    if album.query:
                        query = rename_label(album.query, old.label.name, label.name)
                        if query != album.query:
                            album_store.update_album(db, album.id, album.name, query)
        return label

    def remove_label(self, name: str) -> None:
        """Delete a label and all its tags (decisions included)."""
        with self.catalog.write() as db:
            label_store.delete_label(db, self._stored(name, db).id)

    def label_counts(self) -> dict[str, int]:
        """Photos carrying each label or any label under it (any source but rejected).

        A parent counts the photos of its whole subtree, each once: "food" over "pizza"
        and "cake" is what a person browsing the tree expects, not 0.
        """
        photos = self.state.current(self.catalog.read).carried_photos()
        stored = self._stored_labels()
        children: dict[str, list[label_store.StoredLabel]] = {}
        for s in stored:
            if s.label.parent is not None:
                children.setdefault(s.label.parent.casefold(), []).append(s)
        empty = np.zeros(0, np.int64)
        counts = {}
        for s in stored:
            seen, todo, parts = {s.id}, [s], []
            while todo:  # the subtree; ``seen`` stops a cycle of parents
                current = todo.pop()
                parts.append(photos.get(current.id, empty))
                for child in children.get(current.label.name.casefold(), []):
                    if child.id not in seen:
                        seen.add(child.id)
                        todo.append(child)
            counts[s.label.name] = (
                len(parts[0]) if len(parts) == 1 else len(np.unique(np.concatenate(parts)))
            )
        return counts

    def export_labels(self, path: str | os.PathLike[str]) -> int:
        labels = self.labels()
        target = Path(path).expanduser()
        try:
            write_atomically(target, to_toml(labels).encode("utf-8"))
        except OSError as exc:
            raise PhotoOrgError(f"{target}: cannot write: {exc.strerror or exc}") from exc
        return len(labels)

    def import_labels(self, path: str | os.PathLike[str], *, replace: bool = False) -> LabelImport:
        """Add or update the labels in a TOML file; ``replace`` also removes the others.

        A label the file lacks that carries the user's decisions (confirmed, rejected or
        hand-added tags) is disabled rather than deleted: replacing a label set must not
        silently throw away work; the user may delete it knowingly.
        """
        labels = read_file(path)
        self._ensure_defaults()
        kept: list[str] = []
        with self.catalog.write() as db:
            if replace:
                keep = {x.name.casefold() for x in labels}
                decided = tag_store.decided_label_ids(db)
                for stored in label_store.list_labels(db):
                    if stored.label.name.casefold() in keep:
                        continue
                    if stored.id in decided:
                        disabled = with_fields(stored.label, enabled=False)
                        label_store.update_label(db, stored.id, disabled)
                        kept.append(stored.label.name)
                    else:
                        label_store.delete_label(db, stored.id)
            for label in labels:
                existing = label_store.find_label(db, label.name)
                if existing is None:
                    label_store.insert_label(db, label)
                else:
                    label_store.update_label(db, existing.id, label)
        return LabelImport(len(labels), kept)

    # -- tags and decisions ---------------------------------------------------------------

    def tags(self, photo_id: int) -> list[dict[str, Any]]:
        """A photo's tags: label, parent, score, probability, source (rejected ones last)."""
        return self.library.tags_of(photo_id)

    def set_decision(
        self,
        photo_ids: Iterable[int],
        label_name: str,
        decision: str | None,
        *,
        retag: bool = True,
        cancel: CancelToken | None = None,
    ) -> None:
        """Confirm, reject or add a label by hand; ``None`` clears the decision.

        ``manual`` with a name no label has yet creates it disabled: a tag typed by hand.

        The label then learns from its examples and is re-tagged over the library
        (one matrix product), unless ``retag`` is False.
        """
        if decision is not None and decision not in tag_store.DECISIONS:
            raise UsageError(f"unknown decision {decision!r}: use confirmed, rejected or manual")
        ids = np.unique(np.asarray([int(i) for i in photo_ids], np.int64))
        if decision == tag_store.MANUAL:
            self._ensure_defaults()
        base = self.state.current(self.catalog.read)
        with self.catalog.write() as db:
            if decision == tag_store.MANUAL and label_store.find_label(db, label_name) is None:
                # A tag typed on a photo belongs to that photo, like a keyword read from a
                # file: a disabled label that tags nothing by itself until someone turns
                # it into a label (enables it). An enabled one would tag hundreds.
                label_store.insert_label(db, Label(name=label_name, enabled=False).checked())
            stored = self._stored(label_name, db)
            before = counters.counter(db, "tags")
            pairs = keys(ids, np.full(len(ids), stored.id))
            if decision is None:
                tag_store.clear_sources(db, ids.tolist(), stored.id, tag_store.DECISIONS)
                rows = np.searchsorted(base.key, pairs)
                rows = rows[rows < len(base.key)]
                rows = rows[member(base.key[rows], pairs)]
                removed = base.key[rows[np.isin(base.source[rows], _DECISION_CODES)]]
                upserted = pairs[:0]
            else:
                tag_store.set_source(db, ids.tolist(), stored.id, decision)
                removed, upserted = pairs[:0], pairs
            self.engine.record(
                base, before, db, removed, upserted, tag_store.SOURCE_CODE.get(decision or "", 0)
            )
        if retag:
            # The decision is stored; a cancelled re-tag (the window closing) is redone
            # by the next one.
            self.tag([stored.label.name], cancel=cancel)

    def confirm_all(
        self,
        label_name: str,
        folder: str | None = None,
        album: str | None = None,
        cancel: CancelToken | None = None,
    ) -> int:
        """Confirm a label for every photo of a folder or an album; returns how many."""
        if (folder is None) == (album is None):
            raise UsageError("name a folder or an album (not both) to confirm a label for")
        ids = self.scope(folder=folder, album=album)
        self.set_decision(ids, label_name, tag_store.CONFIRMED, cancel=cancel)
        return len(ids)

    def scope(self, folder: str | None = None, album: str | None = None) -> list[int]:
        """Ids of the online photos under ``folder`` or in ``album`` (all when neither)."""
        if album is not None:
            return self.library.albums.photo_ids(album)
        filters = Filters(folders=(str(Path(folder).expanduser().resolve()),)) if folder else None
        return sql_filters.matching_ids(self.catalog.read, filters).tolist()

    def summary(
        self,
        folder: str | None = None,
        album: str | None = None,
        *,
        min_fraction: float = SUMMARY_MIN_FRACTION,
    ) -> list[dict[str, Any]]:
        """The labels that at least ``min_fraction`` of a folder's or album's photos carry."""
        ids = self.scope(folder=folder, album=album)
        if not ids:
            return []
        rows = tag_store.label_counts_among(self.catalog.read, ids)
        total = len(ids)
        return [
            {"label": name, "count": count, "fraction": round(count / total, 4)}
            for name, count in rows
            if count / total >= min_fraction
        ]

    # -- re-tagging --------------------------------------------------------------------------

    def tag(
        self,
        labels: Sequence[str] | None = None,
        folder: str | None = None,
        dry_run: bool = False,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
    ) -> dict[str, dict[str, int]]:
        """Re-tag photos (all, or under ``folder``) for labels (all, or ``labels``).

        Returns, per label, the automatic tags ``added`` and ``removed`` and the
        ``total`` of photos carrying it afterwards. ``dry_run`` writes nothing.
        """
        cancel = cancel or CancelToken()
        with self._lock:
            everything = self._stored_labels()
            chosen = everything if labels is None else [self._stored(n) for n in labels]
            chosen = _with_group_mates(chosen, everything)
            result = {s.label.name: {"added": 0, "removed": 0, "total": 0} for s in chosen}
            carried = self.state.current(self.catalog.read).carried_counts()
            for s in chosen:
                result[s.label.name]["total"] = carried.get(s.id, 0)
            snapshot = self._snapshot()
            if snapshot is None or not chosen:
                return result
            scope = None
            if folder is not None:
                wanted = self.scope(folder=folder)
                scope = snapshot.positions(wanted)
                scope = np.sort(scope[scope >= 0])
            changes = self.engine.retag(
                chosen, snapshot, scope, progress, cancel, every_label=labels is None
            )
            names = {s.id: s.label.name for s in chosen}
            for kind, changed in (("added", changes["added"][0]), ("removed", changes["removed"])):
                label_ids, counts = np.unique(changed % KEY_BASE, return_counts=True)
                for label_id, count in zip(label_ids.tolist(), counts.tolist(), strict=True):
                    result[names[label_id]][kind] = count
            for entry in result.values():
                entry["total"] += entry["added"] - entry["removed"]
            if not dry_run:
                self.engine.write(changes)
            return result

    def preview(
        self, label: Label, limit: int = 200, *, examples_from: str | None = None
    ) -> Preview:
        """Which photos would carry ``label`` (saved or not; scored as if enabled).

        Uses the examples of the stored label called ``examples_from`` (default: the
        same name). Fast enough for a live editor: at most the new prompts go through
        the text tower, then one product over the cached embeddings.
        """
        from photoorg.services.tagging.preview import preview_label

        return preview_label(self, label.checked(), limit, examples_from)

    def after_index(
        self, *, encoded: bool, progress: Progress = no_progress, cancel: CancelToken | None = None
    ) -> dict[str, Any]:
        """What ``Library.index`` calls after a scan: import file keywords, then re-tag."""
        from photoorg.services.tagging import keywords

        imported = keywords.sync(self, progress=progress, cancel=cancel)
        tagged = self.tag(progress=progress, cancel=cancel) if encoded else {}
        return {"imported": imported, "tagged": tagged}

    def export_xmp(
        self,
        photo_ids: Iterable[int] | None = None,
        *,
        include_auto: bool = True,
        errors: list[tuple[str, str]] | None = None,
    ) -> int:
        """Merge tags into XMP sidecars next to the photos; returns sidecars written."""
        from photoorg.services.tagging import keywords

        return keywords.export(self, photo_ids, include_auto=include_auto, errors=errors)

    # -- internals ------------------------------------------------------------------------------

    def _ensure_defaults(self) -> None:
        if self._defaults_checked:
            return
        if self.catalog.get_setting(DEFAULTS_SETTING) is None:
            defaults = default_labels()
            with self.catalog.write() as db:
                if self.catalog.get_setting(DEFAULTS_SETTING) is None:
                    for label in defaults:
                        if not label_store.name_taken(db, label.name):
                            label_store.insert_label(db, label)
                    settings.put(db, DEFAULTS_SETTING, "1")
        self._defaults_checked = True

    def _stored_labels(self) -> list[label_store.StoredLabel]:
        self._ensure_defaults()
        return label_store.list_labels(self.catalog.read)

    def _stored(self, name: str, db: Any = None) -> label_store.StoredLabel:
        self._ensure_defaults()
        found = label_store.find_label(db if db is not None else self.catalog.read, name)
        if found is None:
            raise UsageError(f"no label called {name!r} (see photoorg labels list)")
        return found

    def _snapshot(self) -> Snapshot | None:
        model_id = self.library.model_name_id()
        dim = embeddings.dim(self.catalog.read, model_id)
        if dim is None:
            return None  # nothing encoded with this model yet: nothing to tag
        return self.matrix.snapshot(model_id, dim)

    def _logit_scale(self, model_id: str) -> float:
        key = LOGIT_SCALE_SETTING + model_id
        value = self.catalog.get_setting(key)
        if value is None:
            value = str(self.library.model().logit_scale)
            self.catalog.set_setting(key, value)
        return float(value)

    def _text_vectors(
        self,
        model_id: str,
        dim: int,
        texts: list[str],
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
    ) -> dict[str, np.ndarray]:
        """Prompt embeddings, from the catalog or made by the text tower and kept there.

        A new model's first tagging embeds every prompt of the label set (about 700
        for the default labels): that is done in chunks, with progress, and a cancel
        keeps the chunks already stored.
        """
        found = prompt_store.text_vectors(self.catalog.read, model_id, texts, dim)
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if not missing:
            return found
        model = self.library.model()
        for start in range(0, len(missing), PROMPT_CHUNK):
            progress("embedding labels", start, len(missing))
            if cancel is not None:
                cancel.check()
            chunk = missing[start : start + PROMPT_CHUNK]
            vectors = model.encode_texts(chunk)
            with self.catalog.write() as db:
                prompt_store.save_text_vectors(db, model_id, chunk, vectors)
                if start == 0:
                    prompt_store.forget_text_vectors_except(db, model_id)
                    settings.put(db, LOGIT_SCALE_SETTING + model_id, str(model.logit_scale))
            found.update(zip(chunk, vectors, strict=True))
        progress("embedding labels", len(missing), len(missing))
        return found


def _with_group_mates(
    chosen: list[label_store.StoredLabel], everything: list[label_store.StoredLabel]
) -> list[label_store.StoredLabel]:
    """An exclusive group is decided as a whole: tagging one member re-tags them all."""
    groups = {s.label.exclusive_group for s in chosen if s.label.exclusive_group}
    ids = {s.id for s in chosen}
    extra = [s for s in everything if s.label.exclusive_group in groups and s.id not in ids]
    return chosen + extra
