"""Places and noise words in a plain query: "beach in Italy" -> place Italy, text "beach".

A phrase becomes a place filter only when the words after "in", "at", "from", "to" (or
after 在) name a place the library holds, so "a day in the park" and "reading" stay text.
The caller passes ``is_place`` (the library's place names, any case, English or Chinese);
the longest name wins ("in New York City" over "in New York").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from itertools import islice

from photoorg.model.place import DateRange
from photoorg.model.query import Term, Understood
from photoorg.services.dates import find_dates

MAX_PLACE_WORDS = 5
MAX_PLACE_CHARS_ZH = 12

_PREPOSITION = re.compile(r"(?<!\w)(?:in|at|from|to)\s+", re.IGNORECASE)
_WORD = re.compile(r"[^\s,;]+")
_ZH_PREPOSITION = "在"
_NOISE_EN = re.compile(
    r"^(?:(?:all|my|the|some)\s+)?(?:photos?|pictures?|pics|images?|shots|snapshots)"
    r"(?:\s+(?:of|from|taken(?:\s+(?:in|at|on))?|showing|with)\s+|$)"
    r"|(?:^|\s+)(?:photos?|pictures?|pics|images?|shots)$",
    re.IGNORECASE,
)
_NOISE_ZH = re.compile(r"(?:拍摄?的)?(?:照片|相片|图片|相册)$|^的|的$|^(?:拍摄于|拍于)")


def find_places(
    text: str, is_place: Callable[[str], bool]
) -> tuple[tuple[tuple[str, str], ...], str]:
    """(place name, the phrase it was in) for each place phrase, and the text without them."""
    places: list[tuple[str, str]] = []
    while True:
        found = _english_phrase(text, is_place) or _chinese_phrase(text, is_place)
        if found is None:
            return tuple(places), " ".join(text.split())
        place, start, end = found
        places.append((place, text[start:end].strip()))
        text = text[:start] + " " + text[end:]


def _english_phrase(text: str, is_place: Callable[[str], bool]) -> tuple[str, int, int] | None:
    for preposition in _PREPOSITION.finditer(text):
        words = list(islice(_WORD.finditer(text, preposition.end()), MAX_PLACE_WORDS))
        # Only words that follow each other: "in Italy, dogs" stops at the comma.
        run = [words[0]] if words and words[0].start() == preposition.end() else []
        for word in words[1:]:
            if not text[run[-1].end() : word.start()].isspace():
                break
            run.append(word)
        for count in range(len(run), 0, -1):
            name = text[run[0].start() : run[count - 1].end()]
            if is_place(name):
                return name, preposition.start(), run[count - 1].end()
    return None


def _chinese_phrase(text: str, is_place: Callable[[str], bool]) -> tuple[str, int, int] | None:
    start = text.find(_ZH_PREPOSITION)
    while start >= 0:
        after = start + len(_ZH_PREPOSITION)
        for end in range(min(len(text), after + MAX_PLACE_CHARS_ZH), after, -1):
            name = text[after:end].strip()
            if name and is_place(name):
                return name, start, end
        start = text.find(_ZH_PREPOSITION, after)
    return None


def strip_noise(text: str) -> str:
    """Without "photos of", "pictures from", "的照片" and the like; the description stays."""
    previous = None
    while previous != text:
        previous = text
        text = _NOISE_EN.sub(" ", text).strip()
        text = _NOISE_ZH.sub("", text).strip()
    return " ".join(text.split())


@dataclass(frozen=True)
class PlainQuery:
    """What plain words asked for: a description, date ranges (all hold), places (any)."""

    description: str
    dates: tuple[DateRange, ...] = ()
    places: tuple[tuple[str, str], ...] = ()  # (name, the words it came from)


def understand(text: str, today: date, is_place: Callable[[str], bool]) -> PlainQuery:
    """``"photos from 2008 in Italy"`` -> PlainQuery("", (2008,), (("Italy", "in Italy"),))."""
    dates, rest = find_dates(text, today)
    places, rest = find_places(rest, is_place)
    return PlainQuery(strip_noise(rest), dates, places)


def understand_terms(
    terms: Sequence[Term], literal: Sequence[bool], today: date, is_place: Callable[[str], bool]
) -> tuple[tuple[Term, ...], tuple[DateRange, ...], tuple[str, ...], tuple[Understood, ...]]:
    """Dates and places out of each plain-text term of a parsed query.

    Only positive text terms with no quoted part are read (quoting keeps words literal;
    "- people in 2019" subtracts a description). A term that was only dates, places and
    noise words is dropped; one with no date or place is left exactly as typed.
    Returns the terms, the date ranges, the place names and what each filter came from.
    """
    kept: list[Term] = []
    dates: list[DateRange] = []
    places: list[str] = []
    understood: list[Understood] = []
    for term, is_literal in zip(terms, literal, strict=True):
        if term.kind != "text" or term.weight <= 0 or is_literal:
            kept.append(term)
            continue
        found = understand(term.value, today, is_place)
        if not found.dates and not found.places:
            kept.append(term)
            continue
        dates += found.dates
        places += [name for name, _ in found.places]
        understood += [Understood("date", d.text, d.text) for d in found.dates]
        understood += [Understood("place", name, words) for name, words in found.places]
        if found.description:
            kept.append(replace(term, value=found.description))
    return tuple(kept), tuple(dates), tuple(places), tuple(understood)
