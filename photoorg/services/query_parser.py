"""The search query language, shared by the CLI's QUERY argument and the GUI search field.

A query is whitespace-separated tokens; ``"..."`` quotes part or all of a token, and
quoted text is always literal (no operators, filters, weights or prefixes inside).

    dog + 2:beach - people after:2019 label:cat -label:screenshot folder:"My Trips"

Terms
    Tokens between operators form one term: ``kids on a beach`` is ONE text term.
    An operator is a ``+`` or ``-`` token of its own (``dog - people``), or a sign glued
    to the query's first term (``-people``, ``-2:people``). Elsewhere a hyphen is part
    of a word: ``t-shirt``, ``black-and-white``, and also ``dog -people`` (one term).
    The sign comes only from the operator; a weight ``N:`` before a term is a number
    in (0, 100]: ``0.5:dog``. ``-1.5:people`` works only as the glued first term.
Image terms
    ``img:PATH`` (rest of the term; the file must exist) and ``photo:ID`` (a catalog id).
    A text term ending in an image suffix that names an existing file (``./ref.jpg``,
    ``~/x.heic``, relative to ``cwd``) is an image term too; if no such file exists
    it stays text, so a caption like ``holiday.jpg`` is never an error.
Filters (anywhere, each one token)
    ``after:DATE before:DATE`` (YYYY, YYYY-MM or YYYY-MM-DD; both mean the first day of
    that period: ``after`` is inclusive, ``before`` exclusive), ``folder: camera:
    album: type:`` (repeatable, any of), ``label:`` (repeatable, all of), ``-label:``
    (none of), ``has:gps`` / ``-has:gps``, ``place:NAME`` (a city, region or country,
    English or Chinese, any case; repeatable, any of), ``event:ID`` (repeatable, any of),
    ``text:WORD`` / ``text:"a phrase"`` (the photo's recognised text holds it, ignoring
    case and spaces; repeatable, all of) and ``-text:`` (none of).

    ``person:NAME`` (repeatable, all of: ``person:Anna person:Ben`` finds photos of both).
    Keys are case-insensitive.
Dates and places in plain words
    Unquoted text also says when and where: "beach in Italy last summer" is the
    description "beach", a date range and the place Italy ("2019", "May 2008",
    "2019年5月", "summer 2019", "去年", "from 2015 to 2017", "在意大利"...). A place
    phrase counts only for a place the library holds. See ``services.dates`` and
    ``services.place_phrases``.
Colons elsewhere
    To stay predictable, a token ``word:rest`` whose key is not a filter is an error
    listing the filters (``colr:red``), not silently text. What stays text: numbers
    with colons (times, ratios: ``12:30``, ``16:9``), URLs (``http://...``), drive
    paths (``C:\\x``), keys that are not ASCII words (``:)``, ``東京:``) and anything
    quoted. Quoting is the escape for every rule above.
Limits and cleaning
    At most 2,000 characters and 32 terms. Control characters are dropped (whitespace
    ones separate tokens); other unicode (emoji, CJK) is kept. Repeated or merged
    filters all hold: the latest ``after``, the earliest ``before``; contradictions
    (empty date range, ``has:gps -has:gps``, a label both required and excluded) are
    errors.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import fields, replace
from datetime import date
from pathlib import Path
from typing import Literal

from photoorg.errors import UsageError
from photoorg.model.query import (
    LIST_FIELDS,
    Filters,
    Query,
    Term,
    Understood,
    checked_filters,
    shorten,
    unique,
)
from photoorg.services.place_phrases import understand_terms

MAX_QUERY_CHARS = 2000
MAX_TERMS = 32
MAX_WEIGHT = 100.0
IMAGE_SUFFIXES = frozenset(
    {".jpg", ".jpeg", ".png", ".heic", ".heif", ".tif", ".tiff", ".webp", ".bmp", ".gif"}
)
KNOWN_TYPES = ("jpeg", "png", "heic", "tiff", "webp", "bmp", "gif")
TYPE_ALIASES = {"jpg": "jpeg", "tif": "tiff", "heif": "heic"}
FILTER_KEYS = (
    "after",
    "before",
    "folder",
    "camera",
    "label",
    "type",
    "has",
    "album",
    "place",
    "event",
    "text",
    "person",
)
_NEGATABLE = ("label", "has", "text")

# re.ASCII everywhere: \d would accept digits such as '²' that int() then rejects.
_SEGMENT = re.compile(r'"([^"]*)"|([^ "]+)|( +)|(")')
_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?", re.ASCII)
_WEIGHT = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+", re.ASCII)
_NUMBERS_WITH_COLONS = re.compile(r"[0-9]+(?::[0-9]+)+(?:am|pm)?", re.ASCII | re.IGNORECASE)
_WORD_KEY = re.compile(r"-?[A-Za-z][A-Za-z0-9_-]*", re.ASCII)
_NUMBER_KEY = re.compile(r"[+-]?[0-9.]", re.ASCII)
_DRIVE_PATH = re.compile(r"[A-Za-z]:[\\/]", re.ASCII)

# A token is a list of (text, quoted) parts: `folder:"My Trips"` is two parts, and only
# an unquoted first part (the "head") can hold an operator, sign, weight, key or prefix.
Token = list[tuple[str, bool]]


def parse_date_bound(text: str, *, upper: bool) -> date:
    """The first day of YYYY, YYYY-MM or YYYY-MM-DD.

    That one day serves both bounds (``after`` inclusive, ``before`` exclusive), so
    ``upper`` does not change the result; it is kept so callers say which bound they mean.
    """
    found = _date_start(text.strip())
    if found is None:
        raise UsageError(f"bad date '{text}' (use YYYY, YYYY-MM or YYYY-MM-DD)")
    return found


def parse_query(
    text: str,
    *,
    cwd: Path | None = None,
    today: date | None = None,
    is_place: Callable[[str], bool] | None = None,
) -> Query:
    """Parse one query; every malformed input raises UsageError with a message for the user.

    ``today`` anchors relative dates ("last summer"); ``is_place`` tells which words name
    a place in the library (without it, "in Italy" stays text).
    """
    if len(text) > MAX_QUERY_CHARS:
        raise UsageError(f"query is too long ({len(text)} characters, at most {MAX_QUERY_CHARS})")
    filters: dict[str, list] = {field.name: [] for field in fields(Filters)}
    understood: list[Understood] = []
    items: list[str | Token] = []  # operators and term tokens
    for token in _tokenize(_clean(text)):
        if len(token) == 1 and not token[0][1] and token[0][0] in ("+", "-"):
            items.append(token[0][0])
        elif _apply_filter(filters, token):
            key = _head(token).partition(":")[0].lower()
            value = _text(_after_colon(token)).strip()
            understood.append(Understood(key.removeprefix("-"), value, _text(token)))
        else:
            items.append(token)
    groups = _group(items)
    if len(groups) > MAX_TERMS:
        raise UsageError(f"too many terms ({len(groups)}, at most {MAX_TERMS})")
    terms = tuple(_term(sign, tokens, cwd) for sign, tokens in groups)
    literal = [any(quoted for token in tokens for _, quoted in token) for _, tokens in groups]
    terms, dates, places, found = understand_terms(
        terms, literal, today or date.today(), is_place or (lambda _name: False)
    )
    built = _build_filters(filters)
    built = replace(built, dates=built.dates + dates, places=unique(built.places + places))
    return Query(terms, checked_filters(built), tuple(understood) + found)


def rename_label(text: str, old: str, new: str) -> str:
    """``text`` with its ``label:old`` and ``-label:old`` filters naming ``new`` instead.

    Smart albums and saved searches keep their query as text: renaming a label must
    carry them along, or they silently match nothing. Other tokens are kept as written
    (runs of spaces become one).
    """
    if '"' in new:
        raise UsageError(f"a label name cannot hold a double quote: {new!r}")
    out, changed = [], False
    for token in _tokenize(_clean(text)):
        key, colon, _ = _head(token).partition(":")
        is_label = colon and key.lower().removeprefix("-") == "label"
        if is_label and _text(_after_colon(token)).strip().casefold() == old.casefold():
            value = f'"{new}"' if _needs_quotes(new) else new
            out.append(f"{key}:{value}")
            changed = True
        else:
            out.append("".join(f'"{part}"' if quoted else part for part, quoted in token))
    return " ".join(out) if changed else text


def _needs_quotes(value: str) -> bool:
    return not value or any(ch.isspace() or ch in '"+-:' for ch in value)


# --- tokens -------------------------------------------------------------------------


def _clean(text: str) -> str:
    # Any whitespace separates tokens; other control characters and lone surrogates
    # go (they cannot be typed on purpose and break paths and the tokenizer downstream).
    return "".join(
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cs")
    )


def _tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    current: Token = []
    for match in _SEGMENT.finditer(text):
        quoted, bare, space, stray = match.groups()
        if stray is not None:
            raise UsageError(f"unclosed quote: {shorten(text[match.start() :])}")
        if space is not None:
            tokens.append(current)
            current = []
        elif quoted:
            current.append((quoted, True))
        elif bare:
            current.append((bare, False))
    tokens.append(current)
    return [t for t in tokens if t]  # `""` alone quotes nothing


def _head(token: Token) -> str:
    return "" if token[0][1] else token[0][0]


def _text(token: Token) -> str:
    return "".join(part for part, _ in token)


def _after_colon(token: Token) -> Token:
    """The token without its head's `key:`; empty parts dropped."""
    rest = [(token[0][0].split(":", 1)[1], False), *token[1:]]
    return [part for part in rest if part[0]]


def _classify(head: str) -> Literal["text", "weight", "img", "photo", "filter"]:
    key, colon, rest = head.partition(":")
    if not colon or _NUMBERS_WITH_COLONS.fullmatch(head) or rest.startswith("//"):
        return "text"
    if _DRIVE_PATH.match(head):
        return "text"
    if key.lower().removeprefix("-") in FILTER_KEYS:
        return "filter"
    if key.lower() in ("img", "photo"):
        return "img" if key.lower() == "img" else "photo"
    if _NUMBER_KEY.match(key):
        return "weight"
    if _WORD_KEY.fullmatch(key):
        raise UsageError(
            f"unknown filter '{shorten(key)}:' (filters: {', '.join(FILTER_KEYS)}; "
            'a weight is a number, as in 2:sunset; quote text with a colon: "a:b")'
        )
    return "text"


# --- filters ------------------------------------------------------------------------


def _apply_filter(acc: dict[str, list], token: Token) -> bool:
    """Record the token if it is a filter; False if it is not one."""
    head = _head(token)
    key, colon, _ = head.partition(":")
    negated, name = key.startswith("-"), key.lower().removeprefix("-")
    if not colon or name not in FILTER_KEYS:
        return False
    raw = shorten(_text(token), 60)  # for messages
    value = _text(_after_colon(token)).strip()
    if not value:
        raise UsageError(f"filter '{key}:' needs a value, as in {name}:...")
    if negated and name not in _NEGATABLE:
        raise UsageError(f"only label:, has: and text: can be negated, not '{raw}'")
    if name in ("after", "before"):
        found = _date_start(value)
        if found is None:
            raise UsageError(f"bad date '{raw}' (use YYYY, YYYY-MM or YYYY-MM-DD)")
        acc[name].append(found)
    elif name == "type":
        kind = value.lower().lstrip(".")
        kind = TYPE_ALIASES.get(kind, kind)
        if kind not in KNOWN_TYPES:
            raise UsageError(f"unknown type '{shorten(value)}' (types: {', '.join(KNOWN_TYPES)})")
        acc["types"].append(kind)
    elif name == "event":
        if not value.isascii() or not value.isdigit() or int(value) >= 2**63:
            raise UsageError(f"event: takes an event id (a number), not '{raw}'")
        acc["events"].append(int(value))
    elif name == "has":
        if value.lower() != "gps":
            raise UsageError(f"'{raw}': has: knows only gps")
        acc["has_gps"].append(not negated)
    elif name == "text":
        # Matching ignores case and whitespace (store.photo_text.squash): keep it as typed.
        acc["exclude_texts" if negated else "texts"].append(value)
    else:
        field = "people" if name == "person" else name + "s"
        acc["exclude_labels" if negated else field].append(value)
    return True


def _build_filters(acc: dict[str, list]) -> Filters:
    gps = set(acc["has_gps"])
    if len(gps) > 1:
        raise UsageError("has:gps and -has:gps contradict each other")
    return Filters(
        after=max(acc["after"], default=None),  # several bounds: all must hold
        before=min(acc["before"], default=None),
        has_gps=gps.pop() if gps else None,
        **{name: unique(tuple(acc[name])) for name in LIST_FIELDS},
    )


def _date_start(text: str) -> date | None:
    match = _DATE.fullmatch(text)
    if match is None:
        return None
    year, month, day = (int(g) if g else 1 for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:  # month 13, day 40, year 0
        return None


# --- terms --------------------------------------------------------------------------


def _group(items: list[str | Token]) -> list[tuple[str, list[Token]]]:
    """Split at operators: [(sign, tokens)]; sign '' for a first term with no operator."""
    groups: list[tuple[str, list[Token]]] = []
    pending: str | None = None
    for item in items:
        if isinstance(item, str):
            if pending is not None:
                raise UsageError(f"two operators in a row: '{pending} {item}'")
            pending = item
        elif pending is not None or not groups:
            groups.append((pending or "", [item]))
            pending = None
        else:
            groups[-1][1].append(item)
    if pending is not None:
        raise UsageError(f"'{pending}' at the end of the query needs a term after it")
    if groups and groups[0][0] == "":
        # A sign glued to the first word (`-people`) is that term's operator.
        first = groups[0][1][0]
        head = _head(first)
        if head[:1] in ("+", "-"):
            sign, rest = head[0], [(head[1:], False), *first[1:]]
            rest = [part for part in rest if part[0]]
            groups[0] = (sign, ([rest] if rest else []) + groups[0][1][1:])
    return groups


def _term(sign: str, tokens: list[Token], cwd: Path | None) -> Term:
    shown = shorten(" ".join(_text(t) for t in tokens), 60)  # for messages
    weight = 1.0
    if tokens and _classify(_head(tokens[0])) == "weight":
        weight = _weight(_head(tokens[0]).split(":", 1)[0], shown)
        rest = _after_colon(tokens[0])
        tokens = ([rest] if rest else []) + tokens[1:]
    if not tokens:
        raise UsageError(f"'{sign}{shown}' needs a term after it")
    weight = -weight if sign == "-" else weight
    kind = _classify(_head(tokens[0]))
    if kind in ("img", "photo"):
        # The prefix takes the rest of the term as it is, so paths may hold spaces.
        value = " ".join(_text(t) for t in [_after_colon(tokens[0]), *tokens[1:]]).strip()
        if kind == "photo":
            if not value.isascii() or not value.isdigit() or int(value) >= 2**63:
                raise UsageError(f"photo: takes a catalog photo id (a number), not '{shown}'")
            return Term("photo", str(int(value)), weight)
        path = _existing_file(value, cwd) if value else None
        if path is None:
            raise UsageError(f"no such image file: {value or shown}")
        return Term("image", path, weight)
    for token in tokens:
        found = _classify(_head(token))
        if found == "text":
            continue
        if found == "filter":
            raise UsageError(f"a filter stands alone, with no sign or weight: '{shown}'")
        if found == "weight" and token is tokens[0]:
            raise UsageError(f"one weight per term: '{shown}'")
        where = "a weight" if found == "weight" else f"'{found}:'"
        raise UsageError(
            f"{where} must start a term of its own: '{shorten(_text(token))}' in '{shown}'"
        )
    value = " ".join(_text(t) for t in tokens)
    if Path(value).suffix.lower() in IMAGE_SUFFIXES:
        path = _existing_file(value, cwd)
        if path is not None:
            return Term("image", path, weight)
    return Term("text", value, weight)


def _weight(key: str, shown: str) -> float:
    if not _WEIGHT.fullmatch(key) or not 0 < float(key) <= MAX_WEIGHT:
        raise UsageError(
            f"weight must be a number above 0 and at most {MAX_WEIGHT:g}: '{shown}' "
            "(the sign comes from + or -)"
        )
    return float(key)


def _existing_file(text: str, cwd: Path | None) -> str | None:
    """The absolute path if `text` names an existing file, else None."""
    try:
        path = Path(text).expanduser()
        path = (cwd or Path.cwd()) / path
        return str(path.resolve()) if path.is_file() else None
    except (OSError, ValueError, RuntimeError):  # name too long, NUL, no home, loops
        return None
