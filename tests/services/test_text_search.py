"""Text in photos end to end through Library: indexing reads signs, ``text:`` finds each
sign and nothing else, a plain query with a sign's words ranks it first, info shows it."""

from __future__ import annotations

import pytest

from photoorg.errors import UsageError
from photoorg.services.library import Library
from tests.support import scenes as sc
from tests.support import signs

SIZE = (640, 480)
SCENES = 12  # photos without text: each costs a probe (~0.4 s)


@pytest.fixture(scope="module")
def indexed(tmp_path_factory, tiny_clip_spec):
    base = tmp_path_factory.mktemp("text-search")
    folder = base / "photos"
    sc.write_library(folder, SCENES, seed=5, size=256)
    chosen = [*signs.ENGLISH_SIGNS, *(signs.CHINESE_SIGNS if signs.cjk_font() else ())]
    truth = {}
    for i, sign in enumerate(chosen):
        path = folder / f"sign_{i}.jpg"
        signs.render_sign(sign, size=SIZE, text_height=0.1, seed=40 + i).save(path, quality=90)
        truth[str(path)] = sign
    with Library(base / "catalog", model=tiny_clip_spec, device="cpu") as library:
        summary = library.index([folder], read_text="likely")
        library.truth = {library.photo_id(p): s for p, s in truth.items()}
        yield library, summary


def test_indexing_reads_the_signs_and_skips_the_rest(indexed):
    library, summary = indexed
    assert summary["text"]["with_text"] == len(library.truth)
    assert summary["text"]["read"] + summary["text"]["skipped"] == SCENES + len(library.truth)
    assert library.text.policy == "off"  # the test suite's setting; the run overrode it


def test_text_filter_finds_each_sign_and_nothing_else(indexed):
    library, _ = indexed
    for photo_id, sign in library.truth.items():
        for word in sign.words:
            hits = library.search(f'text:"{word}"', limit=100)
            assert [h.id for h in hits] == [photo_id], (word, hits)
    assert library.search("text:pizza", limit=100) == []
    # negated, and combined with a description
    others = library.search("-text:roma", limit=1000)
    assert len(others) == SCENES + len(library.truth) - 1
    with pytest.raises(UsageError, match="needs a value"):
        library.search("text:", limit=10)


def test_a_plain_query_with_a_sign_s_words_ranks_it_first(indexed):
    library, _ = indexed
    for photo_id, sign in library.truth.items():
        query = sign.words[0]
        hits = library.search(query, limit=10, min_score=-1)
        assert hits[0].id == photo_id, (query, [h.path for h in hits[:3]])


def test_info_holds_the_text_with_boxes(indexed):
    library, _ = indexed
    photo_id = next(iter(library.truth))
    text = library.info(photo_id)["text"]
    assert text["outcome"] == "read" and "CAFE" in text["text"].upper()
    assert len(text["lines"][0]["box"]) == 4
