"""``import-embeddings``: vectors from a ``spark-encode`` output, into a catalog.

A vector is taken only for a catalogued photo with the same path and the same content
(sha256): a file changed since the job read it is left for ``photoorg index`` to
encode. Photos not yet in the catalog are counted, not added (scan their folders with
``photoorg index --no-encode`` first). Reading Parquet needs pyarrow, not Spark.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from photoorg.errors import UsageError
from photoorg.store import embedding_import, embeddings
from photoorg.store.catalog import Catalog

CHUNK = 2048


def import_embeddings(catalog: Catalog, folder: str | Path) -> dict[str, Any]:
    """Store the vectors of ``folder``'s Parquet files; counts of what was done and not."""
    try:
        import pyarrow.parquet as parquet
    except ImportError as exc:
        raise UsageError("import-embeddings needs pyarrow: pip install 'photoorg[spark]'") from exc
    source = Path(folder)
    if not source.is_dir() or not any(source.glob("*.parquet")):
        raise UsageError(f"no Parquet files in {folder} (the --out folder of spark-encode)")
    summary = {"imported": 0, "not_in_catalog": 0, "changed": 0, "failed": 0, "models": {}}
    columns = ["path", "sha256", "model", "precision", "embedding", "error"]
    dataset = parquet.ParquetDataset(str(source))
    for batch in dataset.read(columns=columns).to_batches(CHUNK):
        rows = batch.to_pylist()
        good = [r for r in rows if r["error"] is None and r["embedding"] is not None]
        summary["failed"] += len(rows) - len(good)
        known = embedding_import.photos_by_path_and_hash(catalog.read, [r["path"] for r in good])
        by_model: dict[str, tuple[list[int], list[list[float]], list[str | None]]] = {}
        for row in good:
            found = known.get(row["path"])
            if found is None:
                summary["not_in_catalog"] += 1
            elif found[1] != row["sha256"]:
                summary["changed"] += 1
            else:
                ids, vectors, stamps = by_model.setdefault(row["model"], ([], [], []))
                ids.append(found[0])
                vectors.append(row["embedding"])
                stamps.append(row["precision"])
        with catalog.write() as db:
            for model, (ids, vectors, stamps) in by_model.items():
                embeddings.save(db, model, ids, np.asarray(vectors, np.float32), stamps)
                summary["imported"] += len(ids)
                summary["models"][model] = summary["models"].get(model, 0) + len(ids)
    return summary
