"""Weights from the hub: what a model needs, whether it is here, a download with progress.

No network here: the hub is played by a stand-in for ``hf_hub_download`` that writes
into a private Hugging Face cache and reports bytes through the ``tqdm_class`` it is
given, as huggingface_hub does.
"""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

import huggingface_hub
import huggingface_hub.constants
import pytest
from huggingface_hub.errors import LocalEntryNotFoundError, RemoteEntryNotFoundError

from photoorg.errors import Cancelled, ModelError
from photoorg.ml import weights
from photoorg.ml.model import ClipModel
from photoorg.ml.spec import ModelSpec
from photoorg.services.jobs import CancelToken
from photoorg.services.library import Library

DEFAULT = "ViT-B-32:laion2b_s34b_b79k"
REPO = "laion/CLIP-ViT-B-32-laion2B-s34B-b79K"
COMMIT = "0" * 40


def put_in_cache(cache: Path, repo: str, name: str, data: bytes) -> None:
    """A file as huggingface_hub caches it: a snapshot folder named by a ref."""
    folder = cache / f"models--{repo.replace('/', '--')}"
    (folder / "refs").mkdir(parents=True, exist_ok=True)
    (folder / "refs" / "main").write_text(COMMIT)
    target = folder / "snapshots" / COMMIT / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


class FakeHub:
    """``hf_hub_download`` for a repository holding ``files``, fetched in 4 chunks."""

    def __init__(self, cache: Path, files: dict[str, bytes]) -> None:
        self.cache, self.files, self.asked = cache, files, []

    def __call__(self, repo: str, name: str, *, tqdm_class) -> str:
        self.asked.append(name)
        if name not in self.files:
            response = SimpleNamespace(headers={}, request=None)  # what the error reads
            raise RemoteEntryNotFoundError(f"404: {name}", response=response)
        data = self.files[name]
        bar = tqdm_class(total=len(data), initial=0, unit="B", unit_scale=True, desc=name)
        step = max(1, len(data) // 4)
        for start in range(0, len(data), step):
            bar.update(min(step, len(data) - start))
        bar.close()
        put_in_cache(self.cache, repo, name, data)
        return str(self.cache)


@pytest.fixture
def fake_hub(monkeypatch, hub_cache):
    def install(files: dict[str, bytes]) -> FakeHub:
        hub = FakeHub(hub_cache, files)
        monkeypatch.setattr(huggingface_hub, "hf_hub_download", hub)
        monkeypatch.setattr(weights, "hub_reachable", lambda timeout=3.0: True)
        return hub

    return install


def test_what_each_kind_of_model_needs_from_the_hub(tmp_path):
    pretrained = weights.hub_files(ModelSpec.parse(DEFAULT))
    assert pretrained.repo == REPO
    assert pretrained.choices == ((weights.SAFE_WEIGHTS, weights.PICKLED_WEIGHTS),)
    hub = weights.hub_files(ModelSpec.parse("hf-hub:org/model"))
    assert hub.repo == "org/model"
    assert hub.choices == ((weights.CONFIG_FILE,), (weights.SAFE_WEIGHTS, weights.PICKLED_WEIGHTS))
    assert weights.hub_files(ModelSpec.parse(f"local-dir:{tmp_path}")) is None


def test_missing_looks_only_at_the_cache(hub_cache, tiny_clip_spec):
    spec = ModelSpec.parse(DEFAULT)
    started = time.monotonic()
    assert weights.missing(spec)
    assert time.monotonic() - started < 1  # no network involved
    put_in_cache(hub_cache, REPO, weights.PICKLED_WEIGHTS, b"weights")
    assert not weights.missing(spec)  # either name will do: open_clip takes both
    assert not weights.missing(ModelSpec.parse(tiny_clip_spec))


def test_download_reports_bytes_and_prefers_safetensors(fake_hub, hub_cache):
    hub = fake_hub({weights.SAFE_WEIGHTS: b"s" * 1000, weights.PICKLED_WEIGHTS: b"p" * 10})
    seen: list[tuple[int, int]] = []
    weights.download(ModelSpec.parse(DEFAULT), lambda done, total: seen.append((done, total)))
    assert hub.asked == [weights.SAFE_WEIGHTS]
    assert seen[-1] == (1000, 1000) and len(seen) == 4
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert not weights.missing(ModelSpec.parse(DEFAULT))
    weights.download(ModelSpec.parse(DEFAULT), lambda done, total: seen.append((done, total)))
    assert hub.asked == [weights.SAFE_WEIGHTS]  # already here: nothing fetched again


def test_download_falls_back_to_the_name_the_repository_has(fake_hub):
    hub = fake_hub({weights.PICKLED_WEIGHTS: b"p" * 100})
    weights.download(ModelSpec.parse(DEFAULT), lambda done, total: None)
    assert hub.asked == [weights.SAFE_WEIGHTS, weights.PICKLED_WEIGHTS]


def test_a_cancelled_download_stops_and_says_so(fake_hub, hub_cache, tmp_path):
    fake_hub({weights.SAFE_WEIGHTS: b"s" * 1000})
    token = CancelToken()
    seen: list[str] = []

    def progress(phase: str, done: int, total: int) -> None:
        seen.append(phase)
        token.cancel()  # after the first chunk

    with Library(tmp_path / "catalog", model=DEFAULT) as library:
        assert library.model_needs_download()
        with pytest.raises(Cancelled):
            library.download_model(progress, token)
        assert seen == ["downloading"]
        assert library.model_needs_download()


def test_no_network_is_a_clear_error_in_seconds(monkeypatch, hub_cache):
    def offline(*args, **kwargs):
        raise LocalEntryNotFoundError("cannot reach the hub and the file is not cached")

    monkeypatch.setattr(huggingface_hub, "hf_hub_download", offline)
    monkeypatch.setattr(weights, "hub_reachable", lambda timeout=3.0: True)
    with pytest.raises(ModelError, match=f"not on this computer.*{REPO}.*local-dir:"):
        weights.download(ModelSpec.parse(DEFAULT), lambda done, total: None)

    monkeypatch.setattr(weights, "hub_reachable", lambda timeout=3.0: False)
    started = time.monotonic()
    for attempt in (
        lambda: weights.download(ModelSpec.parse(DEFAULT), lambda done, total: None),
        lambda: ClipModel.load(DEFAULT, "cpu"),
    ):
        with pytest.raises(ModelError, match=f"{REPO}.*local-dir:"):
            attempt()
    assert time.monotonic() - started < 5


def test_hub_reachable_honours_offline_mode(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert not weights.hub_reachable()
