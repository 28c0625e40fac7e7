"""Fixtures shared by the ml tests."""

from __future__ import annotations

from pathlib import Path

import huggingface_hub
import pytest


@pytest.fixture
def hub_cache(monkeypatch, tmp_path) -> Path:
    """An empty Hugging Face cache for this test (what a user's first run has)."""
    cache = tmp_path / "hub"
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(cache))
    return cache
