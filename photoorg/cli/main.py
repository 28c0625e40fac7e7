"""The command line: ``photoorg COMMAND ...``.

``--json`` prints exactly one JSON document on stdout; progress and messages go to
stderr. Exit status: 0 success, 1 failure, 2 bad usage, 130 interrupted. Expected
failures print one line, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from photoorg import __version__
from photoorg.errors import PhotoOrgError, UsageError

# -- output helpers ---------------------------------------------------------------------


class ProgressBar:
    """A one-line progress display on a terminal; silent when stderr is not one."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = bool(self.stream) and self.stream.isatty()
        self._phase = ""
        self._start = time.monotonic()
        self._last = 0.0

    def __call__(self, phase: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if phase != self._phase:
            if self._phase:
                self.stream.write("\n")
            self._phase, self._start = phase, now
        elif now - self._last < 0.1 and done != total:
            return
        self._last = now
        rate = done / max(now - self._start, 1e-6)
        if total:
            width = 30
            filled = int(width * done / total)
            eta = (total - done) / rate if rate > 0 else 0
            line = (
                f"\r{phase:>9} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} "
                f"{rate:6.1f}/s  {eta:4.0f}s left "
            )
        else:
            line = f"\r{phase:>9} {done} files "
        self.stream.write(line)
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self._phase:
            self.stream.write("\n")
            self.stream.flush()


def emit(args: argparse.Namespace, data: Any, text: Callable[[], str]) -> None:
    """Print ``data`` as JSON with --json, else the human ``text``."""
    if args.json:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
    else:
        out = text()
        if out:
            print(out)


def hits_text(hits: list[dict[str, Any]]) -> str:
    if not hits:
        return "no matching photos"
    return "\n".join(f"{h['score']:.3f}  {h['taken_at'][:10]}  {h['path']}" for h in hits)


# -- commands ---------------------------------------------------------------------------


_opened: list[Any] = []
"""Libraries opened by this command, whose repair notices ``main`` prints at the end."""


def open_library(args: argparse.Namespace):
    from photoorg.services.library import Library

    library = Library(args.catalog, model=args.model, device=args.device, workers=args.workers)
    _opened.append(library)
    return library


def print_notices() -> None:
    """Say once what was repaired (a salvaged catalog, a rebuilt index), whatever ran."""
    while _opened:
        for notice in _opened.pop(0).notices():
            print(f"photoorg: {notice}", file=sys.stderr)


def cmd_index(args: argparse.Namespace) -> int:
    bar = ProgressBar()
    with open_library(args) as library:
        try:
            summary = library.index(args.paths, encode=not args.no_encode, progress=bar)
        finally:
            bar.close()
        notices = library.notices()
    for notice in notices:
        print(f"photoorg: {notice}", file=sys.stderr)
    summary["offline_roots"] = summary.get("offline_roots", [])
    keys = ("added", "updated", "moved", "removed", "unchanged", "errors", "encoded")
    emit(
        args,
        summary,
        lambda: (
            ", ".join(f"{summary[k]} {k}" for k in keys)
            + "".join(f"\noffline (kept as it was): {r}" for r in summary["offline_roots"])
        ),
    )
    return 0


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
    emit(args, info, lambda: "\n".join(f"{k:>15}: {v}" for k, v in info.items() if v is not None))
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


# -- the parser -------------------------------------------------------------------------


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


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--catalog",
        metavar="DIR",
        help="catalog folder (default: $PHOTOORG_HOME or the user data folder)",
    )
    common.add_argument(
        "--model", help="CLIP model: ARCH:PRETRAINED, hf-hub:ORG/REPO or local-dir:PATH"
    )
    common.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda", "mps"))
    common.add_argument("--workers", type=int, help="reader threads (default: one per core)")
    common.add_argument("--json", action="store_true", help="print one JSON document on stdout")

    parser = argparse.ArgumentParser(
        prog="photoorg",
        description="Find and tag your photos by what is in them. "
        "Without a command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"photoorg {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "index", parents=[common], help="add folders and scan and encode their photos"
    )
    p.add_argument("paths", nargs="*", help="photo folders (default: every known root)")
    p.add_argument("--no-encode", action="store_true", help="catalog only; encode later")
    p.set_defaults(run=cmd_index)

    p = sub.add_parser("search", parents=[common], help="find photos from a description")
    p.add_argument(
        "query", nargs="+", help='e.g. "kids on a beach at sunset" or "dog + beach - people"'
    )
    _add_filter_flags(p)
    p.set_defaults(run=cmd_search)

    p = sub.add_parser("similar", parents=[common], help="find photos like example photos")
    p.add_argument("paths", nargs="+")
    _add_filter_flags(p)
    p.set_defaults(run=cmd_similar)

    p = sub.add_parser("info", parents=[common], help="everything known about one photo")
    p.add_argument("path")
    p.set_defaults(run=cmd_info)

    p = sub.add_parser("errors", parents=[common], help="files that could not be read, and why")
    p.set_defaults(run=cmd_errors)

    p = sub.add_parser("status", parents=[common], help="counts of photos, errors and vectors")
    p.set_defaults(run=cmd_status)

    p = sub.add_parser("roots", parents=[common], help="list, add or remove library folders")
    p.add_argument("action", nargs="?", choices=("list", "add", "remove"), default="list")
    p.add_argument("paths", nargs="*")
    p.set_defaults(run=cmd_roots)

    p = sub.add_parser("duplicates", parents=[common], help="exact copies and near-duplicates")
    p.add_argument(
        "--threshold", type=float, default=0.95, help="cosine similarity for near-duplicates"
    )
    p.set_defaults(run=cmd_duplicates)

    from photoorg.cli import tagging_commands as cli_tagging

    cli_tagging.add_commands(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        try:
            return args.run(args)
        finally:
            print_notices()
    except UsageError as exc:
        print(f"photoorg: {exc}", file=sys.stderr)
        return 2
    except PhotoOrgError as exc:
        print(f"photoorg: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nphotoorg: interrupted; everything done so far is kept", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `photoorg search ... | head`: the reader left; that is not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
