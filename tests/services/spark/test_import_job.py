"""import-embeddings takes a vector only for the same path with the same content."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

pa = pytest.importorskip("pyarrow")  # the spark extra
parquet = pytest.importorskip("pyarrow.parquet")

from photoorg.services.library import Library  # noqa: E402
from tests.support import scenes as sc  # noqa: E402


def test_a_changed_file_is_not_given_the_old_vector(tmp_path, tiny_clip_spec):
    """Import matches path and content; no Spark needed to check that part."""
    library = sc.write_library(tmp_path / "photos", 3, seed=3, size=128)
    out = tmp_path / "vectors"
    out.mkdir()
    rows = []
    for path, _ in library:
        rows.append(
            {
                "path": str(path),
                "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                "model": "m",
                "precision": "fp32",
                "embedding": np.ones(8, np.float32).tolist(),
                "error": None,
            }
        )
    rows[0]["sha256"] = "0" * 64  # the file changed after the job read it
    rows.append({**rows[1], "path": str(tmp_path / "elsewhere.jpg")})
    parquet.write_table(pa.Table.from_pylist(rows), str(out / "part-0.parquet"))
    with Library(tmp_path / "catalog", model=tiny_clip_spec) as catalogued:
        catalogued.index([tmp_path / "photos"], encode=False)
        result = catalogued.import_embeddings(out)
    assert (result["imported"], result["changed"], result["not_in_catalog"]) == (2, 1, 1)
