"""Scoring blocks of photos against every label at once: the inner loop of re-tagging.

One ``Classifiers`` holds the label vectors as one matrix (plus the columns that
negative prompts and exclusive groups need), so a block of photos costs one matrix
product. What it returns for a block is the (photo, label) pairs that the labels give,
with their cosine scores and, for exclusive groups, softmax probabilities.

Rules, in order:
1. a photo gets a label when its score reaches the label's threshold; a zero-shot
   label with an automatic threshold also needs evidence: its score must beat the
   photo's best score against the neutral prompts ("a photo.", "a picture.", ...: a
   few more columns of the product), so a photo that matches all text a little gets
   few tags, not dozens;
2. unless one of the label's negative prompts matches the photo better than the
   label's own prompts do (a veto: "a toy dog" against "a dog");
3. in an exclusive group only the best-scoring label may apply, and its probability is
   the softmax over the group with the model's logit scale (as CLIP classifies); a
   label the person rejected for that photo drops out of the contest, and a label they
   gave it settles the group for that photo;
4. pairs people decided on are never touched (the caller drops them).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Classifier:
    label_id: int
    vector: np.ndarray | None  # None: the label cannot tag (no prompts, no examples)
    threshold: float
    text: np.ndarray | None = None  # the prompt ensemble, for the negative-prompt veto
    negatives: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.float32))
    group: str | None = None
    evidence: bool = False  # holds only where it beats the neutral prompts (rule 1)


@dataclass(frozen=True)
class Block:
    """The pairs a block of photos gets: parallel arrays."""

    photo: np.ndarray  # int64 photo ids
    column: np.ndarray  # int64 index into Classifiers.label_ids
    score: np.ndarray  # float32 cosine
    probability: np.ndarray  # float32, NaN outside exclusive groups


class Classifiers:
    """The label matrix and the bookkeeping around it."""

    def __init__(
        self,
        classifiers: list[Classifier],
        dim: int,
        logit_scale: float,
        neutral: np.ndarray | None = None,  # rows: the neutral prompts (rule 1)
    ) -> None:
        self.label_ids = np.array([c.label_id for c in classifiers], np.int64)
        self.logit_scale = float(logit_scale)
        n = len(classifiers)
        columns: list[np.ndarray] = []
        thresholds = np.full(n, np.inf, np.float32)  # inf: never reached
        for i, c in enumerate(classifiers):
            columns.append(c.vector if c.vector is not None else np.zeros(dim, np.float32))
            if c.vector is not None:
                thresholds[i] = c.threshold
        # Negative-prompt vetoes: (label column, reference column, negative columns).
        self.vetoes: list[tuple[int, int, np.ndarray]] = []
        for i, c in enumerate(classifiers):
            if c.vector is None or not len(c.negatives):
                continue
            ref = len(columns)
            columns.append(c.text if c.text is not None else c.vector)
            negs = np.arange(len(columns), len(columns) + len(c.negatives))
            columns.extend(c.negatives)
            self.vetoes.append((i, ref, negs))
        # Rule 1's baseline: a few more columns, used only by labels that need evidence.
        self.evidence = np.array([c.evidence for c in classifiers], bool) & np.isfinite(thresholds)
        self.neutral: slice | None = None
        if neutral is not None and len(neutral) and self.evidence.any():
            self.neutral = slice(len(columns), len(columns) + len(neutral))
            columns.extend(neutral)
        groups: dict[str, list[int]] = {}
        for i, c in enumerate(classifiers):
            if c.group is not None and c.vector is not None:
                groups.setdefault(c.group, []).append(i)
        self.groups = [np.array(members, np.int64) for members in groups.values()]
        self.thresholds = thresholds
        if columns:
            # Zero columns up to a multiple of 8: BLAS ran 205 columns 10% slower than 208.
            columns.extend([np.zeros(dim, np.float32)] * (-len(columns) % 8))
        self.matrix = (
            np.ascontiguousarray(np.stack(columns).astype(np.float32))
            if columns
            else np.zeros((0, dim), np.float32)
        )
        self.active = bool(np.isfinite(thresholds).any())

    def __len__(self) -> int:
        return len(self.label_ids)

    def score(
        self,
        ids: np.ndarray,
        vectors: np.ndarray,
        decided: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
    ) -> Block:
        """The pairs for one block. ``decided``: (photo ids, columns, positive?) of
        people's decisions, needed only for exclusive groups (rule 3)."""
        n, labels = len(ids), len(self.label_ids)
        scores = vectors @ self.matrix.T
        base = scores[:, :labels]
        mask = base >= self.thresholds
        baseline = None if self.neutral is None else scores[:, self.neutral].max(axis=1)
        for column, ref, negs in self.vetoes:
            mask[:, column] &= scores[:, ref] > scores[:, negs].max(axis=1)
        probability = None
        if self.groups:
            probability = np.full((n, labels), np.nan, np.float32)
            rows, cols, positive = self._decisions_in_block(ids, decided)
            for members in self.groups:
                if baseline is not None:  # rule 1 first: the group's best guess must hold
                    mask[:, members] &= ~self.evidence[members] | (
                        base[:, members] > baseline[:, None]
                    )
                self._settle_group(members, base, mask, probability, rows, cols, positive)
        r, c = np.nonzero(mask)
        if baseline is not None:
            # Rule 1 on the few pairs over their threshold, not on the whole block.
            keep = ~self.evidence[c] | (base[r, c] > baseline[r])
            r, c = r[keep], c[keep]
        return Block(
            photo=ids[r],
            column=c.astype(np.int64),
            score=base[r, c].astype(np.float32),
            probability=(
                probability[r, c]
                if probability is not None
                else np.full(len(r), np.nan, np.float32)
            ),
        )

    @staticmethod
    def _decisions_in_block(
        ids: np.ndarray, decided: tuple[np.ndarray, np.ndarray, np.ndarray] | None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if decided is None or not len(decided[0]) or not len(ids):
            empty = np.zeros(0, np.int64)
            return empty, empty, np.zeros(0, bool)
        photo, column, positive = decided
        local = np.searchsorted(ids, photo).clip(0, len(ids) - 1)
        inside = ids[local] == photo
        return local[inside], column[inside], positive[inside]

    def _settle_group(
        self,
        members: np.ndarray,
        base: np.ndarray,
        mask: np.ndarray,
        probability: np.ndarray,
        rows: np.ndarray,
        cols: np.ndarray,
        positive: np.ndarray,
    ) -> None:
        sub = base[:, members].astype(np.float64)
        position = {int(m): k for k, m in enumerate(members)}
        in_group = np.isin(cols, members)
        rejected = in_group & ~positive
        if rejected.any():
            sub[rows[rejected], [position[int(c)] for c in cols[rejected]]] = -np.inf
        winner = np.argmax(sub, axis=1)
        logits = self.logit_scale * sub
        top = logits.max(axis=1, keepdims=True)
        with np.errstate(invalid="ignore"):
            exp = np.exp(logits - top)
            prob = exp / exp.sum(axis=1, keepdims=True)
        rows_all = np.arange(len(sub))
        allowed = mask[rows_all, members[winner]] & np.isfinite(sub[rows_all, winner])
        settled = rows[in_group & positive]
        allowed[settled] = False
        mask[:, members] = False
        chosen = rows_all[allowed]
        mask[chosen, members[winner[allowed]]] = True
        probability[chosen, members[winner[allowed]]] = prob[chosen, winner[allowed]]
