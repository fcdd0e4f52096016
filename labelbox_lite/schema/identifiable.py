"""`labelbox.schema.identifiable`, for scripts that import from the SDK's path."""

from ..identifiables import DataRowIdentifier, GlobalKey, UniqueId

__all__ = ["DataRowIdentifier", "GlobalKey", "UniqueId"]
