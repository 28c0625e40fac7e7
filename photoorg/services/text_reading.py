"""Text in photos, for the CLI and the window: the reading setting, the stage, the results.

The setting lives in the catalog (``settings`` key ``text_reading``): ``off``, ``likely``
(the default: read the photos a cheap probe finds text in) or ``every``; the
``PHOTOORG_TEXT_READING`` environment variable sets it for catalogs that have none.
"""

from __future__ import annotations

import os
from functools import cached_property
from typing import TYPE_CHECKING, Any

from photoorg.errors import UsageError
from photoorg.ml import text_reader
from photoorg.ml.text_reader import LIKELY, OFF, POLICIES, TextReader
from photoorg.services.indexing.text_stage import read_text
from photoorg.services.jobs import CancelToken, Progress, no_progress
from photoorg.store import photo_text, settings

if TYPE_CHECKING:
    from photoorg.services.library import Library

SETTING = "text_reading"
ENV = "PHOTOORG_TEXT_READING"
DEFAULT = LIKELY


class TextReading:
    def __init__(self, library: Library) -> None:
        self.library = library

    @cached_property
    def reader(self) -> TextReader:
        return TextReader(threads=self.library.workers or 0)

    @property
    def policy(self) -> str:
        """Which photos indexing reads: off, likely or every."""
        stored = self.library.catalog.get_setting(SETTING)
        chosen = stored or os.environ.get(ENV) or DEFAULT
        return chosen if chosen in POLICIES else DEFAULT

    def set_policy(self, policy: str) -> None:
        check_policy(policy)
        with self.library.catalog.write() as db:
            settings.put(db, SETTING, policy)

    def read(
        self,
        policy: str | None = None,
        *,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
    ) -> dict[str, int]:
        """The text stage: read what ``policy`` (default: the setting) asks for."""
        policy = check_policy(policy) if policy else self.policy
        if policy == OFF:
            return {"read": 0, "with_text": 0, "skipped": 0, "errors": 0}
        if not text_reader.available():
            with self.library._notices_lock:
                self.library._notices.append(
                    "text in photos is not read: rapidocr-onnxruntime is not installed "
                    "(pip install rapidocr-onnxruntime==1.4.4; it needs Python < 3.13)"
                )
            return {"read": 0, "with_text": 0, "skipped": 0, "errors": 0}
        return read_text(
            self.library.catalog,
            self.reader,
            policy=policy,
            workers=self.library.workers,
            progress=progress,
            cancel=cancel,
        )

    def text_of(self, photo_id: int) -> dict[str, Any] | None:
        """What ``photoorg info`` shows: outcome and lines (text, box, confidence), or
        None when the text stage has not looked at the photo yet."""
        found = photo_text.text_of(self.library.catalog.read, photo_id)
        if found is None:
            return None
        return {
            "outcome": found.outcome,
            "text": found.text,
            "lines": [line.to_json() for line in found.lines],
        }


def check_policy(policy: str) -> str:
    if policy not in POLICIES:
        raise UsageError(f"unknown text reading setting {policy!r}: use {', '.join(POLICIES)}")
    return policy
