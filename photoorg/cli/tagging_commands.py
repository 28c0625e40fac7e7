"""Command-line tagging and sidecars: ``labels``, ``tag``, ``tags``, ``confirm``,
``reject``, ``summary`` and ``export-xmp``. ``cli.main.build_parser`` adds them.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from photoorg.cli.helpers import ProgressBar, add_model_flags, emit, open_library, photo_ids
from photoorg.errors import UsageError
from photoorg.model.label import AUTO, DEFAULT_PROMPTS, Label


def _threshold(text: str) -> float | None:
    if text == AUTO:
        return None
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number or 'auto': {text!r}") from None


def _label_dict(label: Label, count: int | None = None) -> dict[str, Any]:
    data = {
        "name": label.name,
        "parent": label.parent,
        "prompts": list(label.prompts),
        "negative_prompts": list(label.negative_prompts),
        "threshold": AUTO if label.threshold is None else label.threshold,
        "enabled": label.enabled,
        "exclusive_group": label.exclusive_group,
    }
    if count is not None:
        data["count"] = count
    return data


# -- labels -------------------------------------------------------------------------------


def cmd_labels(args: argparse.Namespace) -> int:
    with open_library(args) as library:
        tagging = library.tagging
        action = args.action
        if action == "list":
            counts = tagging.label_counts()
            data = [_label_dict(x, counts.get(x.name, 0)) for x in tagging.labels()]

            def text() -> str:
                lines = []
                for d in data:
                    flags = "" if d["enabled"] else "  (disabled)"
                    where = f"{d['parent']}/" if d["parent"] else ""
                    group = f"  [{d['exclusive_group']}]" if d["exclusive_group"] else ""
                    threshold = f"threshold {d['threshold']}"
                    lines.append(f"{d['count']:6d}  {where}{d['name']}  {threshold}{group}{flags}")
                return "\n".join(lines) or "no labels"

            emit(args, data, text)
        elif action == "add":
            label = Label(
                name=args.name,
                parent=args.parent,
                prompts=tuple(args.prompt) if args.prompt else DEFAULT_PROMPTS,
                negative_prompts=tuple(args.negative),
                threshold=args.threshold,
                enabled=not args.disabled,
                exclusive_group=args.group,
            )
            added = tagging.add_label(label)
            emit(args, _label_dict(added), lambda: f"added label {added.name!r}")
        elif action == "edit":
            old = tagging.label(args.name)
            changes: dict[str, Any] = {}
            if args.rename is not None:
                changes["name"] = args.rename
            if args.prompt:
                changes["prompts"] = tuple(args.prompt)
            if args.negative:
                changes["negative_prompts"] = tuple(args.negative)
            if args.no_negatives:
                changes["negative_prompts"] = ()
            if hasattr(args, "threshold"):
                changes["threshold"] = args.threshold
            if args.parent is not None:
                changes["parent"] = args.parent or None
            if args.group is not None:
                changes["exclusive_group"] = args.group or None
            if args.enable or args.disabled:
                changes["enabled"] = bool(args.enable)
            updated = tagging.update_label(args.name, replace(old, **changes))
            emit(args, _label_dict(updated), lambda: f"updated label {updated.name!r}")
        elif action == "remove":
            for name in args.names:
                tagging.remove_label(name)
            emit(args, {"removed": args.names}, lambda: f"removed {len(args.names)} label(s)")
        elif action == "import":
            result = tagging.import_labels(args.file, replace=args.replace)
            emit(
                args,
                {"imported": result.imported, "kept_disabled": result.kept_disabled},
                lambda: (
                    f"imported {result.imported} label(s) from {args.file}"
                    + "".join(
                        f"\nkept {name!r}, disabled: it holds your decisions"
                        for name in result.kept_disabled
                    )
                ),
            )
        elif action == "export":
            count = tagging.export_labels(args.file)
            emit(args, {"exported": count}, lambda: f"wrote {count} label(s) to {args.file}")
    return 0


def _add_label_flags(p: argparse.ArgumentParser, *, edit: bool) -> None:
    p.add_argument(
        "--prompt", action="append", default=[], help="a prompt, {} for the name (repeat for more)"
    )
    p.add_argument(
        "--negative", action="append", default=[], help="a negative prompt (repeat for more)"
    )
    p.add_argument(
        "--threshold",
        type=_threshold,
        # edit: absent means unchanged, so no default at all
        default=argparse.SUPPRESS if edit else None,
        help="cosine similarity -1..1, or auto" + ("" if edit else " (default)"),
    )
    p.add_argument("--parent", help="parent label or group" + (" ('' for none)" if edit else ""))
    p.add_argument("--group", help="exclusive group" + (" ('' for none)" if edit else ""))
    p.add_argument("--disabled", action="store_true", help="never tag automatically")
    if edit:
        p.add_argument("--rename", help="new name")
        p.add_argument("--enable", action="store_true")
        p.add_argument("--no-negatives", action="store_true", help="drop every negative prompt")


# -- tagging --------------------------------------------------------------------------------


def cmd_tag(args: argparse.Namespace) -> int:
    bar = ProgressBar()
    with open_library(args) as library:
        try:
            result = library.tagging.tag(
                labels=args.label or None, folder=args.folder, dry_run=args.dry_run, progress=bar
            )
        finally:
            bar.close()
    rows = sorted(result.items(), key=lambda item: (-item[1]["total"], item[0]))
    prefix = "would change: " if args.dry_run else ""

    def text() -> str:
        changed = [(n, r) for n, r in rows if r["added"] or r["removed"]]
        lines = [
            f"{r['total']:6d}  {n}  (+{r['added']} -{r['removed']})"
            for n, r in rows
            if r["total"] or r["added"] or r["removed"]
        ]
        return "\n".join([prefix + f"{len(changed)} label(s) changed", *lines])

    emit(args, {"dry_run": args.dry_run, "labels": dict(rows)}, text)
    return 0


def cmd_tags(args: argparse.Namespace) -> int:
    with open_library(args) as library:
        data = []
        for path in args.paths:
            photo_id = library.photo_id(path)
            tags = [
                {
                    "label": t["label"],
                    "score": None if t["score"] is None else round(t["score"], 4),
                    "source": t["source"],
                }
                for t in library.tagging.tags(photo_id)
            ]
            data.append({"path": str(Path(path).expanduser().resolve()), "tags": tags})

    def text() -> str:
        out = []
        for entry in data:
            shown = ", ".join(
                f"{t['label']} ({t['source']}"
                + ("" if t["score"] is None else f" {t['score']:.3f}")
                + ")"
                for t in entry["tags"]
            )
            out.append(f"{entry['path']}: {shown or 'no tags'}")
        return "\n".join(out)

    emit(args, data, text)
    return 0


def _decide(args: argparse.Namespace, decision: str) -> int:
    with open_library(args) as library:
        if args.folder or args.album:
            if args.paths:
                raise UsageError("name photos or --folder/--album, not both")
            if decision != "confirmed":
                raise UsageError("--folder and --album work with confirm only")
            count = library.tagging.confirm_all(args.label, folder=args.folder, album=args.album)
        else:
            if not args.paths:
                raise UsageError("name at least one photo (or --folder / --album)")
            ids = photo_ids(library, args.paths)
            library.tagging.set_decision(ids, args.label, None if args.clear else decision)
            count = len(ids)
    verb = "cleared" if args.clear else decision
    emit(
        args,
        {"label": args.label, "decision": None if args.clear else decision, "photos": count},
        lambda: f"{verb} {args.label!r} for {count} photo(s)",
    )
    return 0


def cmd_confirm(args: argparse.Namespace) -> int:
    return _decide(args, "confirmed")


def cmd_reject(args: argparse.Namespace) -> int:
    return _decide(args, "rejected")


# -- summaries, sidecars ------------------------------------------------------------


def cmd_summary(args: argparse.Namespace) -> int:
    if args.folder and args.album:
        raise UsageError("--folder or --album, not both")
    with open_library(args) as library:
        data = library.tagging.summary(
            folder=args.folder, album=args.album, min_fraction=args.min_fraction
        )
    emit(
        args,
        data,
        lambda: (
            "\n".join(f"{d['fraction']:6.0%}  {d['count']:6d}  {d['label']}" for d in data)
            or "no labels"
        ),
    )
    return 0


def cmd_export_xmp(args: argparse.Namespace) -> int:
    errors: list[tuple[str, str]] = []
    with open_library(args) as library:
        ids = photo_ids(library, args.paths) if args.paths else None
        written = library.tagging.export_xmp(ids, include_auto=not args.no_auto, errors=errors)
        # Named faces too, as MWG regions (a sidecar with both counts once per write).
        written += library.people.write_regions(ids, errors=errors)
    for _, message in errors:
        print(f"photoorg: {message}", file=sys.stderr)
    emit(
        args,
        {"written": written, "errors": [{"path": p, "error": e} for p, e in errors]},
        lambda: f"wrote {written} sidecar(s)",
    )
    return 1 if errors else 0


# -- the parser -----------------------------------------------------------------------------


def add_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the tagging commands to ``photoorg``'s subparsers."""
    # The common flags go on each action (`photoorg labels list --json`), not on `labels`
    # too: a subparser's defaults would overwrite what the outer parser read.
    p = sub.add_parser("labels", help="list, add, edit, remove, import or export labels")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("list", parents=[common], help="every label and how many photos carry it")
    a = actions.add_parser("add", parents=[common], help="add a label")
    a.add_argument("name")
    _add_label_flags(a, edit=False)
    a = actions.add_parser("edit", parents=[common], help="change a label (only the options given)")
    a.add_argument("name")
    _add_label_flags(a, edit=True)
    a = actions.add_parser("remove", parents=[common], help="delete labels and their tags")
    a.add_argument("names", nargs="+")
    a = actions.add_parser("import", parents=[common], help="add or update labels from a TOML file")
    a.add_argument("file")
    a.add_argument(
        "--replace", action="store_true", help="also delete labels the file does not name"
    )
    a = actions.add_parser("export", parents=[common], help="write every label to a TOML file")
    a.add_argument("file")
    p.set_defaults(run=cmd_labels)

    p = sub.add_parser(
        "tag", parents=[common], help="re-tag photos with the labels (no re-encoding)"
    )
    p.add_argument("--label", action="append", default=[], help="only this label (repeatable)")
    p.add_argument("--folder", help="only photos under this folder")
    p.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")
    add_model_flags(p)
    p.set_defaults(run=cmd_tag)

    p = sub.add_parser("tags", parents=[common], help="the tags of photos")
    p.add_argument("paths", nargs="+")
    p.set_defaults(run=cmd_tags)

    for name, run, what in (("confirm", cmd_confirm, "confirm"), ("reject", cmd_reject, "reject")):
        p = sub.add_parser(
            name, parents=[common], help=f"{what} a label for photos (the label learns)"
        )
        p.add_argument("paths", nargs="*")
        p.add_argument("--label", required=True)
        p.add_argument("--clear", action="store_true", help="forget the decision instead")
        add_model_flags(p)  # the label learns and is re-tagged
        if name == "confirm":
            p.add_argument("--folder", help="every photo under this folder")
            p.add_argument("--album", help="every photo of this album")
        else:
            p.set_defaults(folder=None, album=None)
        p.set_defaults(run=run)

    p = sub.add_parser(
        "summary", parents=[common], help="the labels most photos of a folder or album carry"
    )
    p.add_argument("--folder")
    p.add_argument("--album")
    p.add_argument(
        "--min-fraction", type=float, default=0.2, help="only labels on this share of photos (0.2)"
    )
    p.set_defaults(run=cmd_summary)

    p = sub.add_parser(
        "export-xmp", parents=[common], help="merge tags into XMP sidecars next to the photos"
    )
    p.add_argument("paths", nargs="*", help="photos (default: every photo)")
    p.add_argument("--no-auto", action="store_true", help="only tags people gave or files had")
    p.set_defaults(run=cmd_export_xmp)
