"""spark-encode on local[2], then import: the next index encodes nothing, search agrees."""

from __future__ import annotations

import hashlib
import json

import pytest

pytest.importorskip("pyspark")
parquet = pytest.importorskip("pyarrow.parquet")

from photoorg.cli.main import main  # noqa: E402
from photoorg.services.library import Library  # noqa: E402
from tests.support import scenes as sc  # noqa: E402

QUERIES = ["a red circle", "a blue square on a gray background", "a green triangle"]


@pytest.mark.slow
def test_spark_encode_then_import_spares_the_local_encoding(tmp_path, tiny_clip_spec, capsys):
    library = sc.write_library(tmp_path / "photos", 24, seed=11, size=256)
    broken = tmp_path / "photos" / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    out = tmp_path / "vectors"

    command = ["spark-encode", str(tmp_path / "photos"), "--out", str(out), "--json"]
    command += ["--model", tiny_clip_spec, "--master", "local[2]", "--precision", "fp32"]
    assert main(command) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["listed"] == 25
    assert (summary["encoded"], summary["failed"]) == (24, 1)
    rows = {r["path"]: r for r in parquet.read_table(str(out)).to_pylist()}
    for path, _ in library:
        row = rows[str(path)]
        assert row["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert (row["width"], row["height"], row["precision"]) == (256, 256, "fp32")
    assert rows[str(broken)]["error"]

    # The commands a user runs: catalog the folder, import, index again.
    catalog = ["--catalog", str(tmp_path / "imported"), "--model", tiny_clip_spec, "--json"]
    assert main(["index", str(tmp_path / "photos"), "--no-encode", *catalog]) == 0
    capsys.readouterr()
    assert main(["import-embeddings", str(out), *catalog]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["imported"], result["failed"]) == (24, 1)
    assert main(["index", *catalog]) == 0
    assert json.loads(capsys.readouterr().out)["encoded"] == 0
    with Library(tmp_path / "imported", model=tiny_clip_spec) as imported:
        found = {q: [h.path for h in imported.search(q, limit=10)] for q in QUERIES}

    with Library(tmp_path / "local", model=tiny_clip_spec) as local:
        assert local.index([tmp_path / "photos"])["encoded"] == 24
        expected = {q: [h.path for h in local.search(q, limit=10)] for q in QUERIES}
    assert found == expected
    assert any(found.values())
