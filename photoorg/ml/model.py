"""Loading a CLIP model with open_clip, and running its two towers.

A model is named the way open_clip names it:

- ``ARCH:PRETRAINED`` such as ``ViT-B-32:laion2b_s34b_b79k`` (weights from the Hugging Face
  hub cache, downloaded when missing and the network allows),
- ``hf-hub:org/repo``,
- ``local-dir:/path`` (a folder holding ``open_clip_config.json`` and
  ``open_clip_model.safetensors``, the Hugging Face layout).

Every failure becomes a ``ModelError`` that says what to download or which folder to pass.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections import OrderedDict
from typing import Any

import numpy as np
import torch

from photoorg.errors import ModelError
from photoorg.ml import weights
from photoorg.ml.spec import ModelSpec

log = logging.getLogger(__name__)

SAFE_WEIGHTS = weights.SAFE_WEIGHTS
TEXT_BATCH = 256
TEXT_CACHE_SIZE = 4096


def choose_device(preference: str = "auto") -> torch.device:
    """``auto`` picks CUDA, then Apple's MPS, then the CPU."""
    preference = preference.lower()
    if preference == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    if preference == "cuda" and not torch.cuda.is_available():
        raise ModelError("--device cuda was asked for, but no CUDA GPU is available")
    if preference == "mps" and not torch.backends.mps.is_available():
        raise ModelError("--device mps was asked for, but Apple's MPS is not available")
    if preference not in ("cpu", "cuda", "mps"):
        raise ModelError(f"unknown device {preference!r}: use auto, cpu, cuda or mps")
    return torch.device(preference)


def _missing_weights_message(spec: ModelSpec, exc: BaseException) -> str:
    import open_clip

    if spec.arch and not open_clip.get_pretrained_cfg(spec.arch, spec.pretrained):
        tags = open_clip.list_pretrained_tags_by_model(spec.arch)
        if not tags:
            return f"unknown model architecture {spec.arch!r} (see open_clip.list_models())"
        return f"unknown weights {spec.pretrained!r} for {spec.arch}; known: {', '.join(tags)}"
    return weights.cannot_fetch(spec, exc)


class ClipModel:
    """Both towers of one CLIP model on one device, ready for inference."""

    def __init__(
        self, spec: ModelSpec, model: Any, preprocess: Any, tokenizer: Any, device: torch.device
    ) -> None:
        self.spec = spec
        self.model = model
        self.preprocess = preprocess
        self.tokenizer = tokenizer
        self.device = device
        self.dtype = next(model.parameters()).dtype
        self.logit_scale = float(model.logit_scale.exp().item())
        visual = model.visual
        size = getattr(visual, "image_size", 224)
        self.image_size = int(size[0] if isinstance(size, tuple | list) else size)
        with torch.inference_mode():
            probe = self.tokenizer(["a"]).to(device)
            self.dim = int(model.encode_text(probe).shape[-1])
        self._text_cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._text_lock = threading.Lock()
        # The model is not re-entrant for our purposes: one forward at a time.
        self._forward_lock = threading.Lock()
        self.precision = {torch.float16: "fp16", torch.bfloat16: "bf16"}.get(self.dtype, "fp32")
        """What the image tower runs at now; every vector is stamped with it."""
        self.precision_choice: Any = None  # ml.precision.PrecisionChoice, once chosen
        self._requested: str | None = None
        self._remembered: str | None = None
        self._precision_lock = threading.Lock()

    @property
    def id(self) -> str:
        return self.spec.id

    @classmethod
    def load(cls, name: str, device: str = "auto") -> ClipModel:
        import open_clip

        spec = ModelSpec.parse(name)
        torch_device = choose_device(device)
        if spec.local_dir is not None:
            weights.check_local_dir(spec.local_dir)
            model_name, pretrained = spec.id, None
        elif spec.hub_repo is not None:
            model_name, pretrained = spec.id, None
        else:
            if spec.arch not in open_clip.list_models():
                raise ModelError(
                    f"unknown model architecture {spec.arch!r} (see open_clip.list_models())"
                )
            model_name, pretrained = spec.arch, spec.pretrained
        if weights.missing(spec) and not weights.hub_reachable():
            # Said now, not after a minute of huggingface_hub retrying a dead network.
            raise ModelError(_missing_weights_message(spec, ConnectionError("no network")))
        # fp32 everywhere: a reduced precision is chosen for the image tower on the first
        # photos it encodes (request_precision), checked against these fp32 weights.
        precision = "fp32"
        torch.set_flush_denormal(True)  # denormals make CPU inference crawl
        try:
            with _quiet_open_clip():
                model, _, preprocess = open_clip.create_model_and_transforms(
                    model_name,
                    pretrained=pretrained,
                    device=torch_device,
                    precision=precision,
                    require_pretrained=True,
                    weights_only=True,
                )
                tokenizer = open_clip.get_tokenizer(model_name)
        except ModelError:
            raise
        except Exception as exc:
            # Not only RuntimeError/OSError/ValueError: a damaged .safetensors raises
            # SafetensorError and a config that does not fit the code KeyError or
            # TypeError; any of them is "this model cannot be loaded", never a traceback.
            if spec.local_dir is not None:
                raise ModelError(
                    f"cannot load the model in {spec.local_dir}: {type(exc).__name__}: {exc}"
                ) from exc
            if not isinstance(exc, (RuntimeError, FileNotFoundError, OSError, ValueError)):
                raise ModelError(
                    f"cannot load the model {spec.id}: {type(exc).__name__}: {exc}"
                ) from exc
            raise ModelError(_missing_weights_message(spec, exc)) from exc
        model.eval()
        return cls(spec, model, preprocess, tokenizer, torch_device)

    # -- image tower ------------------------------------------------------------------

    def prepare(self, upright_image: Any) -> torch.Tensor:
        """The model's own preprocessing (size, crop, mean, std); safe in worker threads."""
        return self.preprocess(upright_image)

    def request_precision(self, name: str, remembered: str | None = None) -> None:
        """Run the image tower at ``name`` (``ml.precision``), chosen on the next batch;
        ``remembered``: what ``auto`` chose here before (stored under
        ``precision.memory_key``), to skip the race.

        The choice is made once per loaded model; asking again for the same is a no-op.
        """
        from photoorg.ml.precision import check_name

        name = check_name(name)
        with self._precision_lock:
            done = self.precision_choice
            if done is not None and done.requested != name:
                raise ModelError("the precision is chosen once per loaded model: load it again")
            if done is None:
                self._requested, self._remembered = name, remembered

    def _choose_precision(self, probe: torch.Tensor) -> None:
        from photoorg.ml import precision

        with self._precision_lock:
            if self._requested is None:
                return
            requested, self._requested = self._requested, None
            choice = precision.apply(self, requested, probe, self._remembered)
            self.precision_choice, self.precision = choice, choice.precision
        log.info("image tower: %s", choice.note)

    def encode_images(self, batch: torch.Tensor | list[torch.Tensor]) -> np.ndarray:
        """Normalised float32 embeddings, one row per image."""
        if isinstance(batch, list):
            batch = torch.stack(batch)
        if self._requested is not None:  # the user's first photos are the fidelity probe
            self._choose_precision(batch)
        with self._forward_lock, torch.inference_mode():
            features = self.model.encode_image(batch.to(self.device, self.dtype), normalize=True)
        return features.float().cpu().numpy()

    # -- text tower -------------------------------------------------------------------

    def encode_texts(self, texts: list[str]) -> np.ndarray:
        """Normalised float32 embeddings of ``texts`` (recent ones come from a cache)."""
        with self._text_lock:
            found = {t: self._text_cache[t] for t in texts if t in self._text_cache}
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        for start in range(0, len(missing), TEXT_BATCH):
            chunk = missing[start : start + TEXT_BATCH]
            tokens = self.tokenizer(chunk).to(self.device)
            with self._forward_lock, torch.inference_mode():
                features = _encode_text(self.model, tokens).float().cpu().numpy()
            found.update(zip(chunk, features, strict=True))
        with self._text_lock:
            for text in missing:
                self._text_cache[text] = found[text]
            while len(self._text_cache) > TEXT_CACHE_SIZE:
                self._text_cache.popitem(last=False)
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return np.stack([found[t] for t in texts]).astype(np.float32)


def _encode_text(model: Any, tokens: torch.Tensor) -> torch.Tensor:
    """Normalised text embeddings; for CLIP's own text tower, only over the used positions.

    The tokenizer pads every prompt to 77 tokens, and open_clip's ``CLIP.encode_text``
    runs all of them, although a query such as "kids on a beach" uses 6. That tower is
    causal and pools at the end-of-text token (the largest id, found by ``argmax``), so
    the padding after the longest prompt of a batch cannot change any result: cutting
    it off makes a typical query and a label set's prompts several times faster on a
    CPU. Other text towers (Hugging Face encoders, non-causal ones) run unchanged.
    """
    from open_clip.model import CLIP
    from open_clip.transformer import text_global_pool

    if not (
        isinstance(model, CLIP)
        and model.attn_mask is not None
        and model.text_pool_type == "argmax"
        and tokens.shape[1] == model.positional_embedding.shape[0]
    ):
        return model.encode_text(tokens, normalize=True)
    used = int(tokens.ne(0).any(dim=0).nonzero().max()) + 1
    tokens = tokens[:, :used]
    cast = model.transformer.get_cast_dtype()
    x = model.token_embedding(tokens).to(cast) + model.positional_embedding[:used].to(cast)
    x = model.transformer(x, attn_mask=model.attn_mask[:used, :used])
    x = text_global_pool(model.ln_final(x), tokens, "argmax")
    projection = model.text_projection
    if projection is not None:
        x = projection(x) if isinstance(projection, torch.nn.Linear) else x @ projection
    return torch.nn.functional.normalize(x, dim=-1)


@contextlib.contextmanager
def _quiet_open_clip():
    """open_clip logs at WARNING for things we report ourselves; keep the terminal clean."""
    logger = logging.getLogger()
    level = logger.level
    logger.setLevel(max(level, logging.ERROR))
    try:
        yield
    finally:
        logger.setLevel(level)
