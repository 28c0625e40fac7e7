"""Labels: what a tag means, checked once here, and the TOML file a person edits.

A label is a name, an optional parent (``animals`` for ``dog``: one level that search's
``label:animals`` also matches), prompts with ``{}`` standing for the name, negative
prompts, a threshold on the cosine scale of search scores (``None``: learned from the
library and the label's examples), an enabled flag (a disabled label is never tagged
automatically, but keeps the tags people gave it) and an optional exclusive group
(among a group's labels a photo gets at most one: CLIP's softmax decides).

The TOML layout is one ``[[label]]`` table per label, every field written out, so a
file exported, edited and imported again means exactly what it says.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

import tomli_w
import tomllib

from photoorg.errors import UsageError

DEFAULT_PROMPTS: tuple[str, ...] = ("a photo of a {}.",)
AUTO = "auto"
MAX_NAME = 100
MAX_PROMPT = 300
MAX_PROMPTS = 64
FORMAT_VERSION = 1
HIERARCHY_SEPARATOR = "|"  # lr:hierarchicalSubject's separator: never part of a name

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_FIELDS = (
    "name",
    "parent",
    "prompts",
    "negative_prompts",
    "threshold",
    "enabled",
    "exclusive_group",
)


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


# -- TOML ---------------------------------------------------------------------------


def to_toml(labels: Iterable[Label]) -> str:
    """Labels as TOML, every field spelled out (``threshold = "auto"`` when learned)."""
    tables = []
    for label in labels:
        table: dict[str, Any] = {"name": label.name}
        if label.parent is not None:
            table["parent"] = label.parent
        table["prompts"] = list(label.prompts)
        table["negative_prompts"] = list(label.negative_prompts)
        table["threshold"] = AUTO if label.threshold is None else label.threshold
        table["enabled"] = label.enabled
        if label.exclusive_group is not None:
            table["exclusive_group"] = label.exclusive_group
        tables.append(table)
    header = (
        "# PhotoOrg labels. Edit freely, then `photoorg labels import FILE`.\n"
        '# prompts: {} stands for the name. threshold: a cosine similarity (-1..1) or "auto".\n'
        "# exclusive_group: a photo gets at most one label of a group (softmax decides).\n\n"
    )
    return header + tomli_w.dumps({"version": FORMAT_VERSION, "label": tables})


def from_toml(text: str, source: str = "labels file") -> list[Label]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{source} is not valid TOML: {exc}") from exc
    version = data.get("version", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        raise UsageError(
            f"{source} has format version {version}; this PhotoOrg reads {FORMAT_VERSION}"
        )
    tables = data.get("label", [])
    if not isinstance(tables, list):
        raise UsageError(f"{source}: expected [[label]] tables")
    labels = [label_from_mapping(t, source) for t in tables]
    seen: set[str] = set()
    for label in labels:
        if label.name.casefold() in seen:
            raise UsageError(f"{source} defines label {label.name!r} twice")
        seen.add(label.name.casefold())
    return labels


def label_from_mapping(table: Mapping[str, Any], source: str = "labels file") -> Label:
    if not isinstance(table, Mapping) or "name" not in table:
        raise UsageError(f"{source}: every [[label]] needs a name")
    unknown = set(table) - set(_FIELDS)
    if unknown:
        raise UsageError(
            f"{source}: unknown field(s) {', '.join(sorted(unknown))} in label {table['name']!r}"
        )
    threshold = table.get("threshold", AUTO)
    if threshold == AUTO:
        threshold = None
    elif isinstance(threshold, str):
        raise UsageError(f'{source}: threshold of {table["name"]!r} must be a number or "auto"')
    enabled = table.get("enabled", True)
    if not isinstance(enabled, bool):
        raise UsageError(f"{source}: enabled of {table['name']!r} must be true or false")
    label = Label(
        name=table["name"],
        parent=table.get("parent"),
        prompts=_text_list(table, "prompts", DEFAULT_PROMPTS, source),
        negative_prompts=_text_list(table, "negative_prompts", (), source),
        threshold=threshold,
        enabled=enabled,
        exclusive_group=table.get("exclusive_group"),
    )
    try:
        return label.checked()
    except UsageError as exc:
        # "parent must be text" alone does not say where: name the file and the label.
        raise UsageError(f"{source}: label {table['name']!r}: {exc}") from exc


def _text_list(
    table: Mapping[str, Any], key: str, default: tuple[str, ...], source: str
) -> tuple[str, ...]:
    # Only a TOML array: tuple() of a number raised TypeError, and of a string or a
    # table it made one prompt per character or per key (found by fuzzing).
    value = table.get(key, default)
    if not isinstance(value, list | tuple):
        raise UsageError(f"{source}: {key} of {table['name']!r} must be a list of text")
    return tuple(value)


def read_file(path: str | Path) -> list[Label]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path} is not UTF-8 text") from exc
    return from_toml(text, str(path))


def default_labels() -> list[Label]:
    """The label set shipped with PhotoOrg (``photoorg/resources/labels.toml``)."""
    text = resources.files("photoorg").joinpath("resources/labels.toml").read_text(encoding="utf-8")
    return from_toml(text, "the default label set")
