"""The vector index file on disk: its manifest, checksum, durable writes, and a check of
its hnswlib 0.8 layout done without hnswlib.

hnswlib's ``load_index`` trusts its header: sizes, counts and neighbour ids go straight
into malloc and pointer arithmetic, so a damaged or crafted file can make it read or write
outside its buffers (hnswlib issue #673), and the ``dim`` given at load is never compared
with the file. The caller's first guard is the sha256 kept in the catalog; this module is
the second: it checks every size in the header against the expected dimension, that the
file length is exactly what the header implies, and that every neighbour id points inside
the index at an element present on that level (fuzzing found that hnswlib follows such a
link into a null pointer). It also yields what hnswlib will not tell us from Python after
a load: each element's label and whether it is marked deleted.

Layout (hnswalg.h, ``saveIndex``), little-endian:
  header, 96 bytes: offsetLevel0, max_elements, cur_element_count, size_data_per_element,
    label_offset, offsetData (6 x u64), maxlevel (i32), enterpoint_node (u32), maxM, maxM0,
    M (3 x u64), mult (f64), ef_construction (u64)
  level 0, count x size_data_per_element bytes, per element:
    u16 neighbour count, u8 flags (bit 0: deleted), u8 unused, maxM0 x u32 neighbours,
    dim x f32 vector, u64 label
  upper levels, per element: u32 byte size (level x (4 + 4 maxM)), then per level
    a u32 header (low 16 bits: neighbour count) and maxM x u32 neighbours
"""

from __future__ import annotations

import hashlib
import math
import struct
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from photoorg.errors import PhotoOrgError

HEADER = struct.Struct("<6QiI3QdQ")
HEADER_SIZE = HEADER.size  # 96
DELETE_MARK = 0x01
_MAX_LEVEL = 200  # levels grow like log(n)/log(M); anything near this is a damaged file
_CHUNK_BYTES = 64 << 20  # level 0 is checked in pieces of about this size
_HASH_CHUNK = 1 << 20


class IndexFileError(PhotoOrgError):
    """The saved vector index cannot be used (missing, damaged, stale): rebuild it."""


@dataclass(frozen=True)
class IndexManifest:
    """What the catalog records about a saved index file, to check it before loading."""

    sha256: str
    size: int
    count: int  # elements stored in the file, deleted ones included
    deleted: int
    dim: int
    model: str

    @property
    def live(self) -> int:
        return self.count - self.deleted

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> IndexManifest:
        try:
            return cls(
                sha256=str(data["sha256"]),
                size=int(data["size"]),
                count=int(data["count"]),
                deleted=int(data["deleted"]),
                dim=int(data["dim"]),
                model=str(data["model"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise IndexFileError(f"the stored index manifest is incomplete: {exc}") from exc


class HnswFormatError(ValueError):
    """The bytes are not a well-formed hnswlib index of the expected dimension."""


@dataclass(frozen=True)
class HnswFileInfo:
    count: int  # elements stored, deleted ones included
    max_elements: int
    M: int
    ef_construction: int
    labels: np.ndarray  # int64, indexed by hnswlib's internal id
    deleted: np.ndarray  # bool, indexed by hnswlib's internal id


def read_hnsw_file(path: Path, *, dim: int) -> HnswFileInfo:
    """Check the structure of the index file at ``path`` for vectors of ``dim`` floats.

    Raises HnswFormatError on any inconsistency and OSError if the file cannot be read.
    """
    with open(path, "rb") as f:
        size = f.seek(0, 2)
        if size < HEADER_SIZE:
            raise HnswFormatError(f"file is {size} bytes, shorter than the 96-byte header")
        f.seek(0)
        header = f.read(HEADER_SIZE)
        (
            offset_level0,
            max_elements,
            count,
            size_per_element,
            label_offset,
            offset_data,
            maxlevel,
            enterpoint,
            max_m,
            max_m0,
            m,
            mult,
            ef_construction,
        ) = HEADER.unpack(header)

        def require(ok: bool, what: str) -> None:
            if not ok:
                raise HnswFormatError(f"bad header: {what}")

        require(2 <= m <= 10_000 and max_m == m and max_m0 == 2 * m, "M")
        links0 = 4 + 4 * max_m0
        links_upper = 4 + 4 * max_m
        require(offset_level0 == 0 and offset_data == links0, "level-0 layout")
        # The only place the file records the dimension: a wrong dim passed to hnswlib
        # would make it read vectors at the wrong offsets.
        require(label_offset == offset_data + 4 * dim, f"vector size (not {dim}-d?)")
        require(size_per_element == label_offset + 8, "element size")
        require(count <= max_elements, "count above capacity")
        # hnswlib always derives mult from M; it sets how tall new elements' towers are.
        require(math.isclose(mult, 1 / math.log(m), rel_tol=1e-9), "level multiplier")
        require(ef_construction >= 1, "ef_construction")
        if count == 0:
            require(maxlevel == -1 and enterpoint == 0xFFFFFFFF, "entry point of empty index")
        else:
            require(0 <= maxlevel <= _MAX_LEVEL and enterpoint < count, "entry point")
        level0_end = HEADER_SIZE + count * size_per_element
        if size < level0_end + 4 * count:
            raise HnswFormatError(f"file is {size} bytes, too short for {count} elements")
        if count == 0:
            if size != HEADER_SIZE:
                raise HnswFormatError("trailing bytes after an empty index")
            empty = np.zeros(0, dtype=np.int64)
            return HnswFileInfo(0, max_elements, m, ef_construction, empty, empty.astype(bool))

        f.seek(HEADER_SIZE)
        labels, deleted = _check_level0(f, count, size_per_element, max_m0, label_offset)
        levels = _check_upper_levels(f.read(), count, links_upper, max_m, maxlevel)
    if levels[enterpoint] != maxlevel:
        raise HnswFormatError("bad header: entry point is not on the top level")
    return HnswFileInfo(count, max_elements, m, ef_construction, labels, deleted)


def _check_level0(
    f: BinaryIO, count: int, row: int, max_m0: int, label_offset: int
) -> tuple[np.ndarray, np.ndarray]:
    labels = np.empty(count, dtype=np.int64)
    deleted = np.empty(count, dtype=bool)
    chunk = max(1, _CHUNK_BYTES // row)
    for start in range(0, count, chunk):
        n = min(chunk, count - start)
        data = f.read(n * row)
        if len(data) != n * row:
            raise HnswFormatError("level 0: file ends early")
        rows = np.frombuffer(data, dtype=np.uint8).reshape(n, row)
        # Copies: byte-column slices are not aligned for the wider views.
        n_links = rows[:, 0:2].copy().view("<u2")[:, 0]
        if int(n_links.max()) > max_m0:
            raise HnswFormatError("level 0: too many neighbours")
        links = rows[:, 4 : 4 + 4 * max_m0].copy().view("<u4")
        used = np.arange(max_m0) < n_links[:, None]
        if np.any(links[used] >= count):
            raise HnswFormatError("level 0: neighbour id out of range")
        deleted[start : start + n] = (rows[:, 2] & DELETE_MARK) != 0
        raw = rows[:, label_offset : label_offset + 8].copy().view("<u8")[:, 0]
        if np.any(raw >= 2**63):
            raise HnswFormatError("label does not fit a photo id")
        labels[start : start + n] = raw.astype(np.int64)
    if len(np.unique(labels)) != count:
        raise HnswFormatError("duplicate labels")
    return labels, deleted


def _check_upper_levels(
    tail: bytes, count: int, block: int, max_m: int, maxlevel: int
) -> np.ndarray:
    # ``tail`` is small: 4 bytes per element plus upper links for ~1/M of the elements.
    if len(tail) % 4:
        raise HnswFormatError("upper levels: length not a multiple of 4")
    words = np.frombuffer(tail, dtype="<u4")
    sizes = memoryview(tail).cast("I")  # native order; hnswlib runs little-endian only
    levels = np.zeros(count, dtype=np.int32)
    block_starts: list[int] = []
    block_levels: list[int] = []
    step = block // 4
    pos = 0
    n_words = len(words)
    # Every entry is a whole number of u32 words, so the walk steps in words. Most
    # elements only live on level 0 (size 0), which keeps this loop cheap.
    for i in range(count):
        if pos >= n_words:
            raise HnswFormatError("upper levels: file ends early")
        nbytes = sizes[pos]
        pos += 1
        if nbytes:
            level, rest = divmod(nbytes, block)
            if rest or level > maxlevel:
                raise HnswFormatError("upper levels: bad link list size")
            levels[i] = level
            block_starts.extend(range(pos, pos + level * step, step))
            block_levels.extend(range(1, level + 1))
            pos += nbytes // 4
    if pos != n_words:
        raise HnswFormatError("trailing bytes after the last element")
    if block_starts:
        at = np.asarray(block_starts, dtype=np.int64)
        n_links = words[at] & 0xFFFF
        if int(n_links.max()) > max_m:
            raise HnswFormatError("upper levels: too many neighbours")
        links = words[at[:, None] + 1 + np.arange(max_m)]
        used = np.arange(max_m) < n_links[:, None]
        if np.any(links[used] >= count):
            raise HnswFormatError("upper levels: neighbour id out of range")
        # hnswlib follows a level-l link straight into the neighbour's level-l list; an
        # element that does not reach level l has no such list (a null pointer).
        block_level = np.broadcast_to(np.asarray(block_levels)[:, None], links.shape)
        if np.any(levels[links[used]] < block_level[used]):
            raise HnswFormatError("upper levels: link to an element below that level")
    return levels


def check_saved_index(path: Path, *, dim: int, model: str, expected: IndexManifest) -> HnswFileInfo:
    """Check a saved index against the manifest stored with it, before hnswlib reads it.

    ``model`` is the model whose embeddings the caller wants; an index built from
    another model's embeddings is refused. Raises IndexFileError on any mismatch.
    """
    if expected.dim != dim:
        raise IndexFileError(f"the vector index holds {expected.dim}-d vectors, not {dim}-d")
    if expected.model != model:
        raise IndexFileError(
            f"the vector index was built for model {expected.model!r}, not {model!r}"
        )
    try:
        size = path.stat().st_size
        # Cheap checks first: never hash (or hand hnswlib) a file of the wrong size.
        if size != expected.size:
            raise IndexFileError(f"{path} is {size} bytes; {expected.size} were saved")
        if sha256_of(path) != expected.sha256:
            raise IndexFileError(f"{path} has changed since it was saved (checksum)")
        info = read_hnsw_file(path, dim=dim)
    except FileNotFoundError as exc:
        raise IndexFileError(f"the vector index {path} is missing") from exc
    except (OSError, HnswFormatError) as exc:
        raise IndexFileError(f"cannot read the vector index {path}: {exc}") from exc
    if info.count != expected.count or int(info.deleted.sum()) != expected.deleted:
        raise IndexFileError(f"{path} does not hold the elements its manifest lists")
    return info


def sha256_of(path: Path) -> str:
    return hash_file(path)[0]


def hash_file(path: Path) -> tuple[str, int]:
    """The file's SHA-256 (hex) and size, in one read."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        while chunk := f.read(_HASH_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size
