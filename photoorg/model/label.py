"""Labels: what a tag means, checked once here.

A label is a name, an optional parent (``animals`` for ``dog``: one level that search's
``label:animals`` also matches), prompts with ``{}`` standing for the name, negative
prompts, a threshold on the cosine scale of search scores (``None``: learned from the
library and the label's examples), an enabled flag (a disabled label is never tagged
automatically, but keeps the tags people gave it) and an optional exclusive group
(among a group's labels a photo gets at most one: CLIP's softmax decides).

Label sets are read from and written to TOML by ``services.tagging.label_sets``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from photoorg.errors import UsageError

DEFAULT_PROMPTS: tuple[str, ...] = ("a photo of a {}.",)
AUTO = "auto"
MAX_NAME = 100
MAX_PROMPT = 300
MAX_PROMPTS = 64
HIERARCHY_SEPARATOR = "|"  # lr:hierarchicalSubject's separator: never part of a name

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Label:
    """One label as the user defines it. ``threshold=None`` means learned (auto)."""

    name: str
    parent: str | None = None
    prompts: tuple[str, ...] = DEFAULT_PROMPTS
    negative_prompts: tuple[str, ...] = ()
    threshold: float | None = None
    enabled: bool = True
    exclusive_group: str | None = None

    def texts(self) -> list[str]:
        """The prompts with the name filled in (``str.replace``: braces elsewhere stay)."""
        return [p.replace("{}", self.name) for p in self.prompts]

    def negative_texts(self) -> list[str]:
        return [p.replace("{}", self.name) for p in self.negative_prompts]

    def checked(self) -> Label:
        """This label with whitespace trimmed, or a UsageError saying what is wrong."""
        name = check_name(self.name, "label name")
        parent = check_name(self.parent, "parent") if self.parent is not None else None
        if parent is not None and parent.casefold() == name.casefold():
            raise UsageError(f"label {name!r} cannot be its own parent")
        group = (
            check_name(self.exclusive_group, "exclusive group")
            if self.exclusive_group is not None
            else None
        )
        threshold = self.threshold
        if threshold is not None:
            if isinstance(threshold, bool) or not isinstance(threshold, int | float):
                raise UsageError(f"threshold of {name!r} must be a number or 'auto'")
            if not math.isfinite(threshold) or not -1.0 <= threshold <= 1.0:
                raise UsageError(
                    f"threshold of {name!r} is a cosine similarity from -1 to 1, not {threshold}"
                )
            threshold = float(threshold)
        return replace(
            self,
            name=name,
            parent=parent or None,
            prompts=_check_prompts(self.prompts, name, "prompt"),
            negative_prompts=_check_prompts(self.negative_prompts, name, "negative prompt"),
            threshold=threshold,
            enabled=bool(self.enabled),
            exclusive_group=group or None,
        )

    @property
    def hierarchy(self) -> str:
        """``parent|name`` as lr:hierarchicalSubject writes it (just the name without one)."""
        return f"{self.parent}{HIERARCHY_SEPARATOR}{self.name}" if self.parent else self.name


def check_name(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise UsageError(f"{what} must be text")
    text = value.strip()
    if not text:
        raise UsageError(f"{what} is empty")
    if len(text) > MAX_NAME:
        raise UsageError(f"{what} is longer than {MAX_NAME} characters: {text[:40]}…")
    if _CONTROL.search(text):
        raise UsageError(f"{what} {text!r} contains control characters")
    if HIERARCHY_SEPARATOR in text:
        # '|' separates levels in lr:hierarchicalSubject; a name holding one would come
        # back from a sidecar as two labels.
        raise UsageError(f"{what} {text!r} may not contain '|' (use a parent for hierarchy)")
    return text


def _check_prompts(prompts: Any, name: str, what: str) -> tuple[str, ...]:
    if isinstance(prompts, str) or not isinstance(prompts, Iterable):
        raise UsageError(f"{what}s of {name!r} must be a list of text")
    out: list[str] = []
    for prompt in prompts:
        if not isinstance(prompt, str) or not prompt.strip():
            raise UsageError(f"an empty {what} in label {name!r}")
        prompt = " ".join(prompt.split())  # newlines and tabs mean nothing to the tokenizer
        if len(prompt) > MAX_PROMPT:
            raise UsageError(f"a {what} of {name!r} is longer than {MAX_PROMPT} characters")
        out.append(prompt)
    if len(out) > MAX_PROMPTS:
        raise UsageError(f"label {name!r} has more than {MAX_PROMPTS} {what}s")
    return tuple(dict.fromkeys(out))
