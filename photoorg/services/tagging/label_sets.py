"""Label sets as TOML: the file a person edits, exports and imports, and the default set.

The layout is one ``[[label]]`` table per label, every field written out, so a file
exported, edited and imported again means exactly what it says.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import tomli_w

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser, from PyPI (a dependency there)
    import tomli as tomllib

from photoorg.errors import UsageError
from photoorg.model.label import AUTO, DEFAULT_PROMPTS, Label

FORMAT_VERSION = 1
_FIELDS = (
    "name",
    "parent",
    "prompts",
    "negative_prompts",
    "threshold",
    "enabled",
    "exclusive_group",
)


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
        '# prompts: {} stands for the name. threshold: a cosine similarity (-1..1) or "auto"\n'
        '# (read off the library; a photo also needs the label to beat "a photo." and the like).\n'
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
