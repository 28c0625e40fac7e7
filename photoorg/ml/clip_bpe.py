"""CLIP's byte-pair tokenizer without torch, for the light query path.

open_clip's ``SimpleTokenizer`` returns torch tensors, so importing it costs torch and,
through open_clip's package, torchvision: seconds before a command-line query can start.
This is the same algorithm (from OpenAI's CLIP, MIT licence, as open_clip keeps it),
with the same vocabulary file read from open_clip's installed package without importing
it, returning numpy. ``tests/ml/test_clip_bpe.py`` holds it to open_clip's output.
"""

from __future__ import annotations

import gzip
import html
import importlib.util
import itertools
from functools import lru_cache
from pathlib import Path

import numpy as np

VOCAB_NAME = "bpe_simple_vocab_16e6.txt.gz"
_MERGES = 49152 - 256 - 2
_PATTERN = (
    r"""<start_of_text>|<end_of_text>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+"""
)


def vocabulary_file() -> Path:
    """open_clip's BPE merges, found without running open_clip's (heavy) ``__init__``."""
    spec = importlib.util.find_spec("open_clip")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("open_clip is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / VOCAB_NAME


@lru_cache(maxsize=1)
def _bytes_to_unicode() -> dict[int, str]:
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1)]
    printable += range(ord("®"), ord("ÿ") + 1)
    codes = list(printable)
    extra = 0
    for byte in range(256):
        if byte not in printable:
            printable.append(byte)
            codes.append(256 + extra)
            extra += 1
    return dict(zip(printable, (chr(c) for c in codes), strict=True))


def _clean(text: str) -> str:
    import ftfy  # imported here: ~0.1 s, paid only when a new text is tokenized

    text = html.unescape(html.unescape(ftfy.fix_text(text))).strip()
    return " ".join(text.split()).lower()


class ClipBpe:
    """Token ids as ``open_clip.SimpleTokenizer()(texts, context_length)`` gives them."""

    def __init__(self, vocabulary: Path | None = None) -> None:
        import regex

        with gzip.open(vocabulary or vocabulary_file()) as handle:
            lines = handle.read().decode("utf-8").split("\n")
        merges = [tuple(line.split()) for line in lines[1 : _MERGES + 1]]
        symbols = list(_bytes_to_unicode().values())
        vocab = symbols + [s + "</w>" for s in symbols] + ["".join(m) for m in merges]
        vocab += ["<start_of_text>", "<end_of_text>"]
        self.encoder = {token: i for i, token in enumerate(vocab)}
        self.ranks = {merge: i for i, merge in enumerate(merges)}
        self.sot, self.eot = self.encoder["<start_of_text>"], self.encoder["<end_of_text>"]
        self._cache = {"<start_of_text>": "<start_of_text>", "<end_of_text>": "<end_of_text>"}
        self._pattern = regex.compile(_PATTERN, regex.IGNORECASE)

    def _bpe(self, token: str) -> str:
        if token in self._cache:
            return self._cache[token]
        word = (*token[:-1], token[-1] + "</w>")
        while len(word) > 1:
            pairs = set(itertools.pairwise(word))
            best = min(pairs, key=lambda pair: self.ranks.get(pair, float("inf")))
            if best not in self.ranks:
                break
            merged: list[str] = []
            i = 0
            while i < len(word):
                if i < len(word) - 1 and (word[i], word[i + 1]) == best:
                    merged.append(word[i] + word[i + 1])
                    i += 2
                else:
                    merged.append(word[i])
                    i += 1
            word = tuple(merged)
        out = " ".join(word)
        self._cache[token] = out
        return out

    def encode(self, text: str) -> list[int]:
        byte_map = _bytes_to_unicode()
        ids: list[int] = []
        for token in self._pattern.findall(_clean(text)):
            token = "".join(byte_map[b] for b in token.encode("utf-8"))
            ids.extend(self.encoder[piece] for piece in self._bpe(token).split(" "))
        return ids

    def __call__(self, texts: list[str], context_length: int) -> np.ndarray:
        """``(len(texts), context_length)`` int64 ids, zero-padded, truncated at the end."""
        out = np.zeros((len(texts), context_length), np.int64)
        for row, text in enumerate(texts):
            ids = [self.sot, *self.encode(text), self.eot]
            if len(ids) > context_length:
                ids = ids[:context_length]
                ids[-1] = self.eot
            out[row, : len(ids)] = ids
        return out
