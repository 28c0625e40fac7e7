"""Faces and people as plain values shared by every layer (no I/O here).

A face's box is in *upright pixel coordinates of the original*: the photo as shown after
its EXIF orientation, at its full stored size. That frame does not change when the photo
is decoded smaller for detection or thumbnails, and it is the frame the window draws in.
(MWG regions in XMP use the stored, not upright, frame: media/regions.py converts.)
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class FaceDecision(str, Enum):
    """What the user said about a face; everything but AUTO survives every regroup."""

    AUTO = "auto"  # grouped by PhotoOrg; a regroup may move it
    CONFIRMED = "confirmed"  # the user put it in its person: it anchors that person
    NOT_FACE = "not_face"  # a false detection: never grouped, never shown as a face
    IGNORED = "ignored"  # a real face the user does not want grouped (a stranger)


@dataclass(frozen=True)
class FaceBox:
    """A rectangle in upright pixels: left, top, width, height."""

    x: int
    y: int
    w: int
    h: int

    def iou(self, other: FaceBox) -> float:
        """Intersection over union: how far two boxes are the same face (0..1)."""
        left, top = max(self.x, other.x), max(self.y, other.y)
        right = min(self.x + self.w, other.x + other.w)
        bottom = min(self.y + self.h, other.y + other.h)
        inter = max(0, right - left) * max(0, bottom - top)
        union = self.w * self.h + other.w * other.h - inter
        return inter / union if union > 0 else 0.0

    def as_list(self) -> list[int]:
        return [self.x, self.y, self.w, self.h]


@dataclass(frozen=True)
class Face:
    """A stored face: where it is, whose it is, and what the user decided about it."""

    id: int
    photo_id: int
    box: FaceBox
    person_id: int | None
    decision: FaceDecision
    score: float | None  # detector confidence; None for a region imported from XMP


@dataclass(frozen=True)
class Person:
    """A group of faces; ``name`` is None until someone names it."""

    id: int
    name: str | None
    faces: int  # faces grouped into this person (decisions NOT_FACE/IGNORED excluded)
    photos: int
    cover_face_id: int | None  # the face whose thumbnail stands for the person

    @property
    def label(self) -> str:
        return self.name if self.name else f"Person {self.id}"


@dataclass(frozen=True)
class NamedRegion:
    """A face region someone named in another tool (digiKam, Lightroom), upright pixels."""

    name: str | None
    box: FaceBox
