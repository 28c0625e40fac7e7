"""``photoorg models``: the curated models, their figures, and which are on this computer;
``photoorg text-reading``: which photos indexing reads the text of."""

from __future__ import annotations

import argparse

from photoorg.cli.helpers import emit, open_library


def cmd_models(args: argparse.Namespace) -> int:
    from photoorg.ml.model_list import listing

    rows = listing()

    def table() -> str:
        def pct(value: object) -> str:
            return f"{float(value):.1%}" if value is not None else "-"  # type: ignore[arg-type]

        lines = [
            f"{'model':<46} {'languages':<12} {'GFLOPs':>7} {'dim':>4} "
            f"{'ImageNet':>8} {'zh R@1':>7} {'MB':>6}  here"
        ]
        for r in rows:
            lines.append(
                f"{r['name']:<46} {r['languages']:<12} {r['image_gflops']:>7} {r['dim']:>4} "
                f"{pct(r['imagenet_zero_shot']):>8} {pct(r['zh_retrieval']):>7} "
                f"{r['download_mb']:>6}  {'yes' if r['here'] else 'no'}"
            )
        return "\n".join(lines)

    emit(args, rows, table)
    return 0


def cmd_text_reading(args: argparse.Namespace) -> int:
    with open_library(args) as library:
        if args.setting:
            library.text.set_policy(args.setting)
        policy = library.text.policy
    emit(args, {"text_reading": policy}, lambda: f"text reading: {policy}")
    return 0


def add_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "models",
        parents=[common],
        help="the curated CLIP models: languages, cost, accuracy, whether downloaded",
    )
    p.set_defaults(run=cmd_models)
    p = sub.add_parser(
        "text-reading",
        parents=[common],
        help="show or set which photos indexing reads the text of",
    )
    p.add_argument(
        "setting",
        nargs="?",
        choices=("off", "likely", "every"),
        help="off; likely: photos a quick look finds text in (default); every photo",
    )
    p.set_defaults(run=cmd_text_reading)
