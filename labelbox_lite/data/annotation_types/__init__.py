"""`labelbox.data.annotation_types`: the annotation types labelbox_lite has (also at `labelbox_lite.types`)."""

from ... import types as _types
from ...types import *  # noqa: F403 - exactly the names types.__all__ lists

__all__ = list(_types.__all__)
