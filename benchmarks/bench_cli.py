#!/usr/bin/env python3
"""``photoorg search`` from process start: what a script or a launcher waits for.

A catalog of N generated photos is indexed once (in this process) with a model in the
``local-dir`` layout: by default ViT-B-32's architecture with random weights, saved
once into the work folder (speed does not depend on the weights; nothing is
downloaded). Then ``photoorg search`` runs as a fresh process, each run timed from
``Popen`` to exit, its peak memory read from the kernel (``wait4``):

- repeated: the same query as the run before (its text vector is stored in the catalog);
- new: a query never asked before (the text tower exported to ONNX answers it);
- new, full model: the same without the exported tower (torch and open_clip load), as
  every query was before.

Each figure is the minimum of ``--runs`` runs (the machine may be shared).

    python benchmarks/bench_cli.py [--photos 240] [--runs 5] [--arch ViT-B-32 | --model SPEC]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def random_local_dir(arch: str, folder: Path) -> str:
    """``arch`` with random weights as a ``local-dir:`` model (made once per folder)."""
    if not (folder / "open_clip_model.safetensors").is_file():
        import open_clip
        from safetensors.torch import save_file

        model = open_clip.create_model(arch)
        folder.mkdir(parents=True, exist_ok=True)
        state = {k: v.detach().half().contiguous() for k, v in model.state_dict().items()}
        save_file(state, str(folder / "open_clip_model.safetensors"))
        config = {
            "model_cfg": open_clip.get_model_config(arch),
            "preprocess_cfg": open_clip.get_model_preprocess_cfg(model),
        }
        (folder / "open_clip_config.json").write_text(json.dumps(config), encoding="utf-8")
    return f"local-dir:{folder}"


def make_catalog(work: Path, photos: int, model: str) -> Path:
    from photoorg.services.library import Library
    from tests.support import scenes

    catalog = work / "catalog"
    with Library(catalog, model=model) as library:
        if not (catalog / "done").exists():
            scenes.write_library(work / "photos", photos, seed=7, size=256)
            summary = library.index([work / "photos"])
            assert summary["encoded"] == photos, summary
            (catalog / "done").write_text("", encoding="utf-8")
        assert library.prepare_query_tower(), "the text tower could not be exported"
    return catalog


def run_search(catalog: Path, query: str) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak resident MB of one ``photoorg search`` process.

    CPU time is less sensitive than wall time to other processes on a loaded machine.
    """
    command = [sys.executable, "-m", "photoorg", "search", "--catalog", str(catalog), query]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"search failed: {process.stderr.read().decode()}")
    process.stderr.close()
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, cpu, usage.ru_maxrss / 1024  # ru_maxrss is in KB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--photos", type=int, default=240)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--arch", default="ViT-B-32")
    parser.add_argument("--model", help="a model name instead of random --arch weights")
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--make-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    work = args.workdir or Path(tempfile.mkdtemp(prefix="photoorg-cli-"))
    if args.make_only:
        model = args.model or random_local_dir(args.arch, work / f"model-{args.arch}")
        make_catalog(work, args.photos, model)
        return
    # Made in a child process: a forked child's peak memory starts from its parent's,
    # so this process must never hold torch or the model.
    which = ["--model", args.model] if args.model else ["--arch", args.arch]
    make = [sys.executable, __file__, "--make-only", "--workdir", str(work), *which]
    subprocess.run([*make, "--photos", str(args.photos)], check=True)
    catalog = work / "catalog"
    print(f"load average {os.getloadavg()[0]:.1f} at the start")
    print(
        f"{args.photos} photos, model {args.model or args.arch + ' (random weights)'}, "
        f"{os.cpu_count()} cores, min of {args.runs} runs"
    )

    run_search(catalog, "a red circle")  # asked once before: now a repeated query
    repeated = [run_search(catalog, "a red circle") for _ in range(args.runs)]
    stamp = time.time_ns()
    new = [run_search(catalog, f"a blue square number {stamp + i}") for i in range(args.runs)]
    towers = catalog / "text-towers"
    towers.rename(catalog / "text-towers-aside")
    try:
        full = [run_search(catalog, f"a green circle number {stamp + i}") for i in range(args.runs)]
    finally:
        (catalog / "text-towers-aside").rename(towers)
    for name, runs in (("repeated", repeated), ("new", new), ("new, full model", full)):
        print(
            f"{name:15s} {min(r[0] for r in runs):6.2f} s  "
            f"(median {sorted(r[0] for r in runs)[len(runs) // 2]:.2f} s, "
            f"CPU {min(r[1] for r in runs):.2f} s)  peak {min(r[2] for r in runs):6.0f} MB"
        )


if __name__ == "__main__":
    main()
