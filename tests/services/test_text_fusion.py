"""A photo whose text holds a plain query's words ranks high, fused with CLIP."""

import pytest

from photoorg.services.text_fusion import fuse, query_words, text_strength
from photoorg.store.photo_text import squash

# photo id -> its squashed text, as the store holds it
TEXTS = {1: "caferoma", 2: "busstop", 3: "北京咖啡馆", 4: "romastreet", 5: ""}


def _lookup(phrase: str) -> set[int]:
    key = squash(phrase)
    return {p for p, text in TEXTS.items() if key and key in text}


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("a photo of the cafe roma", ["cafe", "roma"]),
        ("Bus stop", ["bus", "stop"]),
        ("北京的咖啡馆", ["北京", "京的", "的咖", "咖啡", "啡馆"]),
        ("咖啡 a", ["咖啡"]),
        ("北 a of", []),  # one Chinese character and stop words: nothing to look up
        ("dog, on a beach!", ["dog", "beach"]),
    ],
)
def test_query_words_leave_out_what_matches_everything(query, words):
    assert query_words(query) == words


def test_all_words_give_full_strength_and_some_give_a_share():
    strength = text_strength("cafe roma", _lookup)
    assert strength == {1: 1.0, 4: 0.5}
    assert text_strength("咖啡", _lookup) == {3: 1.0}
    assert text_strength("北京咖啡馆", _lookup) == {3: 1.0}  # the whole run is in its text
    assert text_strength("北京的咖啡馆", _lookup) == {3: pytest.approx(3 / 5)}
    assert text_strength("a photo", _lookup) == {}


def test_words_the_recogniser_ran_together_still_match_fully():
    assert text_strength("bus stop", _lookup)[2] == 1.0
    assert text_strength("busstop", _lookup)[2] == 1.0


def test_a_sign_with_the_query_words_ranks_first_above_better_clip_matches():
    clip = {10: 0.34, 11: 0.31, 1: 0.12, 4: 0.20}  # the sign photo is a poor CLIP match
    ranked = fuse(clip, text_strength("cafe roma", _lookup))
    assert [p for p, _ in ranked][:2] == [1, 4]  # full match, then half a match
    assert ranked[0][1] == pytest.approx(1.12)
    assert [p for p, _ in ranked][2:] == [10, 11]  # then CLIP's own order


def test_photos_only_the_text_finds_get_their_own_clip_score_or_the_floor():
    clip = {10: 0.30, 11: 0.25}
    strength = {3: 1.0, 2: 0.5}
    ranked = fuse(clip, strength, missing_score=lambda ids: {3: 0.05})
    assert dict(ranked) == pytest.approx({3: 1.05, 2: 0.75, 10: 0.30, 11: 0.25})
    assert [p for p, _ in fuse(clip, strength)] == [3, 2, 10, 11]


def test_without_text_matches_the_clip_order_is_untouched():
    clip = {10: 0.2, 11: 0.3, 12: 0.3}
    assert fuse(clip, {}) == [(11, 0.3), (12, 0.3), (10, 0.2)]
