"""Command-line indexing, searching and looking around: ``index``, ``search``, ``similar``,
``info``, ``errors``, ``status``, ``roots`` and ``duplicates``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from photoorg.cli.helpers import ProgressBar, add_model_flags, emit, hits_text, open_library
from photoorg.config import PRECISIONS
from photoorg.errors import UsageError


def cmd_index(args: argparse.Namespace) -> int:
    bar = ProgressBar()
    with open_library(args) as library:
        try:
            summary = library.index(
                args.paths,
                encode=not args.no_encode,
                read_text=args.text,
                faces=not args.no_faces,
                progress=bar,
            )
            if not args.no_encode:
                # Once per model: later searches from the shell then run without torch.
                summary["query_tower"] = library.prepare_query_tower()
        finally:
            bar.close()
        notices = library.notices()
    for notice in notices:
        print(f"photoorg: {notice}", file=sys.stderr)
    summary["offline_roots"] = summary.get("offline_roots", [])
    if summary.get("model_error"):
        print(f"photoorg: {summary['model_error']}", file=sys.stderr)
        print(
            f"photoorg: the folders were catalogued; {summary['pending']} photos wait to be"
            " encoded: run photoorg index again once the model loads",
            file=sys.stderr,
        )
    keys = ("added", "updated", "moved", "removed", "unchanged", "errors", "encoded", "pending")
    keys += ("faces",) if "faces" in summary else ()
    if summary.get("faces_skipped"):
        print(f"photoorg: faces skipped: {summary['faces_skipped']}", file=sys.stderr)
    text = summary.get("text") or {}
    emit(
        args,
        summary,
        lambda: (
            ", ".join(f"{summary[k]} {k}" for k in keys)
            + (
                f"\ntext: {text['read']} read ({text['with_text']} with text), "
                f"{text['skipped']} skipped as unlikely to hold text"
                if text.get("read") or text.get("skipped")
                else ""
            )
            + "".join(f"\noffline (kept as it was): {r}" for r in summary["offline_roots"])
            + (f"\nimage tower: {summary['precision_note']}" if summary.get("encoded") else "")
        ),
    )
    return 1 if summary.get("model_error") else 0


def _filters_from_flags(args: argparse.Namespace):
    from photoorg.model.query import Filters
    from photoorg.services.query_parser import parse_date_bound

    return Filters(
        after=parse_date_bound(args.after, upper=False) if args.after else None,
        before=parse_date_bound(args.before, upper=True) if args.before else None,
        folders=tuple(str(Path(f).expanduser().resolve()) for f in args.folder),
        cameras=tuple(args.camera),
        labels=tuple(args.label),
        has_gps=True if args.has_gps else None,
        types=tuple(args.type),
        albums=tuple(args.album),
    )


def cmd_search(args: argparse.Namespace) -> int:
    with open_library(args) as library:
        hits = library.search(
            " ".join(args.query),
            filters=_filters_from_flags(args),
            limit=args.limit,
            min_score=args.min_score,
            sort=args.sort,
            cwd=Path.cwd(),
        )
    data = [h.as_dict() for h in hits]
    emit(args, data, lambda: hits_text(data))
    return 0


def cmd_similar(args: argparse.Namespace) -> int:
    with open_library(args) as library:
        hits = library.similar(
            args.paths,
            filters=_filters_from_flags(args),
            limit=args.limit,
            min_score=args.min_score,
            sort=args.sort,
        )
    data = [h.as_dict() for h in hits]
    emit(args, data, lambda: hits_text(data))
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    with open_library(args) as library:
        info = library.info(args.path)
    shown = dict(info)
    if shown.get("text") is not None:  # the lines, not their boxes, on a terminal
        shown["text"] = shown["text"]["text"].replace("\n", " | ") or shown["text"]["outcome"]
    emit(args, info, lambda: "\n".join(f"{k:>15}: {v}" for k, v in shown.items() if v is not None))
    return 0


def cmd_errors(args: argparse.Namespace) -> int:
    with open_library(args) as library:
        errors = library.errors()
    data = [{"path": e["path"], "error": e["error"]} for e in errors]
    emit(args, data, lambda: "\n".join(f"{e['path']}: {e['error']}" for e in data) or "no errors")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    with open_library(args) as library:
        status = library.status()
    emit(args, status, lambda: "\n".join(f"{k:>9}: {v}" for k, v in status.items()))
    return 0


def cmd_roots(args: argparse.Namespace) -> int:
    with open_library(args) as library:
        if args.action == "add":
            if not args.paths:
                raise UsageError("roots add needs at least one folder")
            library.add_roots(args.paths)
        elif args.action == "remove":
            if not args.paths:
                raise UsageError("roots remove needs at least one folder")
            for path in args.paths:
                forgotten = library.remove_root(path)
                print(f"forgot {forgotten} photos under {path} (files untouched)", file=sys.stderr)
        roots = [{"path": r.path, "online": r.online} for r in library.roots()]
    emit(
        args,
        roots,
        lambda: (
            "\n".join(f"{r['path']}{'' if r['online'] else '  (offline)'}" for r in roots)
            or "no roots"
        ),
    )
    return 0


def cmd_duplicates(args: argparse.Namespace) -> int:
    bar = ProgressBar()
    with open_library(args) as library:
        try:
            groups = library.duplicates(threshold=args.threshold, progress=bar)
        finally:
            bar.close()
    emit(
        args,
        groups,
        lambda: (
            "\n\n".join(
                f"{g['kind']}:\n" + "\n".join(f"  {p['path']}" for p in g["photos"]) for g in groups
            )
            or "no duplicates"
        ),
    )
    return 0


def _add_filter_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--limit", type=int, default=20, help="at most N results (default 20)")
    parser.add_argument("--min-score", type=float, help="override the automatic relevance cutoff")
    parser.add_argument("--sort", choices=("relevance", "date"), default="relevance")
    parser.add_argument("--after", help="taken on or after DATE (YYYY[-MM[-DD]])")
    parser.add_argument("--before", help="taken before DATE (YYYY[-MM[-DD]])")
    parser.add_argument("--folder", action="append", default=[], help="only under this folder")
    parser.add_argument("--camera", action="append", default=[], help="camera make or model")
    parser.add_argument("--label", action="append", default=[], help="only photos with this tag")
    parser.add_argument("--type", action="append", default=[], help="file type: jpeg, png, heic...")
    parser.add_argument("--album", action="append", default=[], help="only photos in this album")
    parser.add_argument("--has-gps", action="store_true", help="only photos with a location")


def add_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the library commands to ``photoorg``'s subparsers."""
    p = sub.add_parser(
        "index", parents=[common], help="add folders and scan and encode their photos"
    )
    p.add_argument("paths", nargs="*", help="photo folders (default: every known root)")
    p.add_argument("--no-encode", action="store_true", help="catalog only; encode later")
    add_model_flags(p, workers=True)
    p.add_argument(
        "--precision",
        default="auto",
        choices=PRECISIONS,
        help="image tower precision (default auto: fp16 on a GPU; on a CPU int8 or bf16 when "
        "faster here and within cosine 0.99 of fp32, else fp32)",
    )
    p.add_argument(
        "--text",
        choices=("off", "likely", "every"),
        help="read the text in photos for this run: off, likely (photos a quick look finds "
        "text in) or every photo (default: the catalog's setting, see text-reading)",
    )
    p.add_argument("--no-faces", action="store_true", help="skip finding faces and people")
    p.set_defaults(run=cmd_index)

    p = sub.add_parser("search", parents=[common], help="find photos from a description")
    p.add_argument(
        "query", nargs="+", help='e.g. "kids on a beach at sunset" or "dog + beach - people"'
    )
    _add_filter_flags(p)
    add_model_flags(p)
    p.set_defaults(run=cmd_search)

    p = sub.add_parser("similar", parents=[common], help="find photos like example photos")
    p.add_argument("paths", nargs="+")
    _add_filter_flags(p)
    add_model_flags(p)
    p.set_defaults(run=cmd_similar)

    p = sub.add_parser("info", parents=[common], help="everything known about one photo")
    p.add_argument("path")
    p.set_defaults(run=cmd_info)

    p = sub.add_parser("errors", parents=[common], help="files that could not be read, and why")
    p.set_defaults(run=cmd_errors)

    p = sub.add_parser("status", parents=[common], help="counts of photos, errors and vectors")
    add_model_flags(p)  # whose vectors to count
    p.set_defaults(run=cmd_status)

    p = sub.add_parser("roots", parents=[common], help="list, add or remove library folders")
    p.add_argument("action", nargs="?", choices=("list", "add", "remove"), default="list")
    p.add_argument("paths", nargs="*")
    p.set_defaults(run=cmd_roots)

    p = sub.add_parser("duplicates", parents=[common], help="exact copies and near-duplicates")
    p.add_argument(
        "--threshold", type=float, default=0.95, help="cosine similarity for near-duplicates"
    )
    add_model_flags(p)
    p.set_defaults(run=cmd_duplicates)
