"""What a model with a Hugging Face text tower needs from the hub besides its weights.

Multilingual checkpoints replace CLIP's text tower and tokenizer: open_clip then calls
``AutoTokenizer.from_pretrained(hf_tokenizer_name)`` when it makes the tokenizer, and
``AutoConfig.from_pretrained(hf_model_name)`` when it builds the tower (the weights
themselves come with the checkpoint). Both read the Hugging Face cache, and both try
the network when a file is not there. So the offline check, the download (with its
progress and cancel) and the message for a missing model must cover these files too.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from photoorg.ml.spec import ModelSpec

TOKENIZER_FILES = (
    "tokenizer_config.json",
    "tokenizer.json",
    "special_tokens_map.json",
    "added_tokens.json",
    "sentencepiece.bpe.model",
    "spiece.model",
    "tokenizer.model",
    "vocab.txt",
    "vocab.json",
    "merges.txt",
    "config.json",  # AutoTokenizer reads the model type from it when the config names none
)
"""What AutoTokenizer may read; a repository has some of them, and a download takes
those it has. ``tokenizer_config.json`` is the one every tokenizer repository holds."""


@dataclass(frozen=True)
class TextTowerFiles:
    """Hub repositories a model's Hugging Face text side reads, beyond its weights."""

    tokenizer_repo: str | None  # hf_tokenizer_name: tokenizer files
    config_repo: str | None  # hf_model_name: the transformer's config.json

    @property
    def repos(self) -> list[str]:
        return list(dict.fromkeys(r for r in (self.tokenizer_repo, self.config_repo) if r))


def text_tower_files(spec: ModelSpec) -> TextTowerFiles | None:
    """The hub repositories the text side of ``spec`` reads, or None when it reads none
    (CLIP's own tokenizer, or names that are folders on this computer)."""
    text_cfg = _text_cfg(spec)
    if not text_cfg:
        return None
    tokenizer = _hub_name(text_cfg.get("hf_tokenizer_name"))
    if spec.local_dir is not None:
        tokenizer = None  # open_clip reads a local-dir model's tokenizer from its folder
    config = _hub_name(text_cfg.get("hf_model_name"))
    if tokenizer is None and config is None:
        return None
    return TextTowerFiles(tokenizer, config)


def _text_cfg(spec: ModelSpec) -> dict:
    if spec.local_dir is not None:
        path = spec.local_dir / "open_clip_config.json"
    elif spec.hub_repo is not None:
        from huggingface_hub import try_to_load_from_cache

        found = try_to_load_from_cache(spec.hub_repo, "open_clip_config.json")
        if not isinstance(found, str):
            return {}  # the config itself is missing: weights.missing says so already
        path = Path(found)
    else:
        import open_clip

        return dict((open_clip.get_model_config(spec.arch) or {}).get("text_cfg", {}))
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    # Any shape may come in a folder someone hands us: loading it reports what is wrong.
    model_cfg = config.get("model_cfg", config) if isinstance(config, dict) else None
    text_cfg = model_cfg.get("text_cfg") if isinstance(model_cfg, dict) else None
    return dict(text_cfg) if isinstance(text_cfg, dict) else {}


def _hub_name(name: object) -> str | None:
    """A hub repository name, or None for nothing or a folder that exists here."""
    if not isinstance(name, str) or not name:
        return None
    if name.startswith(("/", ".", "~")) or Path(name).expanduser().is_dir():
        return None
    return name


def missing_repos(spec: ModelSpec) -> list[str]:
    """The text side's repositories with a needed file absent from the local cache."""
    files = text_tower_files(spec)
    if files is None:
        return []
    from huggingface_hub import try_to_load_from_cache

    def cached(repo: str, name: str) -> bool:
        return isinstance(try_to_load_from_cache(repo, name), str)

    out = []
    for repo in files.repos:
        needs = []
        if repo == files.tokenizer_repo:
            needs.append("tokenizer_config.json")
        if repo == files.config_repo:
            needs.append("config.json")
        if not all(cached(repo, name) for name in needs):
            out.append(repo)
    return out


def download(
    spec: ModelSpec,
    progress_bar: type | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> None:
    """Fetch the text side's files into the Hugging Face cache; ``progress_bar`` is the
    tqdm class of ``weights`` (it reports bytes and raises ``Cancelled``)."""
    files = text_tower_files(spec)
    if files is None:
        return
    from huggingface_hub import snapshot_download

    for repo in missing_repos(spec):
        if cancelled():
            from photoorg.errors import Cancelled

            raise Cancelled("download cancelled")
        patterns = list(TOKENIZER_FILES) if repo == files.tokenizer_repo else ["config.json"]
        snapshot_download(repo, allow_patterns=patterns, tqdm_class=progress_bar)
