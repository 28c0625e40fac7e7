"""The query language: one table per rule, then fuzzing with hypothesis."""

from __future__ import annotations

import re
import string
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from photoorg.errors import UsageError
from photoorg.model.query import Filters, Query, Term
from photoorg.services import query_parser as query
from photoorg.services.dates import find_dates
from photoorg.services.query_parser import (
    MAX_QUERY_CHARS,
    MAX_TERMS,
    parse_date_bound,
    parse_query,
)


def text_terms(query: str) -> list[tuple[str, float]]:
    parsed = parse_query(query)
    assert all(t.kind == "text" for t in parsed.terms)
    return [(t.value, t.weight) for t in parsed.terms]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("dog", [("dog", 1)]),
        ("kids on a beach at sunset", [("kids on a beach at sunset", 1)]),
        ("dog + beach - people", [("dog", 1), ("beach", 1), ("people", -1)]),
        ("  dog   +beach ", [("dog +beach", 1)]),  # `+` glued mid-query is not an operator
        ("dog -people", [("dog -people", 1)]),
        ("-people", [("people", -1)]),
        ("- people + dog", [("people", -1), ("dog", 1)]),
        ("+dog", [("dog", 1)]),
        ("t-shirt", [("t-shirt", 1)]),
        ("black-and-white - t-shirt", [("black-and-white", 1), ("t-shirt", -1)]),
        ("dog-", [("dog-", 1)]),
        ("dog\tbeach\n- people", [("dog beach", 1), ("people", -1)]),
        ("柴犬 + 🐶 beach", [("柴犬", 1), ("🐶 beach", 1)]),
        ("dog\x00\x07 cat\x1b", [("dog cat", 1)]),  # control characters go
        ("family 👨‍👩‍👧", [("family 👨‍👩‍👧", 1)]),  # ZWJ sequences stay whole
    ],
)
def test_terms_and_operators(query: str, expected: list[tuple[str, float]]) -> None:
    assert text_terms(query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("2:sunset", [("sunset", 2)]),
        ("0.5:dog + 1.5:cat", [("dog", 0.5), ("cat", 1.5)]),
        (".5:dog", [("dog", 0.5)]),
        ("dog - 2:people", [("dog", 1), ("people", -2)]),
        ("-1.5:people", [("people", -1.5)]),  # glued sign on the first term
        ("2: red car", [("red car", 2)]),
        ("3:red car - 0.25:blue car", [("red car", 3), ("blue car", -0.25)]),
        ('2:"a + b"', [("a + b", 2)]),
        ("2:12:30", [("2:12:30", 1)]),  # a time, not a weight
        ('2:"12:30"', [("12:30", 2)]),
    ],
)
def test_weights(query: str, expected: list[tuple[str, float]]) -> None:
    assert text_terms(query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"a + b"', [("a + b", 1)]),
        ('"dog - cat" + "x"', [("dog - cat", 1), ("x", 1)]),
        ('"-people"', [("-people", 1)]),
        ('-"a - b"', [("a - b", -1)]),
        ('"+"', [("+", 1)]),
        ('"colr:red" "after:2019"', [("colr:red after:2019", 1)]),  # quotes make filters text
        ('say "hi  there"', [("say hi  there", 1)]),
        ('""', []),
    ],
)
def test_quotes_keep_text_literal(query: str, expected: list[tuple[str, float]]) -> None:
    assert text_terms(query) == expected


@pytest.mark.parametrize(
    "query",
    [
        "meet at 12:30",
        "12:30:15",
        "at 9:45pm",
        "16:9 frame",
        "http://example.com/a?b=c",
        ":)",
        "東京:夜",
    ],
)
def test_colons_that_stay_text(query: str) -> None:
    assert text_terms(query) == [(query, 1)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("after:2019", Filters(after=date(2019, 1, 1))),
        ("before:2019", Filters(before=date(2019, 1, 1))),
        ("after:2019-03 before:2019-03-05", Filters(date(2019, 3, 1), date(2019, 3, 5))),
        (
            "after:2018 after:2019 before:2021 before:2020",
            Filters(date(2019, 1, 1), date(2020, 1, 1)),
        ),
        ('folder:"My Trips/2019"', Filters(folders=("My Trips/2019",))),
        ("folder:/a folder:/b", Filters(folders=("/a", "/b"))),
        ("camera:canon camera:'pixel'", Filters(cameras=("canon", "'pixel'"))),
        ("label:cat label:dog label:cat", Filters(labels=("cat", "dog"))),
        (
            '-label:screenshot -label:"text document"',
            Filters(exclude_labels=("screenshot", "text document")),
        ),
        (
            "type:jpg type:TIF type:heif type:.png type:webp",
            Filters(types=("jpeg", "tiff", "heic", "png", "webp")),
        ),
        ("has:gps", Filters(has_gps=True)),
        ("-has:GPS", Filters(has_gps=False)),
        ("album:Holidays", Filters(albums=("Holidays",))),
        ("AFTER:2019 Label:Cat", Filters(after=date(2019, 1, 1), labels=("Cat",))),
    ],
)
def test_filters_alone_make_a_browse_query(query: str, expected: Filters) -> None:
    parsed = parse_query(query)
    assert parsed == Query((), expected)
    assert not parsed.is_empty()


def test_filters_anywhere_between_terms() -> None:
    parsed = parse_query("dog after:2019 on grass - label:x people type:png")
    assert parsed.terms == (Term("text", "dog on grass", 1), Term("text", "people", -1))
    assert parsed.filters == Filters(after=date(2019, 1, 1), labels=("x",), types=("png",))
    parsed = parse_query("after:2019 -people")  # the first *term* may carry the sign
    assert parsed.terms == (Term("text", "people", -1),)


@pytest.fixture
def photos(tmp_path: Path) -> Path:
    for name in ("ref.jpg", "b.PNG", "with space.heic", "notes.txt"):
        (tmp_path / name).write_bytes(b"x")
    return tmp_path


@pytest.mark.parametrize(
    ("query", "kind", "value", "weight"),
    [
        ("./ref.jpg", "image", "ref.jpg", 1),
        ("ref.jpg", "image", "ref.jpg", 1),
        ("b.PNG", "image", "b.PNG", 1),
        ("- 2:ref.jpg", "image", "ref.jpg", -2),
        ('"with space.heic"', "image", "with space.heic", 1),
        ("with space.heic", "image", "with space.heic", 1),
        ("img:ref.jpg", "image", "ref.jpg", 1),
        ("img:notes.txt", "image", "notes.txt", 1),  # explicit: any existing file
        ('0.5:img:"with space.heic"', "image", "with space.heic", 0.5),
        ("img:with space.heic", "image", "with space.heic", 1),
        ("missing.jpg", "text", "missing.jpg", 1),  # no such file: a caption
        ("notes.txt", "text", "notes.txt", 1),  # not an image suffix
        ("photo:123", "photo", "123", 1),
        ("- photo:007", "photo", "7", -1),
    ],
)
def test_image_terms(photos: Path, query: str, kind: str, value: str, weight: float) -> None:
    (term,) = parse_query(query, cwd=photos).terms
    expected = str((photos / value).resolve()) if kind == "image" else value
    assert term == Term(kind, expected, weight)  # type: ignore[arg-type]


def test_image_terms_absolute_and_home(photos: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(photos))
    absolute = str(photos / "ref.jpg")
    assert parse_query(absolute).terms == (Term("image", absolute, 1),)
    assert parse_query("~/ref.jpg + dog", cwd=Path("/")).terms == (
        Term("image", absolute, 1),
        Term("text", "dog", 1),
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("x:sunset", "unknown filter 'x:'"),
        ("colr:red", "unknown filter 'colr:'"),
        ("dog colr:red", "filters: after, before, folder"),
        ("-colr:red", "unknown filter 'colr:'"),
        ("0:dog", "weight must be a number above 0"),
        ("1.2.3:dog", "weight must be a number"),
        ("1e3:dog", "weight must be a number"),
        ("500:dog", "at most 100"),
        ("dog + -1.5:people", "the sign comes from + or -"),
        ("2:", "needs a term"),
        ("2:3:dog", "one weight per term"),
        ("dog 2:cat", "a weight must start a term"),
        ("dog photo:3", "'photo:' must start a term"),
        ("+label:x", "a filter stands alone"),
        ("2:after:2019", "a filter stands alone"),
        ("after:2020-13-40", "bad date 'after:2020-13-40' (use YYYY, YYYY-MM or YYYY-MM-DD)"),
        ("before:19", "bad date 'before:19'"),
        ("after:0000", "bad date"),
        ("after:", "needs a value"),
        ('folder:""', "needs a value"),
        ("-folder:x", "only label:, has: and text: can be negated"),
        ("type:raw", "unknown type 'raw' (types: jpeg, png"),
        ("has:faces", "has: knows only gps"),
        ("has:gps -has:gps", "contradict"),
        ("after:2020 before:2019", "empty range"),
        ("after:2020 before:2020", "empty range"),
        ("label:cat -label:Cat", "both required and excluded"),
        ("img:missing.jpg", "no such image file: missing.jpg"),
        ("img:", "no such image file"),
        ("photo:abc", "catalog photo id"),
        ("photo:", "catalog photo id"),
        ("photo:99999999999999999999", "catalog photo id"),
        ("photo:²", "catalog photo id"),
        ('dog "cat', "unclosed quote"),
        ("dog +", "'+' at the end"),
        ("-", "'-' at the end"),
        ("dog + - cat", "two operators in a row"),
        ("+ + dog", "two operators in a row"),
        ("x" * (MAX_QUERY_CHARS + 1), "query is too long"),
        (" + ".join(["w"] * (MAX_TERMS + 1)), "too many terms"),
    ],
)
def test_errors(tmp_path: Path, query: str, message: str) -> None:
    with pytest.raises(UsageError, match=re.escape(message)):
        parse_query(query, cwd=tmp_path)


def test_limits_are_inclusive() -> None:
    assert len(parse_query(" + ".join(["w"] * MAX_TERMS)).terms) == MAX_TERMS
    assert parse_query("x" * MAX_QUERY_CHARS).terms[0].value == "x" * MAX_QUERY_CHARS


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2019", date(2019, 1, 1)), ("2019-03", date(2019, 3, 1)), ("2019-3-5", date(2019, 3, 5))],
)
@pytest.mark.parametrize("upper", [False, True])
def test_parse_date_bound(text: str, expected: date, upper: bool) -> None:
    assert parse_date_bound(text, upper=upper) == expected


@pytest.mark.parametrize(
    "text", ["", "19", "2019-", "2019-02-30", "2019/01/01", "２０１９", "yesterday"]
)
def test_parse_date_bound_rejects(text: str) -> None:
    with pytest.raises(UsageError, match="use YYYY, YYYY-MM or YYYY-MM-DD"):
        parse_date_bound(text, upper=False)


def test_merged_takes_every_condition() -> None:
    cli = Filters(after=date(2018, 1, 1), before=date(2021, 1, 1), labels=("cat",), has_gps=True)
    inline = parse_query("after:2019 before:2022 label:dog label:cat type:png").filters
    assert cli.merged(inline) == Filters(
        after=date(2019, 1, 1),
        before=date(2021, 1, 1),
        labels=("cat", "dog"),
        types=("png",),
        has_gps=True,
    )
    assert Filters().merged(inline) == inline
    assert inline.merged(Filters()) == inline


@pytest.mark.parametrize(
    ("a", "b", "message"),
    [
        (Filters(has_gps=True), Filters(has_gps=False), "contradict"),
        (Filters(after=date(2020, 1, 1)), Filters(before=date(2019, 1, 1)), "empty range"),
        (Filters(labels=("cat",)), Filters(exclude_labels=("cat",)), "both required"),
    ],
)
def test_merged_conflicts(a: Filters, b: Filters, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        a.merged(b)


def test_empty_and_describe() -> None:
    assert parse_query("").is_empty()
    assert parse_query("   ").describe() == "all photos"
    assert Filters().is_empty()
    parsed = parse_query("dog - 2:people + photo:4 after:2019 -has:gps")
    assert parsed.describe() == '"dog" - 2×"people" + photo #4; from 2019-01-01, without GPS'
    parsed = parse_query("photo:4 + " + "word " * 20)
    assert parsed.describe().startswith('photo #4 + "word word')
    assert parsed.describe().endswith('…"')


# --- fuzzing ------------------------------------------------------------------------

FUZZ = settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces of the grammar, so random strings often come close to valid queries.
# fmt: off
FRAGMENTS = st.sampled_from([
    " ", " + ", " - ", "+", "-", ":", '"', "2:", "0.5:", "-1:", "dog", "t-shirt", "é", "🐶",
    "after:", "before:", "2019", "-13", "-02-30", "label:", "-label:", "type:", "jpg", "has:",
    "gps", "folder:", "img:", "photo:", "12", "x.jpg", "~/", "/", "\\", "C:", "http://",
    "\x00", "\t", "\u200d", "\ud800", "²", "colr:",
])
# fmt: on


def check_any_outcome(query: str) -> None:
    try:
        parsed = parse_query(query, cwd=Path("/nonexistent-photoorg-dir"))
    except UsageError as error:
        if not str(error):
            pytest.fail("UsageError without a message")
        return
    assert len(parsed.terms) <= MAX_TERMS
    for term in parsed.terms:
        assert term.value
        assert 0 < abs(term.weight) <= 100
        assert not any(ch in term.value for ch in "\x00\t\n\x1b")
    assert isinstance(parsed.describe(), str)


@FUZZ
@given(st.text(max_size=200))
def test_fuzz_any_text_raises_only_usage_error(query: str) -> None:
    check_any_outcome(query)


@settings(FUZZ, max_examples=1000)
@given(st.lists(FRAGMENTS, max_size=20).map("".join))
def test_fuzz_grammar_fragments_raise_only_usage_error(query: str) -> None:
    check_any_outcome(query)


# Valid queries built from parts: the parse must give back what was built.
WORD = st.text(
    alphabet=string.ascii_letters + "éß柴犬🐶'", min_size=1, max_size=6
) | st.sampled_from(["t-shirt", "black-and-white", "dog-", "12:30", "a.b"])
WEIGHT = st.one_of(st.none(), st.sampled_from(["2", "0.5", ".25", "1.", "100"]))
QUOTED = st.lists(WORD, min_size=1, max_size=3).map(lambda ws: '"' + " - ".join(ws) + '"')
FILTER = st.sampled_from(
    [
        ("after:2001", "after", date(2001, 1, 1)),
        ("after:2001-07", "after", date(2001, 7, 1)),
        ("before:2019-02-03", "before", date(2019, 2, 3)),
        ('folder:"My Trips/2019"', "folders", "My Trips/2019"),
        ("camera:canon", "cameras", "canon"),
        ("label:cat", "labels", "cat"),
        ('label:"golden retriever"', "labels", "golden retriever"),
        ("-label:people", "exclude_labels", "people"),
        ("type:jpg", "types", "jpeg"),
        ("type:heic", "types", "heic"),
        ("has:gps", "has_gps", True),
        ("album:Holidays", "albums", "Holidays"),
    ]
)


def unique(values: list) -> tuple:
    return tuple(dict.fromkeys(values))


@st.composite
def built_queries(draw: st.DrawFn) -> tuple[str, list[tuple[str, float]], Filters]:
    tokens: list[str] = []
    expected: list[tuple[str, float]] = []
    for i in range(draw(st.integers(1, 5))):
        sign = draw(st.sampled_from(["+", "-"]))
        weight = draw(WEIGHT)
        if draw(st.booleans()):
            body, value = [(q := draw(QUOTED))], q[1:-1]
        else:
            body = draw(st.lists(WORD, min_size=1, max_size=4))
            value = " ".join(body)
            # Plain words that name a date ("today", "last year") are a date filter now.
            assume(not find_dates(value, date.today())[0])
        if body[0][0].isdigit():
            weight = None  # `2:12:30` reads as a time, not as a weight on "12:30"
        if weight is not None:
            body = [f"{weight}:{body[0]}", *body[1:]]
        if i > 0:
            tokens.append(sign)
        elif sign == "-" or draw(st.booleans()):
            # The first term: spaced or glued sign, or none for '+'.
            glued = draw(st.booleans())
            body = [sign + body[0], *body[1:]] if glued else [sign, *body]
        tokens += body
        expected.append((value, (-1 if sign == "-" else 1) * float(weight or 1)))
    meaning = {}  # filter token -> (field, value), read back in the order they land
    for _ in range(draw(st.integers(0, 4))):
        text, field, value = draw(FILTER)
        tokens.insert(draw(st.integers(0, len(tokens))), text)
        meaning[text] = (field, value)
    fields: dict[str, list] = {}
    for token in tokens:
        if token in meaning:
            fields.setdefault(meaning[token][0], []).append(meaning[token][1])
    filters = Filters(
        **{
            name: {"after": max, "before": min, "has_gps": max}.get(name, unique)(values)
            for name, values in fields.items()
        }
    )
    return " ".join(tokens), expected, filters


@settings(max_examples=400, deadline=None)
@given(built_queries())
def test_fuzz_built_queries_round_trip(built: tuple[str, list[tuple[str, float]], Filters]) -> None:
    query, expected, filters = built
    parsed = parse_query(query, cwd=Path("/nonexistent-photoorg-dir"))
    assert [(t.kind, t.value, t.weight) for t in parsed.terms] == [
        ("text", v, w) for v, w in expected
    ]
    assert parsed.filters == filters
    assert parsed.describe()


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("label:dog beach", "label:hound beach"),
        ("beach -label:DOG", "beach -label:hound"),
        ('label:"dog" folder:"My Trips"', 'label:hound folder:"My Trips"'),
        ("label:dogs beach", "label:dogs beach"),  # another label: untouched
        ("dog label:cat", "dog label:cat"),
    ],
)
def test_renaming_a_label_rewrites_its_filters(before, after):
    assert query.rename_label(before, "dog", "hound") == after
    assert query.rename_label("label:dog", "dog", "big dog") == 'label:"big dog"'
    parsed = query.parse_query(query.rename_label("sea label:dog", "dog", "big dog"))
    assert parsed.filters.labels == ("big dog",)
