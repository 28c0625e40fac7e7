"""The curated list of models offered in ``photoorg models`` and in Settings.

The figures are open_clip's own: ImageNet-1k zero-shot top-1 from its results table
(``docs/openclip_results.csv``), parameters and image-tower GFLOPs from its profile
table (``docs/model_profile.csv``), both in the open_clip repository (commit 89fb801,
June 2026; the wheel ships neither). The SigLIP 2 models are in neither table: their
parameters and image GFLOPs were counted the way the profile table counts (a forward
of the image tower built from open_clip's shipped config, under
``torch.utils.flop_counter``), which reproduces the table's figures for the models it
has (8.82, 11.5 and 46.82 GFLOPs; ``tests/ml/test_model_list.py`` checks both);
their zero-shot accuracy is not in open_clip's results, so it is left empty rather
than quoted from elsewhere. ``download_mb`` is the size of float32 weights (4 bytes
per parameter), which is what these checkpoints ship.

Why these: the current default; ``ViT-B-32-256:datacomp_s34b_b86k``, 72.8 % zero-shot
against 66.6 % for 30 % more image compute (rclip's choice); SigLIP 2 (multilingual,
768-d); and three multilingual models that understand Chinese queries.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from photoorg.ml import hub_text, weights
from photoorg.ml.spec import ModelSpec

ENGLISH = "en"
MULTILINGUAL = "multilingual"


@dataclass(frozen=True)
class ModelEntry:
    name: str
    languages: str
    image_gflops: float
    dim: int
    imagenet_zero_shot: float | None
    params_m: float
    hf_text_tower: bool  # needs transformers and a tokenizer from the hub
    note: str

    @property
    def download_mb(self) -> int:
        return round(self.params_m * 4)

    def as_dict(self, here: bool) -> dict[str, object]:
        row = asdict(self)
        return {
            "name": row.pop("name"),
            "languages": row.pop("languages"),
            "image_gflops": row.pop("image_gflops"),
            "dim": row.pop("dim"),
            "imagenet_zero_shot": row.pop("imagenet_zero_shot"),
            "download_mb": self.download_mb,
            "here": here,
            **row,
        }


MODELS: tuple[ModelEntry, ...] = (
    ModelEntry(
        "ViT-B-32:laion2b_s34b_b79k",
        ENGLISH,
        8.82,
        512,
        0.6656,
        151.28,
        False,
        "the default so far: fast, English only",
    ),
    ModelEntry(
        "ViT-B-32-256:datacomp_s34b_b86k",
        ENGLISH,
        11.5,
        512,
        0.7281,
        151.29,
        False,
        "6 points better than the default for 30% more image compute; English only",
    ),
    ModelEntry(
        "ViT-B-32-SigLIP2-256:webli",
        MULTILINGUAL,
        11.49,
        768,
        None,
        376.86,
        True,
        "SigLIP 2: multilingual, the image cost of ViT-B-32-256",
    ),
    ModelEntry(
        "ViT-B-16-SigLIP2-256:webli",
        MULTILINGUAL,
        46.82,
        768,
        None,
        375.23,
        True,
        "SigLIP 2 with 16 px patches: finer detail, 4x the image compute",
    ),
    ModelEntry(
        "ViT-B-16-SigLIP-i18n-256:webli",
        MULTILINGUAL,
        46.82,
        768,
        0.7513,
        370.63,
        True,
        "multilingual SigLIP: the best zero-shot here, 4x the default's image compute",
    ),
    ModelEntry(
        "xlm-roberta-base-ViT-B-32:laion5b_s13b_b90k",
        MULTILINGUAL,
        8.82,
        512,
        0.6236,
        366.12,
        True,
        "multilingual at the default's image cost (XLM-RoBERTa text tower)",
    ),
    ModelEntry(
        "nllb-clip-base-siglip:v1",
        MULTILINGUAL,
        112.13,
        768,
        0.3909,
        507.47,
        True,
        "200 languages (NLLB text tower); weak on English zero-shot, slow images",
    ),
)


def find(name: str) -> ModelEntry | None:
    return next((m for m in MODELS if m.name == name), None)


def is_here(name: str) -> bool:
    """Whether every file the model needs is in the local Hugging Face cache (no network):
    weights and config, and for a Hugging Face text tower its tokenizer and config."""
    spec = ModelSpec.parse(name)
    return not weights.missing(spec) and not hub_text.missing_repos(spec)


def listing() -> list[dict[str, object]]:
    """``photoorg models --json``: every curated model with its figures and ``here``."""
    return [m.as_dict(is_here(m.name)) for m in MODELS]
