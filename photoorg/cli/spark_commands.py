"""``spark-encode`` and ``import-embeddings``: encoding archives beyond one machine.

Both need the optional extra (``pip install 'photoorg[spark]'``: pyspark, pandas and
pyarrow; Java 17 for Spark); without it they say so and change nothing.
"""

from __future__ import annotations

import argparse

from photoorg.cli.helpers import add_model_flags, emit, open_library
from photoorg.config import DEFAULT_MODEL, PRECISIONS


def cmd_spark_encode(args: argparse.Namespace) -> int:
    from photoorg.services.spark.encode_job import spark_encode

    summary = spark_encode(
        args.paths,
        args.out,
        args.model or DEFAULT_MODEL,
        master=args.master,
        device=args.device,
        precision=args.precision,
        partitions=args.partitions,
    )
    emit(
        args,
        summary,
        lambda: (
            f"{summary['encoded']} encoded, {summary['failed']} failed -> {summary['out']}\n"
            f"next: photoorg index --no-encode FOLDER, then photoorg import-embeddings {args.out}"
        ),
    )
    return 0


def cmd_import_embeddings(args: argparse.Namespace) -> int:
    with open_library(args) as library:
        summary = library.import_embeddings(args.folder)
    keys = ("imported", "not_in_catalog", "changed", "failed")
    emit(args, summary, lambda: ", ".join(f"{summary[k]} {k.replace('_', ' ')}" for k in keys))
    return 0


def add_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the Spark commands to ``photoorg``'s subparsers."""
    p = sub.add_parser(
        "spark-encode",
        parents=[common],
        help="encode photo folders on a Spark cluster into Parquet (photoorg[spark])",
    )
    p.add_argument("paths", nargs="+", help="photo folders, as every executor sees them")
    p.add_argument("--out", required=True, metavar="DIR", help="folder for the Parquet files")
    p.add_argument("--master", help="Spark master URL (default: spark-submit's, or local)")
    p.add_argument("--precision", default="auto", choices=PRECISIONS)
    p.add_argument("--partitions", type=int, help="default: cores, or one per 256 photos")
    add_model_flags(p)
    p.set_defaults(run=cmd_spark_encode)

    p = sub.add_parser(
        "import-embeddings",
        parents=[common],
        help="take the vectors of a spark-encode output for the catalogued photos they match",
    )
    p.add_argument("folder", help="the --out folder of spark-encode")
    p.set_defaults(run=cmd_import_embeddings)
