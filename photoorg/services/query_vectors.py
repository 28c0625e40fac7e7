"""Text vectors for queries: stored ones first, then the light tower, then the model.

A query asked before is answered from the catalog (``text_embeddings``, the table that
also keeps label prompts), so it needs no model at all; a new one goes through the
text tower exported to ONNX (``ml.text_onnx``: no torch), and only when there is none
through the full model. Whatever was encoded is stored for next time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from photoorg.store import prompt_vectors as label_store
from photoorg.store.catalog import Catalog

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from photoorg.ml.model import ClipModel
    from photoorg.ml.text_onnx import OnnxTextTower


class QueryVectors:
    """Normalised text vectors of one model, as cheaply as they can be had."""

    def __init__(
        self,
        catalog: Catalog,
        model_id: str,
        towers: Path,
        load_model: Callable[[], ClipModel],
    ) -> None:
        self.catalog = catalog
        self.model_id = model_id
        self.towers = towers
        self.load_model = load_model
        self._tower: OnnxTextTower | bool | None = False  # False: not looked for yet

    def get(self, texts: list[str], dim: int) -> np.ndarray:
        """One row per text (``dim`` wide), in order."""
        found = label_store.text_vectors(self.catalog.read, self.model_id, texts, dim)
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if missing:
            vectors = self.encode(missing)
            try:
                with self.catalog.write() as db:
                    label_store.save_text_vectors(db, self.model_id, missing, vectors)
            except Exception as exc:  # a read-only or busy catalog: answer all the same
                log.info("query vectors not stored: %s", exc)
            found.update(zip(missing, vectors, strict=True))
        if not texts:
            return np.zeros((0, dim), np.float32)
        return np.stack([found[t] for t in texts]).astype(np.float32)

    def encode(self, texts: list[str]) -> np.ndarray:
        tower = self.light_tower()
        if tower is not None:
            return tower.encode(texts)
        return self.load_model().encode_texts(texts)

    def light_tower(self) -> OnnxTextTower | None:
        if self._tower is False:
            from photoorg.ml import text_onnx

            tower = text_onnx.OnnxTextTower.open(text_onnx.folder_for(self.towers, self.model_id))
            self._tower = tower if tower is not None and tower.model_id == self.model_id else None
        return self._tower or None

    def prepare(self, model: ClipModel) -> bool:
        """Export ``model``'s text tower when it has none yet (call it while indexing)."""
        from photoorg.ml import text_onnx

        if model.id != self.model_id:
            return False
        done = text_onnx.export(model, text_onnx.folder_for(self.towers, self.model_id))
        self._tower = False
        return done
