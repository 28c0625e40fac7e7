"""A parsed search query: its terms and its filters, as plain values.

The query language that produces them (``dog + 2:beach after:2019 label:cat``) is parsed
by ``services.query_parser``; the filters are turned into SQL by ``store.filters``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from photoorg.errors import UsageError
from photoorg.model.place import DateRange

LIST_FIELDS = (
    "folders",
    "cameras",
    "labels",
    "exclude_labels",
    "types",
    "albums",
    "dates",
    "places",
    "events",
    "photo_ids",
    "texts",
    "exclude_texts",
    "people",
)


@dataclass(frozen=True)
class Term:
    kind: Literal["text", "image", "photo"]  # photo = catalog id
    value: str  # text, absolute image path, or the id as str
    weight: float  # signed: negative for '-' terms


@dataclass(frozen=True)
class Filters:
    after: date | None = None  # inclusive
    before: date | None = None  # exclusive
    folders: tuple[str, ...] = ()  # any of
    cameras: tuple[str, ...] = ()  # any of (substring of make/model)
    labels: tuple[str, ...] = ()  # all of
    exclude_labels: tuple[str, ...] = ()  # none of
    types: tuple[str, ...] = ()  # any of, normalised names
    has_gps: bool | None = None
    albums: tuple[str, ...] = ()  # any of
    dates: tuple[DateRange, ...] = ()  # all of ("summer 2019": per hemisphere)
    places: tuple[str, ...] = ()  # any of (a city, region or country name, any case)
    events: tuple[int, ...] = ()  # any of
    photo_ids: tuple[int, ...] = ()  # any of (the photos of a map cluster)
    texts: tuple[str, ...] = ()  # all of: words or phrases in the photo's text
    exclude_texts: tuple[str, ...] = ()  # none of
    people: tuple[str, ...] = ()  # all of: names of people on the photo

    def merged(self, other: Filters) -> Filters:
        """Both sets of conditions at once (CLI flags plus inline filters)."""
        return checked_filters(
            Filters(
                after=max((d for d in (self.after, other.after) if d), default=None),
                before=min((d for d in (self.before, other.before) if d), default=None),
                has_gps=_same_gps(self.has_gps, other.has_gps),
                **{
                    name: unique(getattr(self, name) + getattr(other, name)) for name in LIST_FIELDS
                },
            )
        )

    def is_empty(self) -> bool:
        return self == Filters()

    def describe(self) -> str:
        parts = [f"from {self.after}"] if self.after else []
        parts += [f"before {self.before}"] if self.before else []
        parts += [f"folder {f}" for f in self.folders]
        parts += [f"camera {c}" for c in self.cameras]
        parts += [f"label {x}" for x in self.labels]
        parts += [f"not label {x}" for x in self.exclude_labels]
        parts += ["type " + " or ".join(self.types)] if self.types else []
        parts += [] if self.has_gps is None else ["with GPS" if self.has_gps else "without GPS"]
        parts += [f"album {a}" for a in self.albums]
        parts += [f"taken {d.text or f'{d.start}..{d.end}'}" for d in self.dates]
        parts += ["in " + " or ".join(self.places)] if self.places else []
        parts += [f"event #{e}" for e in self.events]
        parts += [f"{len(self.photo_ids)} chosen photos"] if self.photo_ids else []
        parts += [f"text {t!r}" for t in self.texts]
        parts += [f"not text {t!r}" for t in self.exclude_texts]
        parts += [f"person {p}" for p in self.people]
        return ", ".join(parts)


@dataclass(frozen=True)
class Understood:
    """One filter a query became, and the words it came from: what a chip shows and
    what removing the chip takes out of the query."""

    kind: str  # date | place | event | label | folder | ...
    text: str  # "summer 2019", "Italy"
    words: str  # "in summer 2019", "in Italy", "place:Italy"


@dataclass(frozen=True)
class Query:
    terms: tuple[Term, ...]
    filters: Filters
    # Where each filter came from, for chips and `photoorg parse`; two queries with the
    # same terms and filters are the same query, whatever words they were typed with.
    understood: tuple[Understood, ...] = field(default=(), compare=False)

    def is_empty(self) -> bool:
        return not self.terms and self.filters.is_empty()

    def as_json(self) -> dict[str, Any]:
        """How the query was understood (``photoorg parse --json``): description terms
        with weights, example photos, each filter (dates as ISO ranges), and the words
        each filter came from."""
        filters: dict[str, Any] = {}
        for name, value in vars(self.filters).items():
            if name == "dates":
                value = [span.as_json() for span in value]
            elif isinstance(value, date):
                value = value.isoformat()
            if value not in (None, (), []):
                filters[name] = list(value) if isinstance(value, tuple) else value
        return {
            "description": [
                {"text": t.value, "weight": t.weight} for t in self.terms if t.kind == "text"
            ],
            "examples": [
                {"kind": t.kind, "value": t.value, "weight": t.weight}
                for t in self.terms
                if t.kind != "text"
            ],
            "filters": filters,
            "understood": [vars(u) for u in self.understood],
        }

    def describe(self) -> str:
        """A short line for the status bar, e.g. ``"dog" - 2×"people"; from 2019-01-01``."""
        words = []
        for i, term in enumerate(self.terms):
            shown = {
                "text": f'"{shorten(term.value)}"',
                "image": f"image {shorten(Path(term.value).name)}",
                "photo": f"photo #{term.value}",
            }[term.kind]
            if abs(term.weight) != 1:
                shown = f"{abs(term.weight):g}×{shown}"
            if term.weight < 0 or i > 0:
                shown = ("- " if term.weight < 0 else "+ ") + shown
            words.append(shown)
        filters = self.filters.describe()
        if not words:
            return f"all photos: {filters}" if filters else "all photos"
        return " ".join(words) + (f"; {filters}" if filters else "")


def checked_filters(filters: Filters) -> Filters:
    if filters.after and filters.before and filters.after >= filters.before:
        raise UsageError(
            f"no date is on/after {filters.after} and before {filters.before}: empty range"
        )
    both = {x.casefold() for x in filters.labels} & {x.casefold() for x in filters.exclude_labels}
    if both:
        raise UsageError(f"label '{sorted(both)[0]}' is both required and excluded")
    return filters


def _same_gps(a: bool | None, b: bool | None) -> bool | None:
    if a is not None and b is not None and a != b:
        raise UsageError("has:gps and -has:gps contradict each other")
    return a if a is not None else b


def unique(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
