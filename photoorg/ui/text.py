"""Showing user text safely: file names, tags and prompts are never rich text.

Qt guesses: a QLabel or a tooltip whose text starts like HTML is rendered as HTML, so a
file called ``<img src=...>.jpg`` would be drawn as an image. Labels get
``Qt.TextFormat.PlainText``; tooltips, which have no such switch, get escaped text
wrapped in a paragraph so that Qt treats them as (harmless) rich text.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget


def plain_label(text: str = "", parent: QWidget | None = None, *, object_name: str = "") -> QLabel:
    """A QLabel that shows ``text`` literally, whatever it contains."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    if object_name:
        label.setObjectName(object_name)
    return label


def tooltip(*lines: str) -> str:
    """A tooltip showing ``lines`` literally (escaped; the wrapper makes Qt not guess)."""
    body = "<br>".join(html.escape(line) for line in lines)
    return f"<p style='white-space:pre'>{body}</p>"


def literal(text: str) -> str:
    """``text`` for a widget that guesses rich text and has no PlainText switch (the
    static QMessageBox and QInputDialog helpers): escaped, so every character shows."""
    return "<p>" + html.escape(text).replace("\n", "<br>") + "</p>"


def human_size(size: int | float | None) -> str:
    if size is None:
        return ""
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} TB"


def human_duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def count_noun(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


def join_nonempty(parts: Iterable[str | None], sep: str = " · ") -> str:
    return sep.join(p for p in parts if p)
