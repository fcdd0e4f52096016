"""`labelbox.data.serialization`: NDJsonConverter.serialize(labels), the rows an import uploads.

The converter is `labelbox_lite.ndjson`'s, which builds on this package's annotation types; it loads on
first use (PEP 562), as the package's public names do, so this package does not import it back.
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ...ndjson import NDJsonConverter as NDJsonConverter

__all__ = ["NDJsonConverter"]


def __getattr__(name: str) -> Any:
    if name != "NDJsonConverter":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return importlib.import_module("labelbox_lite.ndjson").NDJsonConverter
