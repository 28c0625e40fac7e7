"""The text tower, exported once per model to ONNX, answering new queries without torch.

``photoorg search`` from a shell spent ~5 s before this: torch (~1.3 s) and open_clip
(~3 s: it imports torchvision and every model family) only to run a text tower that
takes a few milliseconds. Like rclip, PhotoOrg exports the tower once per model (while
indexing, when the model is loaded anyway) and later runs it with onnxruntime, which
imports in ~0.2 s; with ``clip_bpe`` for tokens, a new query loads no torch at all.

Only open_clip's own ``CLIP`` text tower with its BPE tokenizer is exported (the case
``model._encode_text`` speeds up too); other towers keep the full path. The export
is checked before it is kept: the same token ids as the model's tokenizer and the same
vectors as torch on sample texts, or nothing is written.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from photoorg.ml.clip_bpe import ClipBpe

if TYPE_CHECKING:
    from photoorg.ml.model import ClipModel

MANIFEST = "text_tower.json"
GRAPH = "text_tower.onnx"
FORMAT = 1
SAMPLES = ["a photo of a dog", "Kids on a BEACH at sunset!", "海边的日落", "x " * 90]
TOLERANCE = 1e-4
"""Largest difference allowed between onnxruntime's and torch's normalised vectors."""


def weights_stamp(model_id: str) -> str:
    """What the export depends on besides the model's name: a local folder's weights file."""
    if not model_id.startswith("local-dir:"):
        return ""  # a hub tag or repo names fixed weights
    folder = Path(model_id.removeprefix("local-dir:"))
    for name in ("open_clip_model.safetensors", "open_clip_pytorch_model.safetensors"):
        path = folder / name
        if path.is_file():
            info = path.stat()
            return f"{name}:{info.st_size}:{info.st_mtime_ns}"
    return ""


def folder_for(root: Path, model_id: str) -> Path:
    """Where ``model_id``'s exported tower lives under ``root`` (new weights: new folder)."""
    key = hashlib.sha256(f"{model_id}\n{weights_stamp(model_id)}".encode()).hexdigest()
    return root / key[:20]


def exportable(model: ClipModel) -> bool:
    from open_clip.model import CLIP
    from open_clip.tokenizer import SimpleTokenizer

    clip = model.model
    tokenizer = model.tokenizer
    return (
        isinstance(clip, CLIP)
        and clip.attn_mask is not None
        and clip.text_pool_type == "argmax"
        and isinstance(tokenizer, SimpleTokenizer)
        and tokenizer.reduction_fn is None
        and tokenizer.clean_fn.__name__ == "_clean_lower"
    )


def export(model: ClipModel, folder: Path) -> bool:
    """Write ``model``'s text tower into ``folder``; False (nothing written) if unfit."""
    if (folder / MANIFEST).is_file():
        return True
    if not exportable(model):
        return False
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".export-"))
    try:
        context = int(model.model.positional_embedding.shape[0])
        _write_graph(model, work / GRAPH, context)
        manifest = {"format": FORMAT, "model": model.id, "dim": model.dim, "context": context}
        (work / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
        if not _faithful(OnnxTextTower(work), model):
            return False
        try:
            os.replace(work, folder)
        except OSError:  # another process exported it meanwhile
            return (folder / MANIFEST).is_file()
        return True
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _faithful(tower: OnnxTextTower, model: ClipModel) -> bool:
    """Same token ids and (within ``TOLERANCE``) the same vectors as the model, any batch."""
    for texts in (SAMPLES, SAMPLES[:1], SAMPLES[1:3]):
        tokens = model.tokenizer(texts).numpy()
        if not np.array_equal(tower.tokenizer(texts, tower.context), tokens):
            return False
        try:
            found = tower.encode(texts)
        except Exception:  # onnxruntime refuses a shape the trace baked in
            return False
        if np.abs(found - model.encode_texts(texts)).max() > TOLERANCE:
            return False
    return True


def _write_graph(model: ClipModel, target: Path, context: int) -> None:
    import copy

    import onnx
    import torch

    from photoorg.ml.precision import pack_self_attention

    # nn.MultiheadAttention's export bakes the traced batch and length into reshapes;
    # the packed form computes the same from the input's own shape.
    packed = pack_self_attention(copy.deepcopy(model.model.transformer))
    tower = _text_tower_class()(model.model, packed).eval()
    sample = model.tokenizer(["a photo of a dog", "a cat"]).to(model.device)
    with torch.inference_mode(), model._forward_lock, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the exporter's notes on tracing, all expected
        torch.onnx.export(
            tower,
            (sample,),
            str(target),
            input_names=["tokens"],
            output_names=["vectors"],
            dynamic_axes={"tokens": {0: "texts", 1: "length"}, "vectors": {0: "texts"}},
            opset_version=17,
            dynamo=False,  # the TorchScript exporter: needs onnx, not onnxscript
        )
    # Weights beside the graph, not inside it: onnxruntime then maps them instead of
    # parsing 250 MB of protobuf (0.65 s instead of 1.4 s to open ViT-B-32's tower).
    graph = onnx.load(str(target))
    onnx.save_model(
        graph,
        str(target),
        save_as_external_data=True,
        all_tensors_to_one_file=True,
        location=target.name + ".data",
        size_threshold=1024,
    )


def _text_tower_class() -> type:
    import torch
    from open_clip.transformer import text_global_pool

    class TextTower(torch.nn.Module):
        """``CLIP.encode_text(normalize=True)`` over only the positions the batch uses."""

        def __init__(self, clip: Any, transformer: Any) -> None:
            super().__init__()
            self.clip = clip  # its embeddings, final norm and projection
            self.transformer = transformer

        def forward(self, tokens: torch.Tensor) -> torch.Tensor:
            clip = self.clip
            used = tokens.shape[1]
            x = clip.token_embedding(tokens) + clip.positional_embedding[:used]
            x = self.transformer(x, attn_mask=clip.attn_mask[:used, :used])
            x = text_global_pool(clip.ln_final(x), tokens, "argmax")
            projection = clip.text_projection
            if projection is not None:
                x = projection(x) if isinstance(projection, torch.nn.Linear) else x @ projection
            return torch.nn.functional.normalize(x, dim=-1)

    return TextTower


class OnnxTextTower:
    """An exported text tower: ``encode(texts)`` gives what ``ClipModel.encode_texts`` does."""

    def __init__(self, folder: Path) -> None:
        import onnxruntime

        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        self.model_id: str = manifest["model"]
        self.dim: int = manifest["dim"]
        self.context: int = manifest["context"]
        self.tokenizer = ClipBpe()
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3  # no warnings on stderr from a command-line query
        self._session = onnxruntime.InferenceSession(
            str(folder / GRAPH), options, providers=["CPUExecutionProvider"]
        )

    @classmethod
    def open(cls, folder: Path) -> OnnxTextTower | None:
        """The tower exported into ``folder``, or None (not exported, onnxruntime missing)."""
        if not (folder / MANIFEST).is_file():
            return None
        try:
            tower = cls(folder)
        except ImportError:
            return None
        except Exception:  # a damaged export: the full model still answers
            return None
        return tower

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        tokens = self.tokenizer(texts, self.context)
        used = int(np.flatnonzero(tokens.any(axis=0)).max()) + 1  # the model is causal
        (vectors,) = self._session.run(None, {"tokens": tokens[:, :used]})
        return np.asarray(vectors, np.float32)
