"""Fusing what a photo says (its recognised text) with what it shows (CLIP) for plain queries.

A search for "cafe roma" should put the photo of the CAFE ROMA sign first, although
CLIP sees only "a sign" in it. So a plain query's words are also looked up in the
photos' text, and each photo gets ``TEXT_WEIGHT`` times the share of the query's words
its text holds added to its CLIP cosine. With the weight at 1.0 a photo holding all
the words outranks every photo holding none (CLIP cosines of one query lie well within
one unit of each other), and among photos with equal text matches CLIP still decides.

Which words count: function words and words under three Latin letters would match
almost any text ("a", "of", "the" are in every menu), so they are left out. Chinese
writes no spaces, so a run of Chinese characters is cut into its overlapping
two-character pieces ("北京的咖啡馆": 北京, 京的, 的咖, 咖啡, 啡馆), most Chinese words being
two characters long; a lone character is too common to say anything. The whole query
with its spaces removed is tried too: "cafe roma" finds "CAFEROMA", where the
recogniser dropped the space, and a photo holding all of "北京的咖啡馆" matches fully.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

TEXT_WEIGHT = 1.0

STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "it",
        "of",
        "on",
        "or",
        "photo",
        "photos",
        "picture",
        "pictures",
        "image",
        "images",
        "the",
        "this",
        "that",
        "to",
        "with",
    ]
)
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af"
_WORDS = re.compile(rf"[{_CJK}]+|[^\s{_CJK}]+")
_IS_CJK = re.compile(rf"[{_CJK}]")


def query_words(query: str) -> list[str]:
    """The pieces of a plain query worth looking up in photos' text, in order, once each."""
    return list(dict.fromkeys(w for word in _kept(query) for w in _pieces(word)))


def _kept(query: str) -> list[str]:
    """The query's words less function words, short Latin words and lone characters."""
    words = []
    for match in _WORDS.finditer(query.casefold()):
        word = match.group().strip(".,;:!?\"'()[]")
        if _IS_CJK.match(word):
            if len(word) >= 2:
                words.append(word)
        elif len(word) >= 3 and word not in STOP_WORDS:
            words.append(word)
    return words


def _pieces(word: str) -> list[str]:
    if _IS_CJK.match(word) and len(word) > 2:
        return [word[i : i + 2] for i in range(len(word) - 1)]
    return [word]


def text_strength(query: str, photos_with_text: Callable[[str], set[int]]) -> dict[int, float]:
    """Per photo whose text holds any of the query's words, the share it holds (0..1].

    ``photos_with_text(phrase)`` answers which photos' text holds a phrase (ignoring
    case and whitespace, as the store's index does).
    """
    words = query_words(query)
    whole = "".join(_kept(query))
    if not words:
        return {}
    counts: dict[int, int] = {}
    for word in words:
        for photo in photos_with_text(word):
            counts[photo] = counts.get(photo, 0) + 1
    strength = {photo: n / len(words) for photo, n in counts.items()}
    if len(words) > 1:  # the words run together, as the recogniser writes them
        for photo in photos_with_text(whole):
            strength[photo] = 1.0
    return strength


def fuse(
    clip_scores: Mapping[int, float],
    strength: Mapping[int, float],
    *,
    weight: float = TEXT_WEIGHT,
    missing_score: Callable[[Iterable[int]], Mapping[int, float]] | None = None,
) -> list[tuple[int, float]]:
    """Photos ranked by CLIP score plus ``weight`` x text strength, best first.

    ``clip_scores`` are the CLIP hits of the query; photos that only their text brings in
    take their CLIP score from ``missing_score`` (e.g. an exact product over their stored
    vectors), or the lowest score among the hits when it is not given. Ties keep the
    photo id order, so a ranking is the same on every run.
    """
    extra = [p for p in strength if p not in clip_scores]
    filled: dict[int, float] = dict(clip_scores)
    if extra:
        found = dict(missing_score(extra)) if missing_score is not None else {}
        floor = min(clip_scores.values(), default=0.0)
        for photo in extra:
            filled[photo] = found.get(photo, floor)
    fused = {p: s + weight * strength.get(p, 0.0) for p, s in filled.items()}
    return sorted(fused.items(), key=lambda item: (-item[1], item[0]))
