"""Command-line faces and people: ``photoorg faces PATH``, ``photoorg people
[list|name|merge|move|regroup|write-xmp]``."""

from __future__ import annotations

import argparse

from photoorg.cli.helpers import emit, open_library
from photoorg.errors import UsageError


def cmd_faces(args: argparse.Namespace) -> int:
    with open_library(args) as library:
        data = [f.as_dict() for f in library.people.faces_on(args.path)]

    def who(face: dict) -> str:
        if face["name"]:
            return face["name"]
        return f"person {face['person']}" if face["person"] else "no one yet"

    def text() -> str:
        return (
            "\n".join(
                f"{f['id']:>6}  {f['box'][2]}x{f['box'][3]} at ({f['box'][0]}, {f['box'][1]})"
                f"  {who(f)}"
                for f in data
            )
            or "no faces found (yet: photoorg index finds them)"
        )

    emit(args, [{k: f[k] for k in ("id", "box", "person", "name")} for f in data], text)
    return 0


def cmd_people(args: argparse.Namespace) -> int:
    with open_library(args) as library:
        people = library.people
        action, values = args.action, args.values
        if action == "list":
            if values:
                raise UsageError("people list takes no arguments")
            data = people.as_dicts()

            def text() -> str:
                return (
                    "\n".join(
                        f"{p['id']:>6}  {p['name'] or '(no name)'}: {p['faces']} face(s) "
                        f"on {len(p['photos'])} photo(s)"
                        for p in data
                    )
                    or "no people yet"
                )

            emit(args, data, text)
            return 0
        if action == "regroup":
            grouping = people.regroup()
            result = {"joined": grouping.joined, "new_people": grouping.new_people}
            emit(args, result, lambda: f"{grouping.new_people} new people")
            return 0
        if action == "write-xmp":
            written = people.write_regions()
            emit(args, {"written": written}, lambda: f"{written} sidecar(s) written")
            return 0
        if action == "name":
            if len(values) < 2:
                raise UsageError("usage: photoorg people name ID NAME")
            person, name = _id(values[0]), " ".join(values[1:])
            people.name(person, name)
            emit(args, {"id": person, "name": name}, lambda: f"person {person} is {name!r}")
        elif action == "merge":
            if len(values) != 2:
                raise UsageError("usage: photoorg people merge ID OTHER_ID")
            keep, other = _id(values[0]), _id(values[1])
            people.merge(keep, other)
            emit(args, {"id": keep, "merged": other}, lambda: f"merged {other} into {keep}")
        elif action == "move":
            if len(values) != 1 or args.to is None:
                raise UsageError("usage: photoorg people move FACE_ID --to PERSON_ID")
            face = _id(values[0])
            people.move(face, args.to)
            emit(args, {"face": face, "person": args.to}, lambda: f"face {face} -> {args.to}")
    return 0


def _id(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise UsageError(f"not an id: {text!r}") from None


def add_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the faces and people commands to ``photoorg``'s subparsers."""
    p = sub.add_parser("faces", parents=[common], help="the faces found on one photo")
    p.add_argument("path")
    p.set_defaults(run=cmd_faces)
    p = sub.add_parser(
        "people", parents=[common], help="list, name, merge or fix the people in your photos"
    )
    p.add_argument(
        "action", nargs="?", default="list",
        choices=("list", "name", "merge", "move", "regroup", "write-xmp"),
    )  # fmt: skip
    p.add_argument("values", nargs="*", help="IDs and names, as the action needs")
    p.add_argument("--to", type=int, metavar="PERSON_ID", help="people move: the person")
    p.set_defaults(run=cmd_people)
