"""What every command shares: opening the library, printing results, a progress bar."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO


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


_opened: list[Any] = []
"""Libraries opened by this command, whose repair notices ``main`` prints at the end."""


def add_model_flags(parser: argparse.ArgumentParser, *, workers: bool = False) -> None:
    """``--model`` and ``--device`` (and ``--workers``) on the commands where they act:
    those that run the model or read one model's vectors (and read photo files)."""
    parser.add_argument(
        "--model", help="CLIP model: ARCH:PRETRAINED, hf-hub:ORG/REPO or local-dir:PATH"
    )
    parser.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda", "mps"))
    if workers:
        parser.add_argument("--workers", type=int, help="reader threads (default: one per core)")


def open_library(args: argparse.Namespace):
    from photoorg.services.library import Library

    library = Library(
        args.catalog,
        model=getattr(args, "model", None),
        device=getattr(args, "device", "auto"),
        workers=getattr(args, "workers", None),
        precision=getattr(args, "precision", "auto"),
    )
    _opened.append(library)
    return library


def print_notices() -> None:
    """Say once what was repaired (a salvaged catalog, a rebuilt index), whatever ran."""
    while _opened:
        for notice in _opened.pop(0).notices():
            print(f"photoorg: {notice}", file=sys.stderr)


def photo_ids(library: Any, paths: list[str]) -> list[int]:
    return [library.photo_id(p) for p in paths]
