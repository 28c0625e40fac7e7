"""PyInstaller runtime hook: let torchvision import when its C++ ops cannot load.

The CPU build ships PyPI's torchvision wheel, whose compiled ops (``torchvision/_C.so``:
nms, roi_align, deform_conv2d...) are linked against the CUDA build of torch, so they
cannot load next to the CPU-only torch in this package, and the spec leaves them out.
torchvision is written to run without them (``extension._has_ops()`` is then False),
except that ``_meta_registrations`` registers fake kernels for ``torchvision::nms`` and
``torchvision::qnms`` unconditionally, which fails when those operators were never
defined. Defining just their schemas first lets ``import torchvision`` (and so
open_clip, which needs only ``torchvision.transforms``) succeed; calling those operators
would still raise, and PhotoOrg never does.

The hook does nothing until torchvision is imported, so the window starts without torch.
"""

import sys

_SCHEMAS = (
    "nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor",
    "qnms(Tensor qdets, Tensor scores, float iou_threshold) -> Tensor",
)
_libraries = []  # keeps the definitions alive (a dropped Library deregisters them)


class _DefineMissingTorchvisionOps:
    """A meta path finder that acts once, just before ``torchvision._meta_registrations``."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != "torchvision._meta_registrations":
            return None
        sys.meta_path.remove(self)
        import torch
        import torchvision.extension

        if not torchvision.extension._has_ops():
            library = torch.library.Library("torchvision", "FRAGMENT")
            for schema in _SCHEMAS:
                if not hasattr(torch.ops.torchvision, schema.split("(", 1)[0]):
                    library.define(schema)
            _libraries.append(library)
        return None  # the regular finders import the module


sys.meta_path.insert(0, _DefineMissingTorchvisionOps())
