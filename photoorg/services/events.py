"""Events: photos grouped by gaps in time and jumps in place, named by place and date.

Walking the photos in the order they were taken, a new event starts where

* more than ``EVENT_GAP`` (8 hours: a night) passes between two photos, or
* a photo lies more than ``PLACE_JUMP_KM`` (200 km) from the event's last known position
  (a flight between two cities the same day is two events).

Times are the camera's wall-clock times (EXIF local time; an offset, where stored, is
ignored), which is what "that afternoon" means to the person who was there.

Events update incrementally: a change (photos added or removed) can only alter the events
within ``EVENT_GAP`` of it, so only the time window around the changed photos, widened to
the events it touches, is grouped again. Each new group keeps the id of the old event it
shares most photos with, so ``event:ID`` stays the same event as photos arrive.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from photoorg.model.place import Place
from photoorg.store import events as store
from photoorg.store.places import places_of

if TYPE_CHECKING:
    from sqlite_utils import Database

EVENT_GAP = timedelta(hours=8)
PLACE_JUMP_KM = 200.0
MAIN_CITY_SHARE = 0.5  # a city names an event when at least this share of its photos is there
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclass(frozen=True)
class Moment:
    """A photo as events see it."""

    photo_id: int
    taken_at: datetime  # wall-clock time
    lat: float | None = None
    lon: float | None = None


def wall_time(iso: str) -> datetime:
    """The wall-clock time of a stored ``taken_at`` ("2008-10-22T16:28:39[+02:00]")."""
    return datetime.fromisoformat(iso[:19])


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def group_moments(moments: Sequence[Moment]) -> list[list[Moment]]:
    """Split photos into events (see the module doc); each event oldest first."""
    groups: list[list[Moment]] = []
    anchor: tuple[float, float] | None = None
    for moment in sorted(moments, key=lambda m: (m.taken_at, m.photo_id)):
        here = (
            (moment.lat, moment.lon) if moment.lat is not None and moment.lon is not None else None
        )
        new = not groups or moment.taken_at - groups[-1][-1].taken_at > EVENT_GAP
        if not new and here is not None and anchor is not None:
            new = distance_km(anchor, here) > PLACE_JUMP_KM
        if new:
            groups.append([])
            anchor = None
        groups[-1].append(moment)
        anchor = here or anchor
    return groups


def main_place(places: Sequence[Place | None]) -> Place | None:
    """The place an event is named after: its main city, else its region, else its country."""
    located = [p for p in places if p is not None]
    if not located:
        return None
    cities = Counter((p.city, p.region, p.country_code) for p in located if p.city)
    if cities:
        city, count = cities.most_common(1)[0]
        if count >= MAIN_CITY_SHARE * len(located):
            first = next(p for p in located if (p.city, p.region, p.country_code) == city)
            return replace(first, district=None)
    countries = Counter(p.country_code for p in located)
    code = countries.most_common(1)[0][0]
    in_country = [p for p in located if p.country_code == code]
    regions = {p.region for p in in_country}
    first = in_country[0]
    region = first.region if len(regions) == 1 else None
    return Place(
        None,
        region,
        first.country,
        code,
        None,
        first.region_zh if region else None,
        first.country_zh,
    )


def date_text(start: datetime, end: datetime, language: str = "en") -> str:
    """22 Oct 2008, 22–24 Oct 2008, 30 Oct – 2 Nov 2008; 2008年10月22日 … in Chinese."""
    a, b = start.date(), end.date()
    if language.startswith("zh"):
        first = f"{a.year}年{a.month}月{a.day}日"
        if a == b:
            return first
        if (a.year, a.month) == (b.year, b.month):
            return f"{first}–{b.day}日"
        return f"{first}–" + (
            f"{b.month}月{b.day}日" if a.year == b.year else f"{b.year}年{b.month}月{b.day}日"
        )
    last = f"{b.day} {_MONTHS[b.month - 1]} {b.year}"
    if a == b:
        return last
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day}–{last}"
    if a.year == b.year:
        return f"{a.day} {_MONTHS[a.month - 1]} – {last}"
    return f"{a.day} {_MONTHS[a.month - 1]} {a.year} – {last}"


def place_text(place: Place | None, language: str = "en") -> str:
    if place is None:
        return ""
    if language.startswith("zh"):
        country = place.country_zh or place.country
        return f"{country} {place.city or place.region_zh or place.region or ''}".strip()
    return ", ".join(part for part in (place.city or place.region, place.country) if part)


def title(place: Place | None, start: datetime, end: datetime, language: str = "en") -> str:
    """``Arezzo, Italy · 22 Oct 2008`` / ``意大利 Arezzo · 2008年10月22日``."""
    where = place_text(place, language)
    when = date_text(start, end, language)
    return f"{where} · {when}" if where else when


# -- keeping the catalog's events up to date -------------------------------------------


def _keep_ids(old: dict[int, set[int]], groups: list[list[Moment]]) -> list[int | None]:
    """For each group, the old event id it inherits (most shared photos first), or None."""
    owner = {photo: event for event, photos in old.items() for photo in photos}
    pairs = []
    for index, group in enumerate(groups):
        shared = Counter(owner[m.photo_id] for m in group if m.photo_id in owner)
        pairs += [(count, -event, index) for event, count in shared.items()]
    kept: list[int | None] = [None] * len(groups)
    taken: set[int] = set()
    for _, event, index in sorted(pairs, reverse=True):
        if kept[index] is None and -event not in taken:
            kept[index] = -event
            taken.add(-event)
    return kept


def _window(db: Database, changed: Sequence[str] | None) -> tuple[str | None, str | None]:
    """The span of time to group again: the changes +- EVENT_GAP, widened to whole events."""
    if changed is None:
        return None, None
    times = sorted(wall_time(t) for t in changed)
    lo = (times[0] - EVENT_GAP).isoformat()
    hi = (times[-1] + EVENT_GAP).isoformat()
    for event in store.events_touching(db, lo, hi):
        lo, hi = min(lo, event.start_at), max(hi, event.end_at)
    return lo, hi


def update_events(db: Database, changed: Sequence[str] | None = None) -> int:
    """Group again the photos around ``changed`` (their taken_at values; photos added or
    removed), or all photos when ``changed`` is None. Returns the number of events written.
    Run inside one write transaction."""
    if changed is not None and not changed:
        return 0
    lo, hi = _window(db, changed)
    old_events = (
        store.events_touching(db, lo, hi)
        if lo is not None and hi is not None
        else store.list_events(db)
    )
    old = store.members(db, [event.id for event in old_events])
    after = (wall_time(hi) + timedelta(seconds=1)).isoformat() if hi is not None else None
    rows = store.moments_between(db, lo, after)
    groups = group_moments([Moment(i, wall_time(t), lat, lon) for i, t, lat, lon in rows])
    places = places_of(db, [row[0] for row in rows])
    kept = _keep_ids(old, groups)
    store.delete_events(db, set(old) - {event for event in kept if event is not None})
    for event_id, group in zip(kept, groups, strict=True):
        place = main_place([places.get(m.photo_id) for m in group])
        start, end = group[0].taken_at, group[-1].taken_at
        row = {
            "start_at": start.isoformat(),
            "end_at": end.isoformat(),
            "name": title(place, start, end, "en"),
            "name_zh": title(place, start, end, "zh"),
            "place": place.as_json() if place else None,
            "cover_photo_id": group[len(group) // 2].photo_id,
        }
        store.save_event(db, event_id, row, [m.photo_id for m in group])
    return len(groups)


def refresh_events(db: Database) -> int:
    """Bring events up to date with the photos (new, removed, or never grouped)."""
    return update_events(db, store.pending_times(db))


def events_json(db: Database, language: str = "en") -> list[dict]:
    """What ``photoorg events --json`` prints: newest first."""
    found = []
    for event in store.list_events(db):
        found.append(
            {
                "id": event.id,
                "name": event.name_zh if language.startswith("zh") else event.name,
                "start": event.start_at,
                "end": event.end_at,
                "place": event.place,
                "photos": store.event_photo_paths(db, event.id),
            }
        )
    return found
