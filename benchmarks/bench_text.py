#!/usr/bin/env python3
"""Reading text in photos: what it costs per photo, and what each setting misses.

On generated 12-megapixel-class JPEGs (2400 x 1800 here, to keep the run short) with
and without a sign, decoded the way indexing decodes (draft mode, upright), it measures:

- a full read (``TextReader.read``) of a photo with text and of one without;
- the probe (``TextReader.probe``: the same OCR on a small copy, PROBE_SIDE px);
- which signs the probe and the full read find, by glyph height as a share of the
  photo's height (a shop sign across the street is ~2-3 %, a menu held close ~8 %);
- the text stage's throughput at each setting (off / likely / every) for a library in
  which one photo in ten holds text, and what each setting misses there, from the
  medians above;
- then, measured end to end, ``Library.index`` of such a library (``--index N`` photos,
  one in ten with a sign) at each setting, each on a fresh catalog: photos/s, and what
  the setting adds per photo over ``off`` (scan and thumbnail only, or also encoding
  with ``--model SPEC``).

    python benchmarks/bench_text.py [--threads 0] [--per-height 3] [--index 40] [--model SPEC]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from photoorg.media import decode as imaging
from photoorg.ml.text_reader import PROBE_SIDE, READ_SIDE, TextReader
from photoorg.store.photo_text import squash
from tests.support import signs

SIZE = (2400, 1800)
HEIGHTS = (0.015, 0.025, 0.04, 0.09)


def jpeg(picture) -> bytes:
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=88)
    return out.getvalue()


def decode(data: bytes):
    """As the indexer would: header, draft-mode decode, upright RGB."""
    return imaging.decode_upright(imaging.open_image(data), READ_SIDE * 3 // 4)


def timed(fn, *args):
    started = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - started


def found(sign: signs.Sign, lines) -> bool:
    text = squash("".join(line.text for line in lines))
    return all(squash(word) in text for word in sign.words)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=0, help="onnxruntime threads (0: all)")
    parser.add_argument("--per-height", type=int, default=3)
    parser.add_argument("--probe-side", type=int, default=PROBE_SIDE)
    parser.add_argument("--index", type=int, default=40, help="photos to index (0: skip)")
    parser.add_argument("--model", help="also encode, with this CLIP model, while indexing")
    args = parser.parse_args()
    reader = TextReader(threads=args.threads, probe_side=args.probe_side)
    reader.read(signs.render_plain(size=(320, 240)))  # load the models outside the timings

    pool = [*signs.ENGLISH_SIGNS, *(signs.CHINESE_SIGNS if signs.cjk_font() else ())]
    decode_times, read_text, read_plain, probe_times = [], [], [], []
    recall: dict[float, list[tuple[bool, bool]]] = {h: [] for h in HEIGHTS}
    for h in HEIGHTS:
        for k in range(args.per_height):
            sign = pool[(k + HEIGHTS.index(h)) % len(pool)]
            data = jpeg(signs.render_sign(sign, size=SIZE, text_height=h, seed=k))
            picture, seconds = timed(decode, data)
            decode_times.append(seconds)
            lines, seconds = timed(reader.read, picture)
            read_text.append(seconds)
            passed, seconds = timed(reader.probe, picture)
            probe_times.append(seconds)
            recall[h].append((passed, found(sign, lines)))
    plain_passed = []
    for k in range(2 * args.per_height):
        picture = decode(jpeg(signs.render_plain(size=SIZE, seed=500 + k)))
        lines, seconds = timed(reader.read, picture)
        read_plain.append(seconds)
        passed, seconds = timed(reader.probe, picture)
        probe_times.append(seconds)
        plain_passed.append(passed)

    med = statistics.median
    print(f"decode (draft, upright):        {med(decode_times) * 1000:7.0f} ms / photo")
    print(f"full read, photo with a sign:   {med(read_text) * 1000:7.0f} ms / photo")
    print(f"full read, photo without text:  {med(read_plain) * 1000:7.0f} ms / photo")
    print(
        f"probe ({args.probe_side} px):                 {med(probe_times) * 1000:7.0f} ms / photo"
    )
    print("glyph height  probe passes  full read finds the words")
    for h, rows in recall.items():
        passes, finds = sum(p for p, _ in rows), sum(f for _, f in rows)
        print(f"  {h:5.1%}       {passes}/{len(rows)}           {finds}/{len(rows)}")
    print(f"probe passes on photos without text: {sum(plain_passed)}/{len(plain_passed)}")

    # The text stage over a library in which one photo in ten holds a sign of each height.
    share = 0.1
    full = share * med(read_text) + (1 - share) * med(read_plain)
    probe_pass = statistics.mean(p for rows in recall.values() for p, _ in rows)
    false_pass = statistics.mean(plain_passed)
    likely = med(probe_times) + (share * probe_pass + (1 - share) * false_pass) * full
    every_found = statistics.mean(f for rows in recall.values() for _, f in rows)
    likely_found = statistics.mean(p and f for rows in recall.values() for p, f in rows)
    decode_s = med(decode_times)
    print(f"text stage, 10% of photos with text (decode {decode_s * 1000:.0f} ms included):")
    print("  off:    no text read")
    print(
        f"  likely: {1 / (decode_s + likely):5.2f} photos/s, finds {likely_found:.0%} of the signs"
    )
    print(f"  every:  {1 / (decode_s + full):5.2f} photos/s, finds {every_found:.0%} of the signs")
    if args.index:
        index_at_each_setting(args.index, args.model, pool)


def index_at_each_setting(count: int, model: str | None, pool: list[signs.Sign]) -> None:
    """``Library.index`` of ``count`` photos, one in ten with a sign, at each setting."""
    from photoorg.services.library import Library

    work = Path(tempfile.mkdtemp(prefix="photoorg-text-"))
    photos = work / "photos"
    photos.mkdir()
    with_text = set(range(0, count, 10))
    for k in range(count):
        if k in with_text:
            sign = pool[k // 10 % len(pool)]
            picture = signs.render_sign(sign, size=SIZE, text_height=HEIGHTS[k // 10 % 4], seed=k)
        else:
            picture = signs.render_plain(size=SIZE, seed=1000 + k)
        (photos / f"IMG_{k:04d}.jpg").write_bytes(jpeg(picture))
    what = f"encoding with {model}" if model else "no encoding"
    print(f"Library.index of {count} photos ({len(with_text)} with a sign; {what}):")
    off_rate = None
    for setting in ("off", "likely", "every"):
        with Library(work / f"catalog-{setting}", model=model, device="cpu") as library:
            started = time.perf_counter()
            summary = library.index([photos], encode=model is not None, read_text=setting)
            seconds = time.perf_counter() - started
        rate = count / seconds
        added = (
            "" if off_rate is None else f", adds {(1 / rate - 1 / off_rate) * 1000:.0f} ms a photo"
        )
        off_rate = off_rate or rate
        print(f"  {setting:7s} {rate:6.2f} photos/s{added}  (text: {summary['text']})")


if __name__ == "__main__":
    main()
