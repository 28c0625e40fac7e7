"""What a search or a label preview hands back: plain values, no I/O."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Hit:
    """One photo a search found, with its score (a cosine similarity) and date."""

    id: int
    path: str
    score: float
    taken_at: str

    def as_dict(self) -> dict[str, object]:
        return {"path": self.path, "score": round(self.score, 4), "taken_at": self.taken_at}


@dataclass(frozen=True)
class Preview:
    """What a (possibly unsaved) label would tag: how many photos, and the best ones.

    When no photo reaches the threshold, ``hits`` holds the closest photos instead and
    ``closest`` is true: an empty preview would leave the user nothing to teach the label
    with, and a strict threshold (or a model that scores this label low) is exactly when
    examples help most.
    """

    count: int
    hits: list[tuple[int, float]]
    closest: bool = False
