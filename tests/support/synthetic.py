"""A catalog with made-up embeddings, for tagging tests that need no model at all.

Why: the tagging engine's rules (decisions win, exclusive groups, vetoes, only changes
written, caches kept in step with SQLite) are about bookkeeping, not about what a model
sees; a fast deterministic catalog exercises them in milliseconds. Each photo belongs
to one concept: its embedding is the concept's direction plus noise. A label's prompt
embedding is put straight into the prompt cache: its concept's direction mixed with a
direction shared by all text (CLIP's "modality gap"), so text-image cosines are low
and image-image ones high, as in real CLIP. The neutral prompts ("a photo.", the
baseline of automatic thresholds) point at the direction every photo shares, more
weakly than a label's prompt points at its concept: they match every photo a little and
no photo as well as a prompt naming what it shows. ``Library.model`` is made to fail,
so a test that passes proves that no model was loaded.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from photoorg.model.label import Label
from photoorg.services.library import Library
from photoorg.services.tagging.learning import NEUTRAL_PROMPTS
from photoorg.store import embeddings, photos
from photoorg.store import prompt_vectors as prompt_store

DIM = 32


@dataclass
class Synthetic:
    library: Library
    folder: Path
    root_id: int
    concept_of: dict[int, str]  # photo id -> concept
    concepts: dict[str, np.ndarray]
    text_offset: np.ndarray
    shared: np.ndarray  # the direction every photo has

    def ids(self, concept: str) -> list[int]:
        return sorted(i for i, c in self.concept_of.items() if c == concept)

    def text_vector(self, words: str) -> np.ndarray:
        """What the fake text tower says for a prompt: words naming a concept point at it."""
        # A stable seed: hash() of a str differs between processes (PYTHONHASHSEED).
        if words in NEUTRAL_PROMPTS:
            return _unit(0.3 * self.shared + 0.8 * self.text_offset)
        rng = np.random.default_rng(zlib.crc32(words.encode("utf-8")))
        found = [c for c in self.concepts if c in words]
        base = self.concepts[found[0]] if found else _unit(rng.standard_normal(DIM))
        return _unit(0.6 * base + 0.8 * self.text_offset)

    def cache_prompts(self, label: Label) -> None:
        self.cache_texts(label.texts() + label.negative_texts())

    def cache_texts(self, texts: list[str]) -> None:
        with self.library.catalog.write() as db:
            prompt_store.save_text_vectors(
                db,
                self.library.model_name_id(),
                texts,
                np.stack([self.text_vector(t) for t in texts]),
            )

    def add_label(self, label: Label) -> Label:
        self.cache_prompts(label)
        return self.library.tagging.add_label(label)

    def add_photo(self, vector: np.ndarray, concept: str) -> int:
        """One more photo whose embedding is ``vector`` (normalised here); its id."""
        with self.library.catalog.write() as db:
            photo_id = _insert_photo(db, self.root_id, self.folder / "f0", len(self.concept_of))
            embeddings.save(db, self.library.model_name_id(), [photo_id], _unit(vector)[None, :])
        self.concept_of[photo_id] = concept
        return photo_id


def _unit(v: np.ndarray) -> np.ndarray:
    return (v / np.linalg.norm(v)).astype(np.float32)


class NoModel(RuntimeError):
    pass


def make(
    home: Path, counts: dict[str, int], *, seed: int = 0, noise: float = 0.08, folders: int = 2
) -> Synthetic:
    """A catalog at ``home`` with ``counts[concept]`` photos of each concept."""
    rng = np.random.default_rng(seed)
    library = Library(home, model=f"local-dir:{home / 'no-model'}")

    def refuse(*args, **kwargs):
        raise NoModel("the synthetic catalog has no model")

    library.model = refuse  # type: ignore[method-assign]
    # Orthogonal directions: concepts, what every photo shares, what all text shares.
    basis = np.linalg.qr(rng.standard_normal((DIM, DIM)))[0].T.astype(np.float32)
    concepts = {name: basis[i] for i, name in enumerate(counts)}
    shared, text_offset = basis[-1], basis[-2]
    folder = home.parent / f"{home.name}-photos"
    concept_of: dict[int, str] = {}
    with library.catalog.write() as db:
        root = photos.add_root(db, str(folder))
        model_id = library.model_name_id()
        n = 0
        for name, count in counts.items():
            for _ in range(count):
                photo_id = _insert_photo(db, root.id, folder / f"f{n % folders}", n)
                vector = _unit(concepts[name] + shared + noise * rng.standard_normal(DIM))
                embeddings.save(db, model_id, [photo_id], vector[None, :])
                concept_of[photo_id] = name
                n += 1
        db.execute(
            "INSERT INTO settings(key, value) VALUES (?, '100.0')", [f"logit_scale:{model_id}"]
        )
    made = Synthetic(library, folder, root.id, concept_of, concepts, text_offset, shared)
    made.cache_texts(list(NEUTRAL_PROMPTS))  # what the engine asks for with "auto" labels
    return made


def _insert_photo(db, root_id: int, sub: Path, n: int) -> int:
    cursor = db.execute(
        "INSERT INTO photos(root_id, path, folder, size, mtime_ns, sha256, format, width, "
        "height, taken_at, taken_at_source, scanned_at) "
        "VALUES (?, ?, ?, 1, 1, ?, 'JPEG', 64, 64, ?, 'file', ?)",
        [
            root_id,
            str(sub / f"img_{n:05d}.jpg"),
            str(sub),
            f"{n:064x}",
            f"2020-01-01T00:00:{n % 60:02d}",
            "2020-01-01T00:00:00",
        ],
    )
    return int(cursor.lastrowid)


def use_labels(syn: Synthetic, labels: list[Label], tmp: Path) -> None:
    """Make ``labels`` the catalog's whole label set (the defaults go), prompts cached."""
    from photoorg.services.tagging.label_sets import to_toml

    for label in labels:
        syn.cache_prompts(label)
    path = tmp / "labels.toml"
    path.write_text(to_toml(labels), encoding="utf-8")
    syn.library.tagging.import_labels(path, replace=True)
