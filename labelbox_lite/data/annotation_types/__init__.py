"""`labelbox.data.annotation_types`: the annotation types labelbox_lite has (also at `labelbox_lite.types`).

The types of every media type are here: `labelbox_lite.types` defines the common ones and the modules
of this package (video, ner, geometry, data.tiled_image, metrics) the rest, on top of them.
"""

from ... import types as _types
from ...not_ported import module_getattr
from ...types import *  # noqa: F403 - exactly the names types.__all__ lists

__all__ = list(_types.__all__)

__getattr__ = module_getattr("types.", __name__)
