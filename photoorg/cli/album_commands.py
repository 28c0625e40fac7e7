"""Command-line albums: ``photoorg albums list|create|add|remove|delete|show``."""

from __future__ import annotations

import argparse

from photoorg.cli.helpers import add_model_flags, emit, open_library, photo_ids
from photoorg.errors import UsageError


def cmd_albums(args: argparse.Namespace) -> int:
    with open_library(args) as library:
        albums = library.albums
        action = args.action
        if action == "list":
            data = [a.as_dict() for a in albums.list()]

            def text() -> str:
                return (
                    "\n".join(
                        f"{'?' if a['count'] is None else a['count']:>6}  {a['name']}"
                        + (f"  (smart: {a['query']})" if a["query"] else "")
                        for a in data
                    )
                    or "no albums"
                )

            emit(args, data, text)
            return 0
        if not args.name:
            raise UsageError(f"albums {action} needs an album name")
        name = args.name
        if action == "create":
            album = albums.create(name, args.query)
            emit(args, album.as_dict(), lambda: f"created album {album.name!r}")
        elif action == "add":
            added = albums.add(name, photo_ids(library, args.paths))
            emit(
                args, {"album": name, "added": added}, lambda: f"added {added} photo(s) to {name!r}"
            )
        elif action == "remove":
            removed = albums.remove(name, photo_ids(library, args.paths))
            emit(
                args,
                {"album": name, "removed": removed},
                lambda: f"removed {removed} photo(s) from {name!r}",
            )
        elif action == "delete":
            albums.delete(name)
            emit(args, {"deleted": name}, lambda: f"deleted album {name!r} (photos untouched)")
        elif action == "show":
            data = [h.as_dict() for h in albums.photos(name)]
            emit(args, data, lambda: "\n".join(d["path"] for d in data) or "no photos")
    return 0


def add_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the album command to ``photoorg``'s subparsers."""
    p = sub.add_parser(
        "albums", parents=[common], help="list, create, add to, remove from, delete or show albums"
    )
    p.add_argument("action", choices=("list", "create", "add", "remove", "delete", "show"))
    p.add_argument("name", nargs="?")
    p.add_argument("paths", nargs="*")
    p.add_argument("--query", help="create a smart album from a search query")
    add_model_flags(p)  # a smart album's query is a search
    p.set_defaults(run=cmd_albums)
