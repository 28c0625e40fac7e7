"""Country and region names in English and simplified Chinese, from pycountry.

pycountry ships the iso-codes project's gettext catalogues: ISO 3166-1 country names and
ISO 3166-2 subdivision names in many languages, zh_CN among them (Italy -> 意大利,
Toscana -> 托斯卡纳). GeoNames names a region in English (Tuscany) where ISO 3166-2 uses
the local name (Toscana), so a region is matched in three steps, each tried only when the
one before finds nothing:

1. the names themselves, ignoring case, accents and words such as "Province"/"Sheng";
2. a vote of the region's own places: GeoNames lists each place's second-level division
   ("Province of Arezzo") and ISO 3166-2 lists those too (IT-AR Arezzo, parent IT-52
   Toscana), so the ISO region most of them belong to is the region;
3. a close spelling (difflib, ratio >= 0.85) among the country's top-level divisions.
A region none of these finds has no Chinese name (None), never a guessed one.
"""

from __future__ import annotations

import difflib
import gettext
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

import pycountry

_CLOSE_ENOUGH = 0.85
_MIN_VOTES = 2
# Words around a division's name that one source writes and the other does not.
_AFFIXES = re.compile(
    r"^(province|provincia|region|departement|department|prefecture|county|state|"
    r"district|municipality|city|canton|oblast|governorate)\s+(of|di|de|del|de la|du)\s+|"
    r"\s+(province|region|county|state|district|oblast|krai|kray|governorate|prefecture|"
    r"municipality|sheng|shi|zizhiqu|autonomous region|special administrative region|"
    r"department|canton|voivodeship|republic)$"
)
_lock = threading.Lock()


def normalized(name: str) -> str:
    """Lower case, no accents, no punctuation, no administrative affixes."""
    plain = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    plain = re.sub(r"\(.*?\)|\[.*?\]", " ", plain)
    plain = re.sub(r"[^\w]+", " ", plain).strip()
    for _ in range(2):  # "Provincia di Arezzo", "Xinjiang Uygur Zizhiqu"
        plain = _AFFIXES.sub("", plain).strip()
    return plain


@lru_cache(maxsize=2)
def _catalogue(domain: str, language: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, [language], fallback=True)


def _translated(domain: str, text: str, language: str) -> str | None:
    found = _catalogue(domain, language).gettext(text)
    return found if found != text else None


@lru_cache(maxsize=512)
def country_name(code: str, fallback: str = "") -> str:
    """The name people use (South Korea, not "Korea, Republic of")."""
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return fallback or code.upper()
    common = getattr(country, "common_name", None)
    if common:
        return common
    return country.name if "," not in country.name or not fallback else fallback


@lru_cache(maxsize=512)
def country_name_zh(code: str) -> str | None:
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return None
    common = getattr(country, "common_name", None)
    with _lock:  # gettext catalogues load lazily; keep two threads from racing to it
        return (common and _translated("iso3166-1", common, "zh_CN")) or _translated(
            "iso3166-1", country.name, "zh_CN"
        )


@lru_cache(maxsize=64)
def _divisions(code: str) -> tuple[dict[str, str], dict[str, str]]:
    """(normalized name -> top-level ISO code for every division, top-level code -> name)."""
    subdivisions = list(pycountry.subdivisions.get(country_code=code) or ())
    by_code = {s.code: s for s in subdivisions}

    def top(s) -> str:
        seen = set()
        while s.parent_code and s.parent_code in by_code and s.code not in seen:
            seen.add(s.code)
            s = by_code[s.parent_code]
        return s.code

    names: dict[str, str] = {}
    for s in subdivisions:
        names.setdefault(normalized(s.name), top(s))
    tops = {s.code: s.name for s in subdivisions if not s.parent_code}
    return names, tops


def region_iso_code(country_code: str, region: str, hints: Iterable[str] = ()) -> str | None:
    """The ISO 3166-2 top-level division a GeoNames region is, or None (see module doc)."""
    names, tops = _divisions(country_code.upper())
    if not names:
        return None
    key = normalized(region)
    if key in names and names[key] in tops:
        return names[key]
    votes = Counter(names[k] for k in map(normalized, hints) if k in names and names[k] in tops)
    if votes:
        # A clear majority only: Taiwan's places belong to a dozen ISO counties, and no
        # one county is the GeoNames region "Taiwan".
        code, count = votes.most_common(1)[0]
        if count * 2 > sum(votes.values()) and (count >= _MIN_VOTES or len(votes) == 1):
            return code
    top_names = {normalized(name): code for code, name in tops.items()}
    close = difflib.get_close_matches(key, list(top_names), n=1, cutoff=_CLOSE_ENOUGH)
    return top_names[close[0]] if close else None


def region_name_zh(country_code: str, region: str, hints: Iterable[str] = ()) -> str | None:
    code = region_iso_code(country_code, region, hints)
    if code is None:
        return None
    division = pycountry.subdivisions.get(code=code)
    if division is None:
        return None
    with _lock:
        return _translated("iso3166-2", division.name, "zh_CN")
