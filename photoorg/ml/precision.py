"""Running the image tower at reduced precision, only where it is faster and faithful.

``auto`` (the default) means fp16 on CUDA and MPS; on a CPU, whichever of int8 and bf16
(bf16 only where the CPU has it natively: AVX512-BF16 or AMX) runs a probe batch fastest
here, fp32 included in the race. Whatever is chosen, explicitly or not, must give
embeddings within cosine ``FIDELITY`` of fp32 on the probe images (a handful of the
user's own photos, the first batch to encode), or the tower stays fp32 and the choice
says why. The race is remembered per model and machine (``memory_key``): it is close
between int8 and bf16 on some CPUs, and a catalog whose photos were encoded at one
precision on Monday and another on Tuesday would rank them on slightly different
scales. A remembered choice is still checked for fidelity on each run's probe.

int8 is torch's dynamic quantization (``torch.ao.quantization.quantize_dynamic``): int8
weights, activations quantized per batch, fbgemm/oneDNN/QNNPACK kernels that run in
eager mode. It is deprecated in favour of torchao, but torchao's eager int8 path ran a
ViT-B-32 tower at 0.45x fp32 here (its speed needs ``torch.compile``, hence a C compiler
and a long first compile on every user's machine) and it is one more 28 MB package tied
to torch's version; if a later torch drops ``quantize_dynamic``, int8 is simply not
offered and ``auto`` uses bf16 or fp32.

``nn.MultiheadAttention`` keeps its q/k/v projection as a bare parameter, not an
``nn.Linear``, so quantizing the Linears alone leaves a quarter of a ViT's weights (and
of its matrix work) in fp32: 1.3x instead of 1.9x on ViT-B-32. ``PackedSelfAttention``
swaps each self-attention for the same computation with its projections as Linears.
"""

from __future__ import annotations

import copy
import os
import time
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import torch
import torch.nn.functional as F
from torch import nn

from photoorg.config import PRECISIONS
from photoorg.errors import ModelError

if TYPE_CHECKING:
    from photoorg.ml.model import ClipModel

FIDELITY = 0.99
"""Least cosine between a reduced-precision embedding and the fp32 one, on every probe."""
PROBE_IMAGES = 8
_DTYPES = {"fp32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}


@dataclass(frozen=True)
class PrecisionChoice:
    """What the image tower runs at, and why (``note`` is fit to show the user)."""

    precision: str  # fp32, fp16, bf16 or int8: what every embedding made now is stamped with
    requested: str
    cosine: float  # least cosine to fp32 on the probe (1.0 for fp32)
    speedup: float  # probe rate over fp32's (1.0 when not timed)
    coverage: float  # share of the tower's weights running at ``precision``
    note: str
    raced: bool = False  # ``auto`` timed the candidates: worth remembering (memory_key)


def check_name(requested: str) -> str:
    name = requested.strip().lower()
    if name not in PRECISIONS:
        raise ModelError(f"unknown precision {requested!r}: use {', '.join(PRECISIONS)}")
    return name


def memory_key(model_id: str, device: torch.device) -> str:
    """What a remembered ``auto`` choice holds for: this model, this torch, this kind of
    processor (its instruction set and bf16, or the GPU's name) and core count."""
    if device.type == "cuda":
        where = f"cuda {torch.cuda.get_device_name(device)}"
    elif device.type == "cpu":
        capability = torch.backends.cpu.get_cpu_capability()
        where = f"cpu {capability}{' bf16' if native_bf16() else ''} x{os.cpu_count()}"
    else:
        where = device.type
    return f"precision:{model_id}|torch {torch.__version__}|{where}"


def native_bf16() -> bool:
    """Whether this CPU does bf16 arithmetic in hardware (else bf16 is emulated, slow)."""
    cpu = getattr(torch, "cpu", None)
    checks = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")
    return any(bool(getattr(cpu, name, lambda: False)()) for name in checks)


def int8_available() -> bool:
    quantization = getattr(torch.ao, "quantization", None)
    return hasattr(quantization, "quantize_dynamic")


def candidates(requested: str, device: torch.device) -> list[str]:
    """The reduced precisions worth trying for ``requested`` on ``device``, best guess first."""
    requested = check_name(requested)
    if requested == "fp32":
        return []
    if requested != "auto":
        return [requested]
    if device.type in ("cuda", "mps"):
        return ["fp16"]
    return [p for p, ok in (("int8", int8_available()), ("bf16", native_bf16())) if ok]


# -- self-attention as Linears -----------------------------------------------------------


class PackedSelfAttention(nn.Module):
    """``nn.MultiheadAttention`` for self-attention, its q/k/v projection an ``nn.Linear``.

    The same arithmetic (one q/k/v projection, scaled dot-product attention, output
    projection); dynamic quantization then covers every projection of the block.
    """

    def __init__(self, attention: nn.MultiheadAttention) -> None:
        super().__init__()
        width = attention.embed_dim
        self.heads = attention.num_heads
        self.batch_first = attention.batch_first
        self.qkv = nn.Linear(width, 3 * width, bias=attention.in_proj_bias is not None)
        self.qkv.weight = nn.Parameter(attention.in_proj_weight.detach().clone())
        if attention.in_proj_bias is not None:
            self.qkv.bias = nn.Parameter(attention.in_proj_bias.detach().clone())
        self.out_proj = nn.Linear(width, width, bias=attention.out_proj.bias is not None)
        self.out_proj.load_state_dict(attention.out_proj.state_dict())

    @staticmethod
    def fits(attention: nn.MultiheadAttention) -> bool:
        return (
            attention._qkv_same_embed_dim
            and attention.bias_k is None
            and not attention.add_zero_attn
            and attention.embed_dim % attention.num_heads == 0
        )

    def forward(
        self,
        query: torch.Tensor,
        key: torch.Tensor,
        value: torch.Tensor,
        need_weights: bool = False,
        attn_mask: torch.Tensor | None = None,
        key_padding_mask: torch.Tensor | None = None,
        **_: Any,
    ) -> tuple[torch.Tensor, None]:
        if key is not query or value is not query or need_weights or key_padding_mask is not None:
            raise ValueError("PackedSelfAttention does self-attention only, without weights")
        x = query if self.batch_first else query.transpose(0, 1)
        batch, length, width = x.shape
        qkv = self.qkv(x).reshape(batch, length, 3, self.heads, width // self.heads)
        q, k, v = qkv.permute(2, 0, 3, 1, 4).unbind(0)
        if attn_mask is not None and attn_mask.dtype == torch.bool:
            attn_mask = ~attn_mask  # MultiheadAttention masks out True; SDPA keeps True
        x = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)
        x = self.out_proj(x.transpose(1, 2).reshape(batch, length, width))
        return (x if self.batch_first else x.transpose(0, 1)), None


def pack_self_attention(module: nn.Module) -> nn.Module:
    """Swap, in place, each self-attention ``nn.MultiheadAttention`` that fits."""
    for name, child in module.named_children():
        # open_clip's cross-attention blocks (ln_1_kv) and attentional poolers pass
        # different keys: those stay as they are.
        cross = hasattr(module, "ln_1_kv") or "pool" in type(module).__name__.lower()
        if isinstance(child, nn.MultiheadAttention):
            if not cross and PackedSelfAttention.fits(child):
                setattr(module, name, PackedSelfAttention(child))
        else:
            pack_self_attention(child)
    return module


# -- converting and choosing -------------------------------------------------------------


class ReducedTower(nn.Module):
    """A converted image tower that takes and returns float32, whatever runs inside."""

    def __init__(self, tower: nn.Module, input_dtype: torch.dtype, precision: str) -> None:
        super().__init__()
        self.tower = tower
        self.input_dtype = input_dtype
        self.precision = precision
        # open_clip and ClipModel read these from model.visual.
        for attribute in ("image_size", "output_dim", "preprocess_cfg"):
            if hasattr(tower, attribute):
                setattr(self, attribute, getattr(tower, attribute))

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.tower(images.to(self.input_dtype)).float()


def convert(tower: nn.Module, precision: str) -> nn.Module:
    """A converted copy of the fp32 ``tower`` (the original is left untouched)."""
    if precision == "int8":
        if not int8_available():
            raise ModelError("this torch has no dynamic int8 quantization")
        packed = pack_self_attention(copy.deepcopy(tower))
        quantization = torch.ao.quantization
        with warnings.catch_warnings():
            # Deprecation notices about the API itself (see the module docstring) and
            # about quantized tensors (a UserWarning), both known and planned for.
            warnings.simplefilter("ignore")
            quantized = quantization.quantize_dynamic(
                packed, {nn.Linear: quantization.per_channel_dynamic_qconfig}
            )
        return ReducedTower(quantized, torch.float32, "int8")
    dtype = _DTYPES[precision]
    return ReducedTower(copy.deepcopy(tower).to(dtype), dtype, precision)


def coverage(tower: nn.Module, precision: str) -> float:
    """Share of the fp32 ``tower``'s weights that ``precision`` converts."""
    total = sum(p.numel() for p in tower.parameters())
    if precision != "int8" or not total:
        return 1.0
    packed = pack_self_attention(copy.deepcopy(tower))
    linear = sum(m.weight.numel() for m in packed.modules() if isinstance(m, nn.Linear))
    return linear / total


def _run(tower: nn.Module, images: torch.Tensor) -> tuple[torch.Tensor, float]:
    with torch.inference_mode():
        start = time.perf_counter()
        out = tower(images)
        seconds = time.perf_counter() - start
    return F.normalize(out.float(), dim=-1), seconds


def choose(
    tower: nn.Module,
    requested: str,
    device: torch.device,
    probe: torch.Tensor,
    remembered: str | None = None,
) -> tuple[nn.Module, PrecisionChoice]:
    """The tower to encode with, and why: ``tower`` itself (fp32) or a converted copy.

    ``probe`` is a batch of preprocessed images (``PROBE_IMAGES`` are used) on ``device``.
    An explicit request is kept when faithful; ``auto`` also races fp32 and keeps the
    fastest faithful candidate, unless ``remembered`` names the winner of an earlier race
    here, which is then only checked for fidelity.
    """
    requested = check_name(requested)
    probe = probe[:PROBE_IMAGES].to(device, torch.float32)
    tried = candidates(requested, device)
    if not tried:
        return tower, PrecisionChoice("fp32", requested, 1.0, 1.0, 1.0, "fp32")
    if requested == "auto" and remembered == "fp32":
        note = "fp32 (no faster precision here, when last measured)"
        return tower, PrecisionChoice("fp32", requested, 1.0, 1.0, 1.0, note)
    reference, _ = _run(tower, probe)
    if requested == "auto" and remembered in tried and not _unfit(remembered, device):
        converted = convert(tower, remembered)
        out, _ = _run(converted, probe)
        cosine = float((out * reference).sum(-1).min())
        if cosine >= FIDELITY:
            share = coverage(tower, remembered)
            note = f"{remembered}: the fastest here when last measured, cosine {cosine:.4f}"
            return converted, PrecisionChoice(remembered, requested, cosine, 1.0, share, note)
    _, fp32_time = _run(tower, probe)  # the first run paid the warm-up
    best: tuple[nn.Module, PrecisionChoice] | None = None
    refused: list[str] = []
    raced = requested == "auto"
    for precision in tried:
        unfit = _unfit(precision, device)
        if unfit:
            refused.append(f"{precision}: {unfit}")
            continue
        converted = convert(tower, precision)
        out, _ = _run(converted, probe)
        cosine = float((out * reference).sum(-1).min())
        if not cosine >= FIDELITY:  # NaN fails too
            refused.append(f"{precision}: cosine {cosine:.4f} to fp32 < {FIDELITY}")
            continue
        _, seconds = _run(converted, probe)
        speedup = fp32_time / max(seconds, 1e-9)
        share = coverage(tower, precision)
        note = f"{precision}: {speedup:.2f}x fp32, cosine {cosine:.4f}, {share:.0%} of weights"
        choice = PrecisionChoice(precision, requested, cosine, speedup, share, note, raced)
        if best is None or speedup > best[1].speedup:
            best = (converted, choice)
    if best is not None and (requested != "auto" or best[1].speedup > 1.0):
        return best
    if best is not None:
        refused.append(f"{best[1].precision}: no faster than fp32 here ({best[1].speedup:.2f}x)")
    note = "fp32 (" + "; ".join(refused) + ")" if refused else "fp32"
    # Only a race that found nothing faster is worth remembering; an unfaithful
    # candidate is checked again next time (the next photos may pass).
    remember = raced and best is not None
    return tower, PrecisionChoice("fp32", requested, 1.0, 1.0, 1.0, note, remember)


def _unfit(precision: str, device: torch.device) -> str | None:
    """Why ``precision`` cannot run on ``device`` at all, or None."""
    if precision == "int8" and device.type != "cpu":
        return "dynamic int8 runs on the CPU only"
    if precision == "int8" and not int8_available():
        return "this torch has no dynamic int8 quantization"
    if precision == "bf16" and device.type == "cpu" and not native_bf16():
        return "this CPU has no native bf16 (it would be emulated, slower than fp32)"
    if precision == "fp16" and device.type == "cpu":
        return "fp16 is for GPUs; use int8 or bf16 on a CPU"
    return None


def apply(
    model: ClipModel, requested: str, probe: torch.Tensor, remembered: str | None = None
) -> PrecisionChoice:
    """Set ``model``'s image tower to the chosen precision (from its fp32 tower)."""
    clip = model.model
    with model._forward_lock:
        tower = clip.visual
        if isinstance(tower, ReducedTower) or next(tower.parameters()).dtype != torch.float32:
            raise ModelError("a precision is chosen from the fp32 model: load it again")
        chosen, choice = choose(tower, requested, model.device, probe, remembered)
        clip.visual = chosen
    return choice
