"""``photoorg --self-test`` run in-process, and the entry point without standard streams."""

from __future__ import annotations

import configparser
import io
import os
import subprocess
import sys
from pathlib import Path

from photoorg import __version__
from photoorg.selftest import PHOTOS, run_self_test

ROOT = Path(__file__).resolve().parents[1]


def test_self_test_passes_with_the_tiny_model(tiny_clip_spec: str) -> None:
    out = io.StringIO()
    assert run_self_test(tiny_clip_spec, out) == 0, out.getvalue()
    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    line = lines[0]
    assert line.startswith(f"self-test ok: {len(PHOTOS)} photos, places ok")
    assert f", {len(PHOTOS)} encoded, query tower ok (onnx), search ok" in line
    assert "window ok" in line
    assert "faces: detector, landmarks and descriptor ran" in line
    assert "tags ok" in line or "tags skipped" in line
    assert "places ok (Rome, Italy" in line
    assert "hf text tower ok" in line
    assert "a sign read" in line


def test_self_test_reports_a_failure_in_one_line(tmp_path: Path) -> None:
    out = io.StringIO()
    missing = tmp_path / "no-model-here"
    assert run_self_test(f"local-dir:{missing}", out) == 1
    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("self-test FAILED: ")


def test_entry_point_survives_without_stdout_and_stderr(tmp_path: Path) -> None:
    """A windowed build starts with sys.stdout and sys.stderr set to None."""
    code = (
        "import sys\n"
        "sys.stdout = None\n"
        "sys.stderr = None\n"
        "from photoorg.__main__ import main\n"
        "try:\n"
        "    main(['--version'])  # argparse prints, then exits\n"
        "except SystemExit as exc:\n"
        "    assert exc.code in (0, None), exc.code\n"
        "raise SystemExit(main(['status', '--json']))\n"
    )
    env = dict(
        os.environ, PHOTOORG_LOG_DIR=str(tmp_path / "logs"), PHOTOORG_HOME=str(tmp_path / "home")
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr == ""
    log = (tmp_path / "logs" / "photoorg.log").read_text(encoding="utf-8")
    assert __version__ in log  # what --version printed went to the log
    assert '"catalog"' in log  # and so did status --json


def test_desktop_entry_names_the_current_version() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(ROOT / "resources" / "photoorg.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["X-AppImage-Version"] == __version__
    assert section["Exec"].split()[0] == "photoorg"
    icon = ROOT / "resources" / "icons" / f"{section['Icon']}.png"
    assert icon.is_file()
    for name in ("photoorg.ico", "photoorg.icns"):
        assert (icon.parent / name).is_file()


def test_search_check_fails_when_the_target_photo_is_missing() -> None:
    """It used to say "search ok ... not ranked" with the very photo it looks for gone."""
    import pytest

    from photoorg.model.hits import Hit
    from photoorg.selftest import SelfTestError, check_search

    class Found:
        def __init__(self, names: list[str]) -> None:
            self.names = names

        def search(self, query, limit, min_score):
            return [Hit(i, f"/lib/{n}", 1.0 - i / 100, "") for i, n in enumerate(self.names)]

    others = [p.name for p in PHOTOS[1:]]
    with pytest.raises(SelfTestError, match=PHOTOS[0].name):
        check_search(Found(others))
    assert check_search(Found([*others, PHOTOS[0].name])).endswith(
        f"rank {len(PHOTOS)}/{len(PHOTOS)})"
    )


def test_places_check_fails_when_the_photo_taken_in_rome_has_no_place(tmp_path: Path) -> None:
    import pytest

    from photoorg.model.hits import Hit
    from photoorg.selftest import SelfTestError, check_places

    class Placed:
        def __init__(self, place: dict | None) -> None:
            self.place = place

        def info(self, path):
            return {"place": self.place}

        def search(self, query, limit):
            assert query == "place:意大利"
            return [Hit(1, f"/lib/{PHOTOS[0].name}", 0.0, "")] if self.place else []

    with pytest.raises(SelfTestError, match="placed at None"):
        check_places(Placed(None), tmp_path)
    rome = {"city": "Rome", "region": "Lazio", "country": "Italy", "country_code": "IT"}
    assert check_places(Placed(rome), tmp_path).startswith("places ok (Rome, Italy")
