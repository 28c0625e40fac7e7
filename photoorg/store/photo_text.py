"""SQL for the text read in photos: the lines per photo, and the index that ``text:`` searches.

What the matching must cope with, and how:

- The recogniser often drops the spaces between Latin words ("CAFE ROMA" comes back as
  "CAFEROMA"), and a user types either. So every line is stored a second time
  *squashed* (Unicode NFKC, case-folded, all whitespace removed), queries are squashed
  the same way, and a query matches where its squashed form is a substring of a
  squashed line: "cafe roma", "CafeRoma" and "roma" all find "CAFEROMA".
- Chinese has no spaces between words, so a word index (FTS5 ``unicode61``) would see a
  whole sign as one token. The ``trigram`` tokenizer indexes every three characters and
  answers substring queries of three or more characters from the index; it cannot
  answer shorter ones, and a two-character word ("出口", "咖啡") is common in Chinese. Those
  go to ``instr()`` over the squashed column: a scan, but of short strings, and only of
  the photos that hold any text at all (the rows of photos without text are empty).
- Lines are joined with a newline in the squashed column, so a query never matches
  across the end of one line and the start of the next (two unrelated signs in one
  photo must not spell a word together).

Each photo gets one row once the text stage has looked at it, also when it held no text
or was judged unlikely to hold any (``outcome = 'skipped'``), so the stage resumes where
it stopped and a change of the reading setting knows what is left to read.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence

from sqlite_utils import Database

from photoorg.model.text import PhotoText, TextLine
from photoorg.store.photos import now_iso

TRIGRAM = 3  # the shortest query the trigram index can answer
_WHITESPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    """What matching compares: NFKC (full-width letters become plain ones), case-folded,
    without whitespace. ``squash("Cafe Roma") == squash("CAFEROMA") == "caferoma"``."""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", text).casefold())


def _squash_lines(lines: Sequence[TextLine]) -> str:
    return "\n".join(s for s in (squash(line.text) for line in lines) if s)


def save_read(db: Database, photo_id: int, reader: str, lines: Sequence[TextLine]) -> None:
    """Record what was read in a photo (an empty ``lines`` records "no text")."""
    _save(db, photo_id, reader, "read", lines)


def save_skipped(db: Database, photo_id: int, reader: str) -> None:
    """Record that a photo was judged unlikely to hold text and was not read."""
    _save(db, photo_id, reader, "skipped", ())


def _save(
    db: Database, photo_id: int, reader: str, outcome: str, lines: Sequence[TextLine]
) -> None:
    db.execute(
        "INSERT INTO photo_text(photo_id, reader, outcome, lines, text, squashed, read_at) "
        "SELECT ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM photos WHERE id = ?) "
        "ON CONFLICT(photo_id) DO UPDATE SET reader = excluded.reader, "
        "outcome = excluded.outcome, lines = excluded.lines, text = excluded.text, "
        "squashed = excluded.squashed, read_at = excluded.read_at",
        [
            photo_id,
            reader,
            outcome,
            json.dumps([line.to_json() for line in lines], ensure_ascii=False),
            "\n".join(line.text for line in lines),
            _squash_lines(lines),
            now_iso(),
            photo_id,
        ],
    )


def text_of(db: Database, photo_id: int) -> PhotoText | None:
    """The stored text of a photo, or None when the text stage has not looked at it."""
    row = db.execute(
        "SELECT reader, outcome, lines FROM photo_text WHERE photo_id = ?", [photo_id]
    ).fetchone()
    if row is None:
        return None
    lines = tuple(TextLine.from_json(item) for item in json.loads(row[2]))
    return PhotoText(photo_id, row[0], row[1], lines)


def photos_with_text(db: Database, phrase: str) -> set[int]:
    """Ids of the photos whose text holds ``phrase``, ignoring case and whitespace.

    Raises ValueError for a phrase with nothing but whitespace (it would match all).
    """
    key = squash(phrase)
    if not key:
        raise ValueError("text: needs a word or a phrase to look for")
    if len(key) >= TRIGRAM:
        rows = db.execute(
            "SELECT rowid FROM photo_text_fts WHERE photo_text_fts MATCH ?",
            ['"' + key.replace('"', '""') + '"'],
        )
    else:  # under three characters the trigram index cannot answer: scan the text rows
        rows = db.execute(
            "SELECT photo_id FROM photo_text WHERE squashed != '' AND instr(squashed, ?) > 0",
            [key],
        )
    return {int(r[0]) for r in rows}


def text_clause(phrase: str, *, negated: bool = False) -> tuple[str, list[str]]:
    """``(sql, params)``: a condition on ``photos p`` that holds when the photo's text
    holds ``phrase`` (or, ``negated``, does not), for the search filters' WHERE clause.

    Raises ValueError for a phrase with nothing but whitespace.
    """
    key = squash(phrase)
    if not key:
        raise ValueError("text: needs a word or a phrase to look for")
    if len(key) >= TRIGRAM:
        sql = "p.id IN (SELECT rowid FROM photo_text_fts WHERE photo_text_fts MATCH ?)"
        params = ['"' + key.replace('"', '""') + '"']
    else:
        sql = (
            "EXISTS (SELECT 1 FROM photo_text x WHERE x.photo_id = p.id "
            "AND x.squashed != '' AND instr(x.squashed, ?) > 0)"
        )
        params = [key]
    return (f"NOT ({sql})" if negated else sql), params


def photos_with_any(db: Database, phrases: Iterable[str]) -> dict[str, set[int]]:
    """``photos_with_text`` for several phrases at once, keyed by phrase."""
    return {p: photos_with_text(db, p) for p in dict.fromkeys(phrases)}


def pending_photos(db: Database, reader: str, *, every: bool, limit: int) -> list[tuple[int, str]]:
    """(id, path) of photos the text stage still has to look at, oldest id first.

    Pending: never looked at, looked at by another reader, or (when ``every``) skipped
    earlier as unlikely to hold text. Offline photos wait until they are back.
    """
    skipped = "OR t.outcome = 'skipped'" if every else ""
    rows = db.execute(
        "SELECT p.id, p.path FROM photos p LEFT JOIN photo_text t ON t.photo_id = p.id "
        f"WHERE p.offline = 0 AND (t.photo_id IS NULL OR t.reader != ? {skipped}) "
        "ORDER BY p.id LIMIT ?",
        [reader, limit],
    )
    return [(int(r[0]), str(r[1])) for r in rows]


def count_pending(db: Database, reader: str, *, every: bool) -> int:
    skipped = "OR t.outcome = 'skipped'" if every else ""
    return int(
        db.execute(
            "SELECT count(*) FROM photos p LEFT JOIN photo_text t ON t.photo_id = p.id "
            f"WHERE p.offline = 0 AND (t.photo_id IS NULL OR t.reader != ? {skipped})",
            [reader],
        ).fetchone()[0]
    )
