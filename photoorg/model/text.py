"""What the text stage found in a photo: plain values, shared by store, engines and views."""

from __future__ import annotations

from dataclasses import dataclass

Point = tuple[int, int]


@dataclass(frozen=True)
class TextLine:
    """One line of text found in a photo: what it says, where (four corners in pixels of
    the upright photo, clockwise from top left), and how sure the recogniser was (0..1)."""

    text: str
    box: tuple[Point, Point, Point, Point]
    confidence: float

    def to_json(self) -> dict[str, object]:
        return {
            "text": self.text,
            "box": [list(p) for p in self.box],
            "confidence": self.confidence,
        }

    @classmethod
    def from_json(cls, row: dict) -> TextLine:
        corners = tuple((int(x), int(y)) for x, y in row["box"])
        return cls(str(row["text"]), corners, float(row["confidence"]))  # type: ignore[arg-type]


@dataclass(frozen=True)
class PhotoText:
    photo_id: int
    reader: str
    outcome: str
    lines: tuple[TextLine, ...]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)
