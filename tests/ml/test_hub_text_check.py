"""The self-test's check of the Hugging Face text-tower path (``ml.hub_text_check``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from photoorg.ml import hub_text
from photoorg.ml.hub_text_check import TEXTS, HubTextCheckError, self_check
from photoorg.ml.model import ClipModel
from photoorg.ml.spec import ModelSpec


def test_the_tiny_model_loads_offline_and_keeps_texts_apart(tmp_path: Path) -> None:
    summary = self_check(tmp_path)
    assert summary.startswith("hf text tower ok (transformers ")
    folder = tmp_path / "tiny-hf-text-tower"
    spec = ModelSpec.parse(f"local-dir:{folder}")
    assert hub_text.text_tower_files(spec) is None  # tokenizer and config are in the folder
    model = ClipModel.load(spec.id, device="cpu")
    assert type(model.model.text.transformer).__name__ == "BertModel"
    assert model.dim == 32


def test_the_check_fails_when_the_tower_cannot_tell_texts_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    same = np.zeros((len(TEXTS), 32), np.float32)
    same[:, 0] = 1.0
    monkeypatch.setattr(ClipModel, "encode_texts", lambda self, texts: same)
    with pytest.raises(HubTextCheckError, match="same vector"):
        self_check(tmp_path)
