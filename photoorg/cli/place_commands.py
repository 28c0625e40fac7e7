"""Where and when on the command line: ``parse`` (how a query is understood) and
``events`` (photos grouped by time and place)."""

from __future__ import annotations

import argparse
from pathlib import Path

from photoorg.cli.helpers import emit, open_library


def cmd_parse(args: argparse.Namespace) -> int:
    with open_library(args) as library:
        query = library.places.parse(" ".join(args.query), cwd=Path.cwd())
    data = {"query": " ".join(args.query), **query.as_json()}

    def text() -> str:
        lines = [f"description: {t['text']!r} ×{t['weight']:g}" for t in data["description"]]
        lines += [f"example: {e['kind']} {e['value']} ×{e['weight']:g}" for e in data["examples"]]
        lines += [f"{u['kind']}: {u['text']}  (from “{u['words']}”)" for u in data["understood"]]
        return "\n".join(lines) or "all photos"

    emit(args, data, text)
    return 0


def cmd_events(args: argparse.Namespace) -> int:
    with open_library(args) as library:
        data = library.places.events(args.language)

    def text() -> str:
        if not data:
            return "no events yet (photoorg index finds them)"
        return "\n".join(f"{e['id']:>5}  {len(e['photos']):>5} photos  {e['name']}" for e in data)

    emit(args, data, text)
    return 0


def add_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "parse",
        parents=[common],
        help="show how a query is understood: description, examples, filters",
    )
    p.add_argument("query", nargs="+", help='e.g. "beach in Italy last summer"')
    p.set_defaults(run=cmd_parse)
    p = sub.add_parser(
        "events", parents=[common], help="photos grouped into events by time and place"
    )
    p.add_argument("--language", default="en", choices=("en", "zh"), help="language of event names")
    p.set_defaults(run=cmd_events)
