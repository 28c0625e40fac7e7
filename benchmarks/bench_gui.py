#!/usr/bin/env python3
"""The window's two speed goals: on screen fast, and smooth over 100,000 photos.

(a) Start-up: spawns ``python -m photoorg --catalog DIR`` with
    ``PHOTOORG_EXIT_AFTER_SHOW=1``; the app prints how long after its process started
    the window was first exposed, then quits. Measured with an empty catalog and with
    the 100,000-photo one (which must not matter: the catalog opens after the window).
    Goal: under 1.5 s on the 2-core build machine.
(b) Scrolling: fills the grid with the 100,000-photo catalog (fake rows written through
    the store layer, with a few hundred real thumbnail files shared between them), then
    scrolls page by page, 60 pages a second, while a QTimer(0) measures the longest gap
    between event-loop turns: the worst stall a user would feel. Goal: under 50 ms.
    Also reported: the stall when 100,000 results arrive at once (model reset + layout).

    python benchmarks/bench_gui.py [--photos 100000] [--runs 5] [--keep DIR]

Uses the offscreen platform unless DISPLAY is set (then it uses that X server).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

THUMBNAIL_FILES = 400


# -- a large fake catalog ----------------------------------------------------------------------


def build_catalog(catalog: Path, count: int) -> None:
    """``count`` photo rows in 1,000 folders, written through the store layer."""
    import hashlib
    import io

    from PIL import Image

    from benchmarks import fake_library
    from photoorg.config import Paths
    from photoorg.store.catalog import Catalog

    paths = Paths(catalog)
    hashes = []
    for i in range(THUMBNAIL_FILES):
        sha = hashlib.sha256(f"thumb {i}".encode()).hexdigest()
        hashes.append(sha)
        target = paths.thumbnail(sha)
        target.parent.mkdir(parents=True, exist_ok=True)
        buf = io.BytesIO()
        colour = ((i * 37) % 256, (i * 91) % 256, (i * 53) % 256)
        Image.new("RGB", (256, 192), colour).save(buf, "JPEG", quality=85)
        target.write_bytes(buf.getvalue())
    with Catalog(paths.database) as store, store.write() as db:
        fake_library.add_photos(db, count, shas=hashes)


# -- (a) start-up ---------------------------------------------------------------------------


def time_startup(catalog: Path, settings: Path, runs: int) -> list[tuple[float, float]]:
    """``(wall seconds, CPU seconds)`` from process start to the window being exposed."""
    env = dict(os.environ)
    env["PHOTOORG_EXIT_AFTER_SHOW"] = "1"
    env["PHOTOORG_SETTINGS"] = str(settings)
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    results = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-m", "photoorg", "--catalog", str(catalog)],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        line = next((x for x in out.stdout.splitlines() if x.startswith("window-visible")), None)
        if line is None:
            raise SystemExit(f"the app printed no window-visible line:\n{out.stdout}\n{out.stderr}")
        results.append((float(line.split()[1]), float(line.split()[2])))
    return results


# -- (b) scrolling --------------------------------------------------------------------------


def measure_scrolling(catalog: Path, settings: Path, pages: int) -> dict[str, float]:
    if not os.environ.get("DISPLAY"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from photoorg.ui.app import apply_look, build_window

    app = QApplication.instance() or QApplication([sys.argv[0]])
    apply_look(app)
    store = QSettings(str(settings), QSettings.Format.IniFormat)
    store.setValue("first_run_done", "true")
    window = build_window(str(catalog), "local-dir:/nonexistent", store=store)
    window.resize(1400, 900)
    window.show()

    gaps: list[float] = []
    clock = QElapsedTimer()
    last = [0.0]

    def tick() -> None:
        now = clock.nsecsElapsed() / 1e6
        gaps.append(now - last[0])
        last[0] = now

    ticker = QTimer()
    ticker.setInterval(0)
    ticker.timeout.connect(tick)

    def run_until(condition, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        loop = QEventLoop()
        poll = QTimer()
        poll.setInterval(5)
        poll.timeout.connect(lambda: (condition() or time.monotonic() > deadline) and loop.quit())
        poll.start()
        loop.exec()
        poll.stop()

    model = window.browser.model
    ctx = window.ctx
    clock.start()
    ticker.start()
    started = time.perf_counter()
    window.start()
    run_until(lambda: model.rowCount() > 0, 120)
    loaded = time.perf_counter() - started
    run_until(lambda: False, 1.0)  # let layout and the first thumbnails settle
    arrival_stall = max(gaps) if gaps else 0.0
    rows = model.rowCount()
    # The model loads in the background after start-up (here it fails: no weights, but
    # torch is imported all the same). That one-off cost is reported on its own.
    gaps.clear()
    run_until(lambda: ctx.model_id is not None or ctx.model_error is not None, 120)
    run_until(lambda: False, 0.5)
    model_stall = max(gaps) if gaps else 0.0

    gaps.clear()
    last[0] = clock.nsecsElapsed() / 1e6
    bar = window.browser.grid.verticalScrollBar()
    scrolled = [0]

    def scroll() -> None:
        bar.setValue(min(bar.maximum(), bar.value() + bar.pageStep()))
        scrolled[0] += 1

    scroller = QTimer()
    scroller.setInterval(16)
    scroller.timeout.connect(scroll)
    scroller.start()
    run_until(lambda: scrolled[0] >= pages, 120)
    scroller.stop()
    grid = window.browser.grid
    row_reached = grid.indexAt(grid.viewport().rect().center()).row()
    # And a few jumps across the whole range, as a dragged scroll bar does.
    for fraction in (0.9, 0.1, 0.5, 1.0, 0.0):
        bar.setValue(int(bar.maximum() * fraction))
        run_until(lambda: False, 0.05)
    ticker.stop()
    scroll_gaps = sorted(gaps)
    result = {
        "rows": rows,
        "load_s": loaded,
        "arrival_stall_ms": arrival_stall,
        "model_stall_ms": model_stall,
        "scroll_max_ms": scroll_gaps[-1],
        "scroll_p99_ms": scroll_gaps[int(len(scroll_gaps) * 0.99)],
        "scroll_ticks": len(scroll_gaps),
        "pages": scrolled[0],
        "row_reached": row_reached,
    }
    window.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--photos", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--keep", type=Path, help="reuse/keep the generated catalog here")
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="photoorg-bench-gui-"))
    work.mkdir(parents=True, exist_ok=True)
    big = work / f"catalog-{args.photos}"
    if not (big / "catalog.sqlite3").exists():
        start = time.perf_counter()
        build_catalog(big, args.photos)
        print(f"built a {args.photos:,}-photo catalog in {time.perf_counter() - start:.1f} s")
    settings = work / "settings.ini"
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")

    empty = time_startup(work / "catalog-empty", settings, args.runs)
    full = time_startup(big, settings, args.runs)
    for name, runs in (("empty catalog", empty), (f"{args.photos:,} photos", full)):
        walls, cpus = [w for w, _ in runs], [c for _, c in runs]
        print(
            f"window visible ({name}): median {statistics.median(walls):.3f} s, "
            f"best {min(walls):.3f} s, worst {max(walls):.3f} s  (goal < 1.5 s); "
            f"CPU time used by then: median {statistics.median(cpus):.3f} s"
        )

    result = measure_scrolling(big, settings, args.pages)
    print(
        f"grid: {result['rows']:,} rows shown {result['load_s']:.2f} s after opening; "
        f"longest stall from opening the catalog to 1 s after they arrived "
        f"{result['arrival_stall_ms']:.0f} ms; "
        f"longest stall while torch loaded in the background {result['model_stall_ms']:.0f} ms"
    )
    load = os.getloadavg()[0]
    print(f"load average at the end: {load:.2f} (other work on the machine inflates stalls)")
    print(
        f"scrolling {result['pages']} pages (reached row {result['row_reached']:,}): "
        f"longest GUI stall {result['scroll_max_ms']:.1f} ms, p99 {result['scroll_p99_ms']:.1f} ms "
        f"over {result['scroll_ticks']:,} event-loop turns  (goal < 50 ms)"
    )


if __name__ == "__main__":
    main()
