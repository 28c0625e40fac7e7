"""A tiny multilingual CLIP (English and Chinese) with a Hugging Face text tower.

Why: real multilingual checkpoints (xlm-roberta-base-ViT-B-32, nllb-clip, SigLIP i18n)
put a Hugging Face transformer where CLIP's own text tower was, with its own tokenizer.
The app must load such a model, tokenize with its tokenizer and encode through
``transformers``, offline, and rank Chinese queries; the tests check that on a model
they make themselves, in the same ``local-dir:`` layout a real one has:

- ``tokenizer.json`` / ``tokenizer_config.json``: a WordPiece tokenizer trained with the
  ``tokenizers`` library on the English and Chinese captions of the generated scenes
  (Chinese split into characters, as BERT does);
- ``config.json``: a tiny BERT (``transformers``' ``BertConfig``: width 64, 2 layers);
- ``open_clip_config.json``: the tiny CLIP's image tower, and a ``text_cfg`` whose
  ``hf_model_name`` and ``hf_tokenizer_name`` point at this very folder;
- ``open_clip_model.safetensors``: the weights.

Training, the way Multilingual-CLIP (Carlsson et al., 2022) teaches a new text tower:
the image tower and logit scale are the trained tiny CLIP's (``tinyclip.py``), frozen,
and the BERT tower learns to put every English caption *and its Chinese translation*
where the tiny CLIP's own text tower puts the English caption (a contrastive loss over
those teacher vectors plus a cosine pull). No picture is needed: measured here, 76 s of
CPU (3.5 min wall on a 2-core machine that other jobs kept busy), student against
teacher cosine >= 0.977 for every English and every Chinese query (mean 0.99). The
folder is cached under its own key (this file's source, the teacher's key and the
transformers/tokenizers versions), beside the tiny CLIP.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import open_clip
import torch
import torch.nn.functional as F
from safetensors.torch import load_file, save_file

from photoorg.ml.hub_text_check import save_wordpiece_tokenizer
from tests.support import tinyclip

ZH_COLOURS = {"red": "红色", "green": "绿色", "blue": "蓝色", "yellow": "黄色"}
ZH_SHAPES = {"circle": "圆形", "square": "正方形", "triangle": "三角形"}
ZH_BACKGROUNDS = {"black": "黑色", "white": "白色", "gray": "灰色"}
CONTEXT_LENGTH = 32
STEPS = 400
SEED = 4321
BERT_CFG: dict[str, Any] = {
    "hidden_size": 64,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "intermediate_size": 128,
    "max_position_embeddings": CONTEXT_LENGTH,
    "type_vocab_size": 1,
    "pad_token_id": 0,
}


def zh_caption(colour: str | None, shape: str | None, background: str | None) -> str:
    """The Chinese twin of ``scenes.partial_caption``: "黑色背景上的红色圆形" is
    "a red circle on a black background"."""
    if colour is None and shape is None:
        if background is None:
            raise ValueError("name at least one attribute")
        return f"{ZH_BACKGROUNDS[background]}背景"
    thing = (ZH_COLOURS[colour] if colour else "") + (ZH_SHAPES[shape] if shape else "形状")
    if background is None:
        return thing
    return f"{ZH_BACKGROUNDS[background]}背景上的{thing}"


def zh_variants(text: str) -> list[str]:
    """Ways a Chinese user phrases it: bare, "a photo of ...", "a picture of ..."."""
    return [text, f"一张{text}的照片", f"{text}的图片"]


def caption_pairs() -> list[tuple[str, str]]:
    """(caption, the English caption whose teacher vector it must reach): English variants
    of every query the tiny CLIP knows, and Chinese ones of the same queries."""
    pairs = []
    for q in tinyclip.all_queries():
        english = q.text
        pairs += [(variant, english) for variant in tinyclip.text_variants(english)]
        zh = zh_caption(q.colour, q.shape, q.background)
        pairs += [(variant, english) for variant in zh_variants(zh)]
    return pairs


def _open_clip_config(folder: Path) -> dict[str, Any]:
    return {
        "model_cfg": {
            "embed_dim": tinyclip.MODEL_CFG["embed_dim"],
            "vision_cfg": tinyclip.MODEL_CFG["vision_cfg"],
            "text_cfg": {
                "hf_model_name": str(folder),
                "hf_tokenizer_name": str(folder),
                "hf_pooler_type": "mean_pooler",
                "hf_proj_type": "linear",
                "context_length": CONTEXT_LENGTH,
            },
        },
        "preprocess_cfg": tinyclip.PREPROCESS_CFG,
    }


def make_tiny_multilingual(out_dir: Path, teacher_dir: Path) -> Path:
    """Train and save the model into ``out_dir`` (replaced whole when done)."""
    from transformers import BertConfig

    started = time.perf_counter()
    out_dir = Path(out_dir).resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        pairs = caption_pairs()
        tokenizer = save_wordpiece_tokenizer(tmp, [text for text, _ in pairs], 400, CONTEXT_LENGTH)
        BertConfig(vocab_size=len(tokenizer), **BERT_CFG).save_pretrained(str(tmp))
        # The config names the final folder: open_clip reads the BERT config from there.
        config = _open_clip_config(out_dir)
        (tmp / tinyclip.CONFIG_NAME).write_text(json.dumps(config, indent=2), encoding="utf-8")
        model = _train(pairs, tokenizer, teacher_dir, tmp)
        save_file(
            {k: v.detach().contiguous() for k, v in model.state_dict().items()},
            str(tmp / tinyclip.WEIGHTS_NAME),
        )
        info = {"cache_key": cache_key(teacher_dir), "seconds": time.perf_counter() - started}
        (tmp / "tiny_multilingual_info.json").write_text(json.dumps(info), encoding="utf-8")
        if out_dir.exists():
            shutil.rmtree(out_dir)
        os.replace(tmp, out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out_dir


def _train(pairs: list[tuple[str, str]], tokenizer: Any, teacher_dir: Path, tmp: Path) -> Any:
    teacher, _, _ = open_clip.create_model_and_transforms(tinyclip.local_dir_spec(teacher_dir))
    teacher.eval()
    teacher_tok = open_clip.get_tokenizer(tinyclip.local_dir_spec(teacher_dir))
    english = sorted({target for _, target in pairs})
    with torch.no_grad():  # not inference_mode: the targets take part in the loss
        targets = teacher.encode_text(teacher_tok(english), normalize=True)
    target_of = {text: i for i, text in enumerate(english)}

    torch.manual_seed(SEED)
    # Built from the config in the temporary folder; saved weights carry everything.
    config = json.loads((tmp / tinyclip.CONFIG_NAME).read_text(encoding="utf-8"))
    config["model_cfg"]["text_cfg"]["hf_model_name"] = str(tmp)
    config["model_cfg"]["text_cfg"]["hf_model_pretrained"] = False
    model = open_clip.CustomTextCLIP(**config["model_cfg"])
    teacher_state = load_file(str(teacher_dir / tinyclip.WEIGHTS_NAME))
    image_state = {k: v for k, v in teacher_state.items() if k.startswith("visual.")}
    model.load_state_dict(image_state | {"logit_scale": teacher_state["logit_scale"]}, strict=False)
    model.visual.requires_grad_(False)
    model.logit_scale.requires_grad_(False)

    ids = tokenizer(
        [t for t, _ in pairs],
        padding="max_length",
        max_length=CONTEXT_LENGTH,
        truncation=True,
        return_tensors="pt",
    ).input_ids
    labels = torch.tensor([target_of[t] for _, t in pairs])
    params = [p for p in model.text.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=3e-3, weight_decay=0.01)
    generator = torch.Generator().manual_seed(SEED)
    old_threads = torch.get_num_threads()
    torch.set_num_threads(tinyclip.default_threads())
    try:
        model.text.train()
        for step in range(STEPS):
            for group in optimizer.param_groups:
                group["lr"] = 3e-3 * min(1.0, (step + 1) / 20) * (1 - step / STEPS)
            batch = torch.randperm(len(pairs), generator=generator)[:256]
            out = F.normalize(model.text(ids[batch]), dim=-1)
            logits = 30.0 * out @ targets.T
            loss = F.cross_entropy(logits, labels[batch])
            loss = loss + (1 - (out * targets[labels[batch]]).sum(-1)).mean() * 4
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    finally:
        torch.set_num_threads(old_threads)
    model.eval()
    return model


def cache_key(teacher_dir: Path) -> str:
    import tokenizers
    import transformers

    from photoorg.ml import hub_text_check  # its tokenizer trainer makes ours

    h = hashlib.sha256(Path(__file__).read_bytes())
    h.update(Path(hub_text_check.__file__).read_bytes())
    h.update(teacher_dir.name.encode())  # tiny-clip-<its own key>
    h.update(f"{transformers.__version__} {tokenizers.__version__}".encode())
    return h.hexdigest()[:16]


def ensure_tiny_multilingual(cache_root: Path | None = None) -> Path:
    """The folder of the tiny multilingual model, made only when not cached."""
    teacher_dir = tinyclip.ensure_tiny_clip(cache_root)
    root = Path(cache_root) if cache_root is not None else tinyclip.default_cache_root()
    folder = root / f"tiny-multilingual-{cache_key(teacher_dir)}"
    if (folder / tinyclip.WEIGHTS_NAME).is_file():
        return folder
    with tinyclip._file_lock(root / "tiny-multilingual.lock"):
        if not (folder / tinyclip.WEIGHTS_NAME).is_file():
            make_tiny_multilingual(folder, teacher_dir)
    return folder
