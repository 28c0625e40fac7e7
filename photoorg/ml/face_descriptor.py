"""dlib's face descriptor network run by torch: the same weights, ~8x less CPU.

dlib's ResNet (``dlib_face_recognition_resnet_model_v1.dat``) turns an aligned 150x150
face chip into the 128-d descriptor the people grouping compares. The ``dlib-bin`` wheel
is built without BLAS, so its convolutions cost ~90-130 ms of CPU a face; torch (already
here for CLIP) runs the same network in ~13 ms. The weights are read from dlib's own
file: its layers are serialized input first, each as its name and its parameters as
little-endian float32 tensors (dlib's ``serialize`` for ``con_``, ``affine_``, ``fc_``),
and the network is dlib's published one (``dnn_face_recognition_ex.cpp``): a 7x7
convolution, max pooling, then 14 residual blocks of two 3x3 convolutions with
batch-norm folded into a per-channel affine; the first block of each wider level halves
the size (its shortcut is a 2x2 average pool, zero-padded to the block's channels and
size, as dlib's ``add_prev`` does); a mean over the last map and a 256->128 matrix.
``tests/ml/test_face_descriptor.py`` checks it against dlib's own output.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from photoorg.errors import PhotoOrgError

CHIP_SIZE = 150
CHIP_PADDING = 0.25  # what dlib's compute_face_descriptor cuts around the landmarks
# (in channels, out channels, halves the size) of each residual block, input side first.
_BLOCKS = (
    [(32, 32, False)] * 3
    + [(32, 64, True)] + [(64, 64, False)] * 3
    + [(64, 128, True)] + [(128, 128, False)] * 2
    + [(128, 256, True)] + [(256, 256, False)] * 2
    + [(256, 256, True)]
)  # fmt: skip
_LAYER = re.compile(rb"\x01([\x04-\x15])(con_4|affine_|fc_2|input_rgb_image_sized)")


class DescriptorFileError(PhotoOrgError):
    """The descriptor file does not hold the network this module knows."""


class _Reader:
    """dlib's serialization: an int is a byte (its length, 0x80 when negative) and that
    many little-endian bytes; a float, two ints (mantissa, exponent); a tensor, a
    version int (2), four dimension ints and raw float32s."""

    def __init__(self, data: bytes, pos: int) -> None:
        self.data, self.pos = data, pos

    def int(self) -> int:
        head = self.data[self.pos]
        size = head & 0x0F
        value = int.from_bytes(self.data[self.pos + 1 : self.pos + 1 + size], "little")
        self.pos += 1 + size
        return -value if head & 0x80 else value

    def float(self) -> float:
        mantissa = self.int()
        return mantissa * 2.0 ** self.int()

    def tensor(self) -> np.ndarray:
        if self.int() != 2:
            raise DescriptorFileError("unknown tensor version")
        count = int(np.prod([self.int() for _ in range(4)]))
        values = np.frombuffer(self.data, "<f4", count, self.pos)
        self.pos += 4 * count
        return values


class DescriptorNet:
    """The network with its weights; ``describe`` is thread-safe (no state is kept)."""

    def __init__(self, path: Path) -> None:
        try:
            self._load(path.read_bytes())
        except (IndexError, ValueError) as exc:  # a cut or damaged file
            raise DescriptorFileError(f"{path.name}: damaged ({exc})") from exc

    def _load(self, data: bytes) -> None:
        convs, affines, fc, mean = [], [], None, None
        for match in _LAYER.finditer(data):
            name = match.group(2)
            if match.group(1)[0] != len(name):
                continue
            read = _Reader(data, match.end())
            if name == b"con_4":
                params = read.tensor()
                filters, rows, cols, stride, _, pad, _ = [read.int() for _ in range(7)]
                weight = params[: params.size - filters].reshape(filters, -1, rows, cols)
                convs.append((torch.from_numpy(weight.copy()),
                              torch.from_numpy(params[-filters:].copy()), stride, pad))  # fmt: skip
            elif name == b"affine_":
                gamma, beta = np.split(read.tensor(), 2)
                affines.append((torch.from_numpy(gamma.reshape(1, -1, 1, 1).copy()),
                                torch.from_numpy(beta.reshape(1, -1, 1, 1).copy())))  # fmt: skip
            elif name == b"fc_2":
                outputs, inputs = read.int(), read.int()
                fc = torch.from_numpy(
                    read.tensor()[: inputs * outputs].reshape(inputs, outputs).copy()
                )
            else:
                mean = torch.tensor([read.float() for _ in range(3)]).reshape(1, 3, 1, 1)
        expected = [(3, 32)] + [pair for a, b, _ in _BLOCKS for pair in ((a, b), (b, b))]
        found = [(w.shape[1], w.shape[0]) for w, _, _, _ in convs]
        if found != expected or len(affines) != len(convs) or fc is None or mean is None:
            raise DescriptorFileError("not dlib's face descriptor network")
        self._convs, self._affines, self._fc, self._mean = convs, affines, fc, mean

    def describe(self, chips: list[np.ndarray]) -> np.ndarray:
        """(n, 128) float32 descriptors of n aligned 150x150 RGB uint8 face chips."""
        pixels = torch.from_numpy(np.stack(chips)).permute(0, 3, 1, 2).float()
        with torch.inference_mode():
            x = self._layer(0, (pixels - self._mean) / 256)
            x = F.max_pool2d(F.relu(x), 3, 2)
            for index, (_, _, halves) in enumerate(_BLOCKS):
                branch = F.relu(self._layer(1 + 2 * index, x))
                branch = self._layer(2 + 2 * index, branch)
                shortcut = F.avg_pool2d(x, 2, 2) if halves else x
                x = F.relu(_add_padded(branch, shortcut))
            return (x.mean(dim=(2, 3)) @ self._fc).numpy()

    def _layer(self, index: int, x: torch.Tensor) -> torch.Tensor:
        weight, bias, stride, pad = self._convs[index]
        gamma, beta = self._affines[index]
        return F.conv2d(x, weight, bias, stride, pad) * gamma + beta


def _add_padded(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """a + b, each zero-padded (after its channels, below and right) to the larger size."""
    size = [max(m, n) for m, n in zip(a.shape[1:], b.shape[1:], strict=True)]

    def pad(t: torch.Tensor) -> torch.Tensor:
        c, h, w = t.shape[1:]
        return F.pad(t, (0, size[2] - w, 0, size[1] - h, 0, size[0] - c))

    return pad(a) + pad(b)
