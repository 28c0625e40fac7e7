"""Fuzzing with hypothesis: the EXIF reader and the label import raise only our errors.

- The query parser is fuzzed in tests/services/test_query_parser.py (3,000 + 1,000 + 400 cases).
- The EXIF reader: real corpus photos with bytes flipped, inserted, deleted and cut, and
  generated EXIF blocks (random IFDs, pointers into themselves, absurd counts) inside a
  good JPEG, through ``open_image`` + ``read_metadata`` + ``decode_upright``: only
  ``ImageError`` may escape.
- The label import: arbitrary text, and TOML documents shaped like a labels file with
  wrong types everywhere, through ``labels.from_toml``; some also through
  ``Tagging.import_labels`` into a real catalog. Only ``UsageError`` may escape.

The default suite runs a few thousand cases of each; ``-m slow`` runs ten times more.
"""

from __future__ import annotations

import datetime
import io
import struct
import warnings
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from photoorg.errors import ImageError, UsageError
from photoorg.media import decode
from photoorg.media.metadata import read_metadata
from photoorg.services.tagging.label_sets import from_toml
from tests.support.corpus import CORPUS

FAST = settings(
    max_examples=1_000,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SLOW = settings(FAST, max_examples=20_000, derandomize=False)

COUNTS: dict[str, int] = {}
"""Cases run per fuzz target in this session (read by the docs' figures)."""


@pytest.fixture(scope="module", autouse=True)
def _report_counts():
    yield
    if COUNTS:  # shown with -s; docs/reliability.md quotes these
        print("\nfuzz cases run: " + ", ".join(f"{k} {v}" for k, v in sorted(COUNTS.items())))


def _corpus_samples() -> list[bytes]:
    if not CORPUS.is_dir():
        return []
    files = sorted(CORPUS.glob("jpg/**/*.jpg")) + sorted(CORPUS.glob("tiff/*.tiff"))
    return [p.read_bytes() for p in files if p.stat().st_size <= 100_000]


SAMPLES = _corpus_samples()
needs_corpus = pytest.mark.skipif(not SAMPLES, reason=f"no corpus at {CORPUS}")


def _read_everything(data: bytes, target: str) -> None:
    """What the scanner does with a file's bytes; only ImageError may come out."""
    COUNTS[target] = COUNTS.get(target, 0) + 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Pillow's "Corrupt EXIF data" and friends
        try:
            image = decode.open_image(data, "fuzzed")
            meta = read_metadata(image)
            upright = decode.decode_upright(image, 64)
        except ImageError:
            return
    assert meta.width > 0 and meta.height > 0 and 1 <= meta.orientation <= 8
    assert upright.mode == "RGB"
    assert meta.gps_lat is None or -90 <= meta.gps_lat <= 90
    assert meta.gps_lon is None or -180 <= meta.gps_lon <= 180


# -- mutated corpus photos ---------------------------------------------------------------


@st.composite
def mutated(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(SAMPLES)))
    # Most metadata lives in the first few KB: aim there three times out of four.
    head = min(len(data), 4096)
    position = st.one_of(
        st.integers(0, head - 1), st.integers(0, head - 1), st.integers(0, len(data) - 1)
    )
    for _ in range(draw(st.integers(1, 12))):
        kind = draw(st.sampled_from(["flip", "set", "insert", "delete"]))
        if not data:
            break
        at = min(draw(position), len(data) - 1)
        if kind == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "set":
            data[at] = draw(st.sampled_from([0x00, 0xFF, 0x7F, 0x80, 0x01]))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        else:
            del data[at : at + draw(st.integers(1, 64))]
    if draw(st.integers(0, 9)) == 0:
        del data[draw(st.integers(0, max(0, len(data) - 1))) :]
    return bytes(data)


@needs_corpus
@FAST
@given(mutated())
def test_mutated_corpus_photos(data: bytes) -> None:
    _read_everything(data, "exif-corpus")


@needs_corpus
@pytest.mark.slow
@SLOW
@given(mutated())
def test_mutated_corpus_photos_long(data: bytes) -> None:
    _read_everything(data, "exif-corpus")


# -- generated EXIF blocks ------------------------------------------------------------------

TAGS = [
    0x0112,  # Orientation
    0x010F,  # Make
    0x0110,  # Model
    0x0132,  # DateTime
    0x8769,  # Exif IFD pointer
    0x8825,  # GPS IFD pointer
    0x9003,  # DateTimeOriginal
    0x9011,  # OffsetTimeOriginal
    0x829A,  # ExposureTime
    0x829D,  # FNumber
    0x8827,  # ISO
    0x920A,  # FocalLength
    0xA434,  # LensModel
    0x927C,  # MakerNote
    0x0001,  # GPSLatitudeRef
    0x0002,  # GPSLatitude
    0x0003,  # GPSLongitudeRef
    0x0004,  # GPSLongitude
    0xA005,  # Interop IFD pointer
    0x014A,  # SubIFDs
]


@st.composite
def exif_blocks(draw) -> bytes:
    order = draw(st.sampled_from(["<", ">"]))
    size = draw(st.integers(64, 2048))
    small = st.integers(0, size + 16)
    value = st.one_of(small, st.integers(0, 2**32 - 1), st.just(8))
    entries = draw(
        st.lists(
            st.tuples(
                st.one_of(st.sampled_from(TAGS), st.integers(0, 0xFFFF)),
                st.integers(0, 14),  # TIFF field types 1..13, and bad ones
                st.one_of(st.integers(0, 8), st.integers(0, 2**32 - 1)),
                value,
            ),
            max_size=14,
        )
    )
    ifd = struct.pack(f"{order}H", len(entries))
    for tag, kind, count, val in entries:
        ifd += struct.pack(f"{order}HHII", tag, kind, count, val)
    ifd += struct.pack(f"{order}I", draw(value))
    magic = b"II*\x00" if order == "<" else b"MM\x00*"
    body = magic + struct.pack(f"{order}I", 8) + ifd
    # Filler the pointers above can land in: more IFD-like bytes or noise.
    body += draw(st.binary(min_size=0, max_size=max(0, size - len(body))))
    return b"Exif\x00\x00" + body


def _small_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (48, 32), (120, 40, 200)).save(out, "JPEG")
    return out.getvalue()


JPEG = _small_jpeg()


def _with_exif(block: bytes) -> bytes:
    return JPEG[:2] + b"\xff\xe1" + struct.pack(">H", len(block) + 2) + block + JPEG[2:]


@FAST
@given(exif_blocks())
def test_generated_exif_blocks(block: bytes) -> None:
    _read_everything(_with_exif(block), "exif-generated")


@pytest.mark.slow
@SLOW
@given(exif_blocks())
def test_generated_exif_blocks_long(block: bytes) -> None:
    _read_everything(_with_exif(block), "exif-generated")


# -- the label import -------------------------------------------------------------------------

ODD_VALUES = [
    0,
    -1,
    1.5,
    float("nan"),
    float("inf"),
    True,
    "",
    " ",
    "auto",
    "{}",
    "x|y",
    "a\nb",
    "\x00",
    "x" * 101,
    [],
    [1],
    ["ok", 2],
    [[]],
    {},
    {"a": 1},
    datetime.date(2020, 1, 1),
    ["a photo of a {}."] * 70,
    ["x" * 301],
    [" "],
]
"""Values of every TOML type, and text that breaks each rule of a label."""
ODD = st.sampled_from(ODD_VALUES)
TEXT = st.text(max_size=40)
PLAUSIBLE = {
    "name": st.one_of(TEXT, ODD),
    "parent": st.one_of(TEXT, ODD),
    "prompts": st.one_of(st.lists(TEXT, max_size=4), ODD),
    "negative_prompts": st.one_of(st.lists(TEXT, max_size=3), ODD),
    # No subnormals: loading a model turns on flush-to-zero for the whole process
    # (torch.set_flush_denormal), and Hypothesis then refuses to generate them.
    "threshold": st.one_of(st.floats(-2, 2, allow_subnormal=False), st.just("auto"), ODD),
    "enabled": st.one_of(st.booleans(), ODD),
    "exclusive_group": st.one_of(TEXT, ODD),
}
FIELDS = list(PLAUSIBLE)


@st.composite
def label_tables(draw) -> dict:
    table = {}
    for field in FIELDS:
        if draw(st.integers(0, 3)):
            table[field] = draw(PLAUSIBLE[field])
    if draw(st.integers(0, 9)) == 0:
        table[draw(st.text(min_size=1, max_size=10))] = draw(ODD)
    return table


@st.composite
def label_documents(draw) -> str:
    doc: dict = {}
    if draw(st.booleans()):
        doc["version"] = draw(st.one_of(st.just(1), ODD))
    labels = draw(st.one_of(st.lists(label_tables(), max_size=5), ODD))
    if draw(st.integers(0, 7)):
        doc["label"] = labels
    try:
        return tomli_w.dumps(doc)
    except (TypeError, ValueError):  # e.g. a list mixing tables and values: not TOML
        return tomli_w.dumps({"label": []})


def _import_text(text: str, target: str) -> None:
    COUNTS[target] = COUNTS.get(target, 0) + 1
    try:
        labels = from_toml(text, "fuzzed.toml")
    except UsageError as exc:
        message = str(exc)
        assert message.startswith("fuzzed.toml") or "label" in message, message
        return
    for label in labels:  # what was accepted is a checked label
        assert label.name == label.name.strip() and label.name
        assert all(isinstance(p, str) and p for p in label.prompts)
        assert label.threshold is None or -1 <= label.threshold <= 1


@FAST
@given(label_documents())
def test_label_files_shaped_like_labels(text: str) -> None:
    _import_text(text, "labels-structured")


@FAST
@given(st.text(max_size=400))
def test_label_files_of_arbitrary_text(text: str) -> None:
    _import_text(text, "labels-text")


@pytest.mark.slow
@SLOW
@given(label_documents())
def test_label_files_shaped_like_labels_long(text: str) -> None:
    _import_text(text, "labels-structured")


@pytest.fixture(scope="module")
def import_library(tmp_path_factory):
    from photoorg.services.library import Library

    home = tmp_path_factory.mktemp("fuzz-import")
    with Library(home / "catalog") as library:
        yield library, home


@settings(FAST, max_examples=300)
@given(label_documents())
def test_label_import_into_a_catalog(import_library, text: str) -> None:
    """The whole import: read the file, check it, write the catalog (replace or merge)."""
    library, home = import_library
    path = Path(home) / "labels.toml"
    path.write_text(text, encoding="utf-8")
    COUNTS["labels-import"] = COUNTS.get("labels-import", 0) + 1
    try:
        count = library.tagging.import_labels(path, replace=len(text) % 2 == 0).imported
    except UsageError:
        return
    names = {label.name for label in library.tagging.labels()}
    assert count == len(from_toml(text)) and len(names) >= count
