"""The torch-free tokenizer gives exactly open_clip's token ids."""

from __future__ import annotations

import numpy as np
import open_clip
import pytest

from photoorg.ml.clip_bpe import ClipBpe

TEXTS = [
    "a red circle on a black background",
    "Kids on a BEACH at sunset!!",
    "dog + beach - people",
    "café crème, naïve façade",
    "海边的日落 和 猫",
    "emoji 🐶🏖️ and &amp; entities &lt;b&gt;",
    "  lots   of\twhite\nspace  ",
    "it's what we'll've done, 2019-05-01 at 10:30",
    "",
    "antidisestablishmentarianism supercalifragilisticexpialidocious",
    "word " * 100,  # longer than any context: truncated with the end token kept
]


@pytest.fixture(scope="module")
def ours() -> ClipBpe:
    return ClipBpe()


@pytest.mark.parametrize("context", [77, 16])
def test_same_ids_as_open_clip(ours, context):
    theirs = open_clip.SimpleTokenizer(context_length=context)(TEXTS).numpy()
    np.testing.assert_array_equal(ours(TEXTS, context), theirs)


def test_same_ids_on_the_vocabulary_itself(ours):
    """Every 97th vocabulary word, alone and in pairs: covers the merge table widely."""
    tokenizer = open_clip.SimpleTokenizer()
    words = [w.removesuffix("</w>") for w in list(tokenizer.encoder)[512::97]]
    texts = words + [f"{a} {b}" for a, b in zip(words, reversed(words), strict=True)]
    np.testing.assert_array_equal(ours(texts, 77), tokenizer(texts).numpy())
