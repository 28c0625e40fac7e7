"""``spark-encode``: list photos, encode them on a Spark cluster, write Parquet.

The driver lists the files with the scanner's own walk; Spark spreads them over
partitions; each partition runs ``encode_partition`` through ``mapInPandas``, which
reads, hashes, reads metadata, decodes and preprocesses each photo with the same code
as local indexing (``media.decode``, ``media.metadata``, ``ClipModel.prepare``) and
encodes full batches.
Each executor's Python worker loads the model once (a GPU where it has one) and keeps
it across tasks. ``import_job`` merges the Parquet files into a catalog.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from photoorg.errors import UsageError

COLUMNS = (
    "path string, size long, mtime_ns long, sha256 string, width int, height int, "
    "taken_at string, model string, precision string, embedding array<float>, error string"
)
BATCH = 32
_loaded: dict[tuple[str, str, str], Any] = {}  # one model per worker process


def list_photos(folders: list[str]) -> list[tuple[str, int, int]]:
    """``(path, size, mtime_ns)`` of every supported file, as the scanner lists them."""
    from photoorg.services.indexing.scanner import walk

    found = []
    for folder in folders:
        root = Path(folder).expanduser().resolve()
        if not root.is_dir():
            raise UsageError(f"not a folder: {folder}")
        for entry in walk(root, lambda path, error: None):
            try:
                info = entry.stat()
            except OSError:
                continue
            found.append((entry.path, info.st_size, info.st_mtime_ns))
    return found


def _model(name: str, device: str, precision: str) -> Any:
    key = (name, device, precision)
    if key not in _loaded:
        from photoorg.ml.model import ClipModel

        _loaded[key] = ClipModel.load(name, device)
    return _loaded[key]


def _read(path: str, model: Any) -> tuple[dict[str, Any], Any]:
    from photoorg.media import decode, metadata
    from photoorg.media.files import read_bytes_stable

    data, info = read_bytes_stable(path)
    image = decode.open_image(data, os.path.basename(path))
    meta = metadata.read_metadata(image)
    pixels = model.prepare(decode.decode_upright(image, model.image_size))
    row = {
        "path": path,
        "size": info.st_size,
        "mtime_ns": info.st_mtime_ns,
        "sha256": hashlib.sha256(data).hexdigest(),
        "width": meta.width,
        "height": meta.height,
        "taken_at": meta.taken_at,
    }
    return row, pixels


def encode_partition(frames: Iterator[Any], name: str, device: str, precision: str):
    """``mapInPandas`` body: frames of ``path`` in, frames of ``COLUMNS`` out."""
    import pandas as pd

    from photoorg.errors import ImageError

    try:
        from pyspark import TaskContext

        context = TaskContext.get()
        threads = context.cpus() if context is not None else 1
    except ImportError:
        threads = 1
    import torch

    torch.set_num_threads(max(1, threads))  # the task's share of the executor's cores
    model = _model(name, device, precision)
    model.request_precision(precision)  # chosen once per worker, on its first photos
    for frame in frames:
        rows: list[dict[str, Any]] = []
        ready: list[tuple[dict[str, Any], Any]] = []
        for path in frame["path"]:
            try:
                ready.append(_read(path, model))
            except (ImageError, OSError) as exc:
                rows.append({"path": path, "error": str(exc) or type(exc).__name__})
        for start in range(0, len(ready), BATCH):
            chunk = ready[start : start + BATCH]
            vectors = model.encode_images([p for _, p in chunk])
            for (row, _), vector in zip(chunk, vectors, strict=True):
                row.update(model=model.id, precision=model.precision, embedding=vector.tolist())
                rows.append(row)
        names = [c.split()[0] for c in COLUMNS.split(", ")]
        out = pd.DataFrame(
            {name: pd.Series([r.get(name) for r in rows], dtype=object) for name in names}
        )
        for name in ("size", "mtime_ns", "width", "height"):  # a failed file has none
            out[name] = out[name].astype("Int64")
        yield out


def session(master: str | None, app: str = "photoorg-encode") -> Any:
    """A SparkSession whose Python workers run this interpreter and this photoorg."""
    from pyspark.sql import SparkSession

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # a hostname that may not resolve
    os.environ["PYSPARK_PYTHON"] = sys.executable
    source = str(Path(__file__).resolve().parents[3])  # where this photoorg is imported from
    paths = [source, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    local = Path(tempfile.gettempdir()) / "photoorg-spark"
    builder = (
        SparkSession.builder.appName(app)
        .config("spark.local.dir", str(local))
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", str(BATCH * 4))
        .config("spark.executorEnv.PYTHONPATH", os.environ["PYTHONPATH"])
        .config("spark.python.worker.reuse", "true")  # keeps each worker's model
        .config("spark.ui.enabled", "false")
    )
    if master:
        builder = builder.master(master)
    return builder.getOrCreate()


def spark_encode(
    folders: list[str],
    out: str,
    model: str,
    *,
    master: str | None = None,
    device: str = "auto",
    precision: str = "auto",
    partitions: int | None = None,
) -> dict[str, Any]:
    """Encode every photo under ``folders`` into Parquet files in ``out``."""
    try:
        import pyspark  # noqa: F401
    except ImportError as exc:
        raise UsageError(
            "spark-encode needs the spark extra: pip install 'photoorg[spark]'"
        ) from exc
    from photoorg.ml.precision import check_name
    from photoorg.ml.spec import ModelSpec

    ModelSpec.parse(model)
    check_name(precision)
    files = list_photos(folders)
    if not files:
        raise UsageError("no photos found under " + ", ".join(folders))
    spark = session(master)
    try:
        slices = partitions or max(spark.sparkContext.defaultParallelism, len(files) // 256)
        listed = spark.createDataFrame([(p,) for p, _, _ in files], "path string")
        listed = listed.repartition(slices)

        def body(frames: Iterator[Any]) -> Iterator[Any]:
            return encode_partition(frames, model, device, precision)

        encoded = listed.mapInPandas(body, COLUMNS)
        encoded.write.mode("overwrite").parquet(out)
        written = spark.read.parquet(out)
        total = written.count()
        failed = written.filter("error IS NOT NULL").count()
    finally:
        spark.stop()
    return {"listed": len(files), "encoded": total - failed, "failed": failed, "out": out}
