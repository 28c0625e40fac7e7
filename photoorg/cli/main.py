"""The command line: ``photoorg COMMAND ...``.

``--json`` prints exactly one JSON document on stdout; progress and messages go to
stderr. Exit status: 0 success, 1 failure, 2 bad usage, 130 interrupted. Expected
failures print one line, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys

from photoorg import __version__
from photoorg.cli import (
    album_commands,
    library_commands,
    model_commands,
    people_commands,
    place_commands,
    spark_commands,
    tagging_commands,
)
from photoorg.cli.helpers import print_notices
from photoorg.errors import PhotoOrgError, UsageError


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--catalog",
        metavar="DIR",
        help="catalog folder (default: $PHOTOORG_HOME or the user data folder)",
    )
    common.add_argument("--json", action="store_true", help="print one JSON document on stdout")

    parser = argparse.ArgumentParser(
        prog="photoorg",
        description="Find and tag your photos by what is in them. "
        "Without a command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"photoorg {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    library_commands.add_commands(sub, common)
    tagging_commands.add_commands(sub, common)
    album_commands.add_commands(sub, common)
    place_commands.add_commands(sub, common)
    spark_commands.add_commands(sub, common)
    model_commands.add_commands(sub, common)
    people_commands.add_commands(sub, common)
    _accept_unused_model_flags(parser)
    return parser


def _accept_unused_model_flags(parser: argparse.ArgumentParser) -> None:
    """Commands that use no model still accept ``--model``, ``--device`` and ``--workers``
    (scripts that pass them everywhere keep working) but do not show them in their help:
    only the commands where they act list them (``helpers.add_model_flags``)."""
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        for child in action.choices.values():
            if any(isinstance(a, argparse._SubParsersAction) for a in child._actions):
                _accept_unused_model_flags(child)
                continue
            known = child._option_string_actions
            for flag, kind, default in (
                ("--model", str, None),
                ("--device", str, "auto"),
                ("--workers", int, None),
            ):
                if flag not in known:
                    child.add_argument(flag, type=kind, default=default, help=argparse.SUPPRESS)


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
