"""Model names as open_clip spells them, parsed without importing torch.

The catalog stamps every vector with ``ModelSpec.id``; parsing a name must be cheap
because the window and the CLI do it long before (or without ever) loading torch.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from photoorg.errors import ModelError

LOCAL_DIR = "local-dir:"
HF_HUB = "hf-hub:"


@dataclass(frozen=True)
class ModelSpec:
    """A parsed model name. ``id`` is what embeddings are stamped with."""

    id: str
    arch: str | None = None
    pretrained: str | None = None
    local_dir: Path | None = None
    hub_repo: str | None = None

    @classmethod
    def parse(cls, text: str) -> ModelSpec:
        text = text.strip()
        if text.startswith(LOCAL_DIR):
            folder = Path(text[len(LOCAL_DIR) :]).expanduser().resolve()
            return cls(id=f"{LOCAL_DIR}{folder}", local_dir=folder)
        if text.startswith(HF_HUB):
            repo = text[len(HF_HUB) :]
            if not repo or "/" not in repo:
                raise ModelError(f"bad model name {text!r}: expected hf-hub:ORG/REPO")
            return cls(id=text, hub_repo=repo)
        arch, sep, pretrained = text.partition(":")
        if not sep or not arch or not pretrained:
            raise ModelError(
                f"bad model name {text!r}: expected ARCH:PRETRAINED "
                "(e.g. ViT-B-32:laion2b_s34b_b79k),"
                " hf-hub:ORG/REPO or local-dir:/path/to/folder"
            )
        return cls(id=text, arch=arch, pretrained=pretrained)
