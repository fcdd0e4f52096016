"""`labelbox.schema.identifiable`, for scripts that import from the SDK's path."""

from ..identifiables import GlobalKey, UniqueId

__all__ = ["GlobalKey", "UniqueId"]
