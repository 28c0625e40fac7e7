"""Dates in plain words, English and Chinese, as date ranges.

``find_dates("beach in summer 2019", today)`` -> ([2019-06-01 .. 2019-09-01), "beach").

A small grammar of our own rather than dateparser: dateparser returns points, not ranges
(the missing parts filled from today), knows no seasons, and its ``search_dates`` reads
"2019年5月" as year 7. What this grammar knows:

    point     a day     2008-10-22, 22 Oct 2008, Oct 22, 2008, 2019年5月1日
              a month   May 2008, 2008-05, 2019年5月, 2019年五月
              a year    2019 (1826-2199 only, so "1000 lanterns" stays text), 2019年
              a season  summer 2019, 2019 summer, 2019年夏天 / 夏季 / 夏
              relative  today, yesterday, this/last week|month|year|SEASON,
                        今天, 昨天, 本周, 上周, 这个月, 上个月, 今年, 去年, 前年,
                        去年夏天, 今年5月
    range     from A to B, between A and B, A - B, A to B, 从A到B, A至B (B inclusive)
    open      since A, after A, before A, A以来, A以后/之后, A以前/之前

A preposition right before a date ("in 2019", "on 22 Oct 2008", "在2019年") goes with it.
Seasons are meteorological (summer = June-August) and follow the hemisphere: each season
range carries the southern range too (``DateRange.southern``), and a photo's latitude picks
one. "last summer" is the latest summer already over; "去年夏天" is the summer of last year.
Every range is half-open: ``end`` is the first day after it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from photoorg.model.place import DateRange

FIRST_YEAR, LAST_YEAR = 1826, 2199  # the oldest photograph; anything later is not a year
OPEN_START, OPEN_END = date(1, 1, 1), date(9999, 12, 31)

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}  # first month
_SEASONS_ZH = {"春": "spring", "夏": "summer", "秋": "autumn", "冬": "winter"}
_OPPOSITE = {"spring": "autumn", "summer": "winter", "autumn": "spring", "winter": "summer"}
_ZH_NUMBERS = {ch: i for i, ch in enumerate("一二三四五六七八九十", start=1)}
_ZH_NUMBERS.update({"十一": 11, "十二": 12})

_MONTH = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_SEASON = "(?:" + "|".join(_SEASONS) + ")"
_SEASON_ZH = "[春夏秋冬](?:天|季)?"
_YEAR = r"\d{4}"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_NUM_MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]|[一二三四五六七八九十])"
_YEAR_ZH = "(?:今年|去年|前年)"

Resolver = Callable[[re.Match, date], DateRange | None]
_POINTS: list[tuple[str, Resolver]] = []


def _point(pattern: str) -> Callable[[Resolver], Resolver]:
    def register(resolve: Resolver) -> Resolver:
        _POINTS.append((pattern, resolve))
        return resolve

    return register


def _span(start: date, end: date) -> DateRange | None:
    return DateRange(start, end) if start < end else None


def _month_range(year: int, month: int) -> DateRange:
    end = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return DateRange(date(year, month, 1), end)


def _day_range(year: int, month: int, day: int) -> DateRange | None:
    try:
        start = date(year, month, day)
    except ValueError:  # 2019-02-30
        return None
    return DateRange(start, start + timedelta(days=1))


def season_range(season: str, year: int) -> DateRange:
    """The season starting in ``year``, with its southern-hemisphere twin."""

    def months(name: str) -> tuple[date, date]:
        first = _SEASONS[name]
        end_year, end_month = (year + 1, 3) if first == 12 else (year, first + 3)
        return date(year, first, 1), date(end_year, end_month, 1)

    south = DateRange(*months(_OPPOSITE[season]))
    return DateRange(*months(season), southern=south)


def _year_of(text: str) -> int | None:
    year = int(text)
    return year if FIRST_YEAR <= year <= LAST_YEAR else None


def _month_number(text: str) -> int:
    return _ZH_NUMBERS[text] if text in _ZH_NUMBERS else int(text)


def _relative_year(word: str, today: date) -> int:
    return today.year - {"今年": 0, "去年": 1, "前年": 2}[word]


# --- points, most specific first (the first pattern that matches at a place wins) -----


@_point(rf"(?P<y>{_YEAR})[-/.](?P<m>{_NUM_MONTH})[-/.](?P<d>\d{{1,2}})")
@_point(rf"(?P<y>{_YEAR})年(?P<m>{_NUM_MONTH})月(?P<d>\d{{1,2}})[日号]")
def _iso_day(m: re.Match, today: date) -> DateRange | None:
    year = _year_of(m["y"])
    return _day_range(year, _month_number(m["m"]), int(m["d"])) if year else None


@_point(rf"(?P<d>{_DAY})\s+(?:of\s+)?(?P<mn>{_MONTH}),?\s+(?P<y>{_YEAR})")
@_point(rf"(?P<mn>{_MONTH})\s+(?P<d>{_DAY}),?\s+(?P<y>{_YEAR})")
def _named_day(m: re.Match, today: date) -> DateRange | None:
    year = _year_of(m["y"])
    day = int(re.match(r"\d+", m["d"]).group())
    return _day_range(year, _MONTHS[m["mn"].lower().rstrip(".")], day) if year else None


@_point(rf"(?P<y>{_YEAR})年(?P<m>{_NUM_MONTH})月份?")
@_point(rf"(?P<y>{_YEAR})[-/](?P<m>1[0-2]|0[1-9])")
def _numbered_month(m: re.Match, today: date) -> DateRange | None:
    year = _year_of(m["y"])
    return _month_range(year, _month_number(m["m"])) if year else None


@_point(rf"(?P<mn>{_MONTH}),?\s+(?:of\s+)?(?P<y>{_YEAR})")
def _named_month(m: re.Match, today: date) -> DateRange | None:
    year = _year_of(m["y"])
    return _month_range(year, _MONTHS[m["mn"].lower().rstrip(".")]) if year else None


@_point(rf"(?P<s>{_SEASON})\s+(?:of\s+)?(?P<y>{_YEAR})")
@_point(rf"(?P<y>{_YEAR})\s+(?P<s>{_SEASON})")
def _season_of_year(m: re.Match, today: date) -> DateRange | None:
    year = _year_of(m["y"])
    return season_range(_canonical_season(m["s"]), year) if year else None


@_point(rf"(?P<y>{_YEAR})年(?:的)?(?P<s>{_SEASON_ZH})")
def _season_of_year_zh(m: re.Match, today: date) -> DateRange | None:
    year = _year_of(m["y"])
    return season_range(_SEASONS_ZH[m["s"][0]], year) if year else None


@_point(rf"(?P<r>{_YEAR_ZH})(?:的)?(?P<s>{_SEASON_ZH})")
def _relative_season_zh(m: re.Match, today: date) -> DateRange | None:
    return season_range(_SEASONS_ZH[m["s"][0]], _relative_year(m["r"], today))


@_point(rf"(?P<r>{_YEAR_ZH})(?P<m>{_NUM_MONTH})月份?")
def _relative_month_zh(m: re.Match, today: date) -> DateRange | None:
    return _month_range(_relative_year(m["r"], today), _month_number(m["m"]))


@_point(rf"(?P<y>{_YEAR})年?")
def _year(m: re.Match, today: date) -> DateRange | None:
    year = _year_of(m["y"])
    return DateRange(date(year, 1, 1), date(year + 1, 1, 1)) if year else None


@_point(rf"(?P<w>this|last|past|previous)\s+(?P<s>{_SEASON})")
def _relative_season(m: re.Match, today: date) -> DateRange:
    season = _canonical_season(m["s"])
    if m["w"].lower() == "this":
        # In January, "this winter" is the one that began last December.
        year = today.year - 1 if season == "winter" and today.month < 3 else today.year
        return season_range(season, year)
    year = today.year
    while season_range(season, year).end > today:  # the latest one already over
        year -= 1
    return season_range(season, year)


@_point(r"(?P<w>this|last|past|previous)\s+(?P<u>week|month|year)")
@_point(
    r"(?P<zh>今天|今日|昨天|昨日|前天|本周|这周|这个星期|上周|上个星期|本月|这个月|上个月|上月)"
)
@_point(r"(?P<zh>今年|去年|前年)")
@_point(r"(?P<w>today|yesterday)")
def _relative(m: re.Match, today: date) -> DateRange | None:
    word = (m.groupdict().get("zh") or f"{m['w']} {m.groupdict().get('u') or ''}").strip()
    word = word.lower().replace("past ", "last ").replace("previous ", "last ")
    unit = {
        "today": ("day", 0), "今天": ("day", 0), "今日": ("day", 0),
        "yesterday": ("day", 1), "昨天": ("day", 1), "昨日": ("day", 1), "前天": ("day", 2),
        "this week": ("week", 0), "本周": ("week", 0), "这周": ("week", 0),
        "这个星期": ("week", 0), "last week": ("week", 1), "上周": ("week", 1),
        "上个星期": ("week", 1), "this month": ("month", 0), "本月": ("month", 0),
        "这个月": ("month", 0), "last month": ("month", 1), "上个月": ("month", 1),
        "上月": ("month", 1), "this year": ("year", 0), "今年": ("year", 0),
        "last year": ("year", 1), "去年": ("year", 1), "前年": ("year", 2),
    }  # fmt: skip
    kind, back = unit[word]
    if kind == "day":
        start = today - timedelta(days=back)
        return DateRange(start, start + timedelta(days=1))
    if kind == "week":  # weeks start on Monday (ISO 8601)
        start = today - timedelta(days=today.weekday() + 7 * back)
        return DateRange(start, start + timedelta(days=7))
    if kind == "month":
        months = today.year * 12 + today.month - 1 - back
        return _month_range(months // 12, months % 12 + 1)
    return DateRange(date(today.year - back, 1, 1), date(today.year - back + 1, 1, 1))


def _canonical_season(word: str) -> str:
    word = word.lower()
    return "autumn" if word == "fall" else word


# --- the whole grammar ----------------------------------------------------------------

_NAMES = re.compile(r"\(\?P<\w+>")
_POINT = "(?:" + "|".join(_NAMES.sub("(?:", pattern) for pattern, _ in _POINTS) + ")"
_COMPILED = [(re.compile(pattern, re.IGNORECASE), resolve) for pattern, resolve in _POINTS]
# ASCII lookarounds keep "12019" or "may2019x" from holding a date, but let a date touch
# Chinese text ("2019年5月的照片").
_EDGE_L, _EDGE_R = r"(?<![A-Za-z0-9])(?<![0-9][-/.])", r"(?![A-Za-z0-9])(?![-/.][0-9])"
_LEAD = r"(?:(?:(?:taken|shot)\s+)?(?:in|on|from|during|of|at)\s+|在)?"
_EXPRESSIONS = re.compile(
    rf"{_EDGE_L}(?:"
    rf"(?:from|between)\s+(?P<a>{_POINT})\s+(?:to|until|till|through|and|-|–)\s+(?P<b>{_POINT})"
    rf"|从?(?P<c>{_POINT})\s*(?:到|至|-|–|~|to)\s*(?P<d>{_POINT})"
    rf"|(?P<open>since|after|before)\s+(?P<e>{_POINT})"
    rf"|{_LEAD}(?P<f>{_POINT})(?P<zh_open>以来|以后|之后|以前|之前)?"
    rf"){_EDGE_R}",
    re.IGNORECASE,
)


def resolve_point(text: str, today: date) -> DateRange | None:
    """The range one point expression names ("May 2008"), or None."""
    for pattern, resolve in _COMPILED:
        match = pattern.fullmatch(text.strip())
        if match:
            return resolve(match, today)
    return None


def _range_of(match: re.Match, today: date) -> DateRange | None:
    text = match.group(0).strip()
    if match["a"] or match["c"]:
        first = resolve_point(match["a"] or match["c"], today)
        last = resolve_point(match["b"] or match["d"], today)
        if first is None or last is None:
            return None
        southern = None
        if first.southern or last.southern:
            southern = _span(first.for_latitude(-1).start, last.for_latitude(-1).end)
        found = _span(first.start, last.end)
        return DateRange(found.start, found.end, southern, text) if found else None
    point = resolve_point(match["e"] or match["f"], today)
    if point is None:
        return None
    bound = (match["open"] or match["zh_open"] or "").lower()
    if not bound:
        return DateRange(point.start, point.end, point.southern, text)
    since = bound in ("since", "以来")
    if bound in ("before", "以前", "之前"):
        return _span(OPEN_START, point.start)
    if since:
        return _span(point.start, today + timedelta(days=1))
    return _span(point.end, OPEN_END)


def find_dates(text: str, today: date) -> tuple[tuple[DateRange, ...], str]:
    """Every date expression in ``text`` as a range, and the text without them.

    Several expressions are several filters that must all hold ("2019 ... May 2019").
    Words that only look like dates (a year out of range, 2019-13) stay in the text.
    """
    ranges: list[DateRange] = []
    kept: list[str] = []
    position = 0
    for match in _EXPRESSIONS.finditer(text):
        try:
            found = _range_of(match, today)
        except (ValueError, OverflowError):  # "last year" in year 1: no such range
            found = None
        if found is None:
            continue
        text_of = found.text or match[0].strip()
        ranges.append(DateRange(found.start, found.end, found.southern, text_of))
        kept.append(text[position : match.start()])
        position = match.end()
    kept.append(text[position:])
    return tuple(ranges), " ".join(" ".join(kept).split())
