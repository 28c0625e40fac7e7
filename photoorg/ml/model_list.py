"""The curated list of models offered in ``photoorg models`` and in Settings.

The figures are open_clip's own: ImageNet-1k zero-shot top-1 from its results table
(``docs/openclip_results.csv``), Chinese image retrieval from its multilingual table
(``docs/openclip_multilingual_retrieval_results.csv``), parameters and image-tower
GFLOPs from its profile table (``docs/model_profile.csv``), all in the open_clip
repository (commit 89fb801, June 2026; the wheel ships none of them). The SigLIP 2
models are in none of the tables: their parameters and image GFLOPs were counted the
way the profile table counts (a forward of the image tower built from open_clip's
shipped config, under ``torch.utils.flop_counter``), which reproduces the table's
figures for the models it has (8.82, 11.5 and 46.82 GFLOPs; ``tests/ml/test_model_list.py``
checks both); their accuracy figures are left empty rather than quoted from elsewhere.
``download_mb`` is the size of float32 weights (4 bytes per parameter), which is what
these checkpoints ship.

Why these: the current default; ``ViT-B-32-256:datacomp_s34b_b86k``, 72.8 % zero-shot
against 66.6 % for 30 % more image compute (rclip's choice); SigLIP 2 (multilingual,
768-d); and three multilingual models that understand Chinese queries.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from photoorg.config import DEFAULT_MODEL, DEFAULT_MULTILINGUAL_MODEL, default_model
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
    zh_retrieval: float | None
    """Finding a photo from a Chinese caption: image retrieval recall@1 on Crossmodal-3600
    in Chinese (open_clip's multilingual retrieval table)."""
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


# name, languages, image GFLOPs, dim, ImageNet zero-shot, Chinese retrieval R@1,
# million parameters, Hugging Face text tower, note
MODELS: tuple[ModelEntry, ...] = tuple(
    ModelEntry(*row)
    for row in (
        (
            "ViT-B-32:laion2b_s34b_b79k",
            ENGLISH,
            8.82,
            512,
            0.6656,
            0.0072,
            151.28,
            False,
            "the default so far: fast, English only",
        ),
        (
            "ViT-B-32-256:datacomp_s34b_b86k",
            ENGLISH,
            11.5,
            512,
            0.7281,
            0.0236,
            151.29,
            False,
            "6 points better than the old default for 30% more image compute; English only",
        ),
        (
            "ViT-B-32-SigLIP2-256:webli",
            MULTILINGUAL,
            11.49,
            768,
            None,
            None,
            376.86,
            True,
            "SigLIP 2: multilingual, the image cost of ViT-B-32-256",
        ),
        (
            "ViT-B-16-SigLIP2-256:webli",
            MULTILINGUAL,
            46.82,
            768,
            None,
            None,
            375.23,
            True,
            "SigLIP 2 with 16 px patches: finer detail, 5x the old default's image compute",
        ),
        (
            "ViT-B-16-SigLIP-i18n-256:webli",
            MULTILINGUAL,
            46.82,
            768,
            0.7513,
            0.4736,
            370.63,
            True,
            "multilingual SigLIP: the best zero-shot here, 5x the image compute",
        ),
        (
            "xlm-roberta-base-ViT-B-32:laion5b_s13b_b90k",
            MULTILINGUAL,
            8.82,
            512,
            0.6236,
            0.5369,
            366.12,
            True,
            "the best at Chinese here, at the old default's image cost",
        ),
        (
            "nllb-clip-base-siglip:v1",
            MULTILINGUAL,
            112.13,
            768,
            0.3909,
            0.4883,
            507.47,
            True,
            "200 languages (NLLB text tower); weak at English zero-shot, slow images",
        ),
    )
)

DEFAULT_ENGLISH = DEFAULT_MODEL
DEFAULT_MULTILINGUAL = DEFAULT_MULTILINGUAL_MODEL


def default_for(language: str) -> str:
    """The model a new catalog starts with, from the user's language.

    English: ViT-B-32-256 (72.8 % zero-shot against the old default's 66.6 %, for 30 %
    more image compute). Any other language: XLM-RoBERTa ViT-B-32, the best of these at
    finding photos from Chinese captions (53.7 % recall@1 on Crossmodal-3600, against
    0.7 % for the old default, 47.4 % for SigLIP i18n at 5x the image compute) and at
    the old default's image cost; it pays 4 points of English zero-shot and a larger
    text tower (97 text GFLOPs per query against 6: some 0.1 s more per query on a CPU).
    """
    return default_model(language)


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
