"""A self-check of the Hugging Face text-tower path, on a tiny model made on the spot.

Multilingual models (xlm-roberta-base-ViT-B-32, nllb-clip, SigLIP i18n) put a
``transformers`` model where CLIP's text tower was, with its own tokenizer read through
``AutoTokenizer`` and ``AutoConfig``. In a frozen build a module of ``transformers`` or
the native library of ``tokenizers`` that PyInstaller missed shows only when such a
model loads, and the real ones are 1.5 GB downloads. So ``--self-test`` makes a tiny one
here (a BERT of width 32 and a WordPiece tokenizer trained on a few English and Chinese
words), saves it in the ``local-dir:`` layout those models have, and loads it through
``ClipModel.load``: the same code, no download. Its weights are random, so this checks
that the path runs and keeps texts apart, not what the model finds.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

TEXTS = ["a red circle", "a green square", "红色圆形", "绿色正方形"]
CONTEXT = 16
WIDTH = 32
SEED = 0


class HubTextCheckError(Exception):
    """The Hugging Face text-tower path did not work; the message says how."""


def save_wordpiece_tokenizer(folder: Path, texts: list[str], vocab_size: int, context: int) -> Any:
    """A BERT-style WordPiece tokenizer trained on ``texts``, saved into ``folder`` as
    ``transformers`` reads it (``AutoTokenizer``); returned as a ``PreTrainedTokenizerFast``.
    The test suite's tiny multilingual model is made with it too."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]  # [PAD] = 0: BERT's pad id
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True, handle_chinese_chars=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.train_from_iterator(
        texts,
        trainers.WordPieceTrainer(
            vocab_size=vocab_size, special_tokens=specials, show_progress=False
        ),
    )
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", cls), ("[SEP]", sep)]
    )
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
        model_max_length=context,
    )
    fast.save_pretrained(str(folder))
    return fast


def make_tiny_model(folder: Path) -> str:
    """Write a tiny CLIP with a BERT text tower into ``folder``; its ``local-dir:`` spec."""
    import open_clip
    import torch
    from safetensors.torch import save_file
    from transformers import BertConfig, PreTrainedTokenizerFast

    folder.mkdir(parents=True, exist_ok=True)
    save_wordpiece_tokenizer(folder, TEXTS, 100, CONTEXT)
    vocab = len(PreTrainedTokenizerFast.from_pretrained(str(folder)))
    BertConfig(
        vocab_size=vocab,
        hidden_size=WIDTH,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=2 * WIDTH,
        max_position_embeddings=CONTEXT,
        type_vocab_size=1,
        pad_token_id=0,
    ).save_pretrained(str(folder))
    text_cfg = {
        "hf_model_name": str(folder),
        "hf_tokenizer_name": str(folder),
        "hf_pooler_type": "mean_pooler",
        "hf_proj_type": "linear",
        "context_length": CONTEXT,
    }
    vision_cfg = {"image_size": 32, "patch_size": 16, "width": WIDTH, "layers": 1, "head_width": 16}
    model_cfg = {"embed_dim": WIDTH, "vision_cfg": vision_cfg, "text_cfg": text_cfg}
    config = {"model_cfg": model_cfg, "preprocess_cfg": {"size": 32}}
    (folder / "open_clip_config.json").write_text(json.dumps(config), encoding="utf-8")
    torch.manual_seed(SEED)
    model = open_clip.CustomTextCLIP(
        **(model_cfg | {"text_cfg": text_cfg | {"hf_model_pretrained": False}})
    )
    state = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
    save_file(state, str(folder / "open_clip_model.safetensors"))
    return f"local-dir:{folder}"


def self_check(workdir: Path) -> str:
    """Make the tiny model in ``workdir``, load it as the app loads any model, and encode
    English and Chinese texts through its tower; a summary, or ``HubTextCheckError``."""
    import transformers

    from photoorg.ml.model import ClipModel

    model = ClipModel.load(make_tiny_model(workdir / "tiny-hf-text-tower"), device="cpu")
    ids = model.tokenizer(TEXTS)
    unknown = model.tokenizer.tokenizer.unk_token_id
    if bool((ids == unknown).any()):
        raise HubTextCheckError("the tokenizer does not know words it was trained on")
    vectors = model.encode_texts(TEXTS)
    if vectors.shape != (len(TEXTS), WIDTH) or not np.all(np.isfinite(vectors)):
        raise HubTextCheckError(f"the text tower gave vectors of shape {vectors.shape}")
    if not np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3):
        raise HubTextCheckError("the text tower's vectors are not normalised")
    closest = max(
        float(vectors[i] @ vectors[j]) for i in range(len(TEXTS)) for j in range(i + 1, len(TEXTS))
    )
    if closest > 0.9999:
        raise HubTextCheckError("the text tower gave two different texts the same vector")
    return f"hf text tower ok (transformers {transformers.__version__}, English and Chinese)"
