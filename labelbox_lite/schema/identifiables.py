"""`labelbox.schema.identifiables`, for scripts that import from the SDK's path."""

from ..identifiables import DataRowIds, GlobalKeys, UniqueIds

__all__ = ["DataRowIds", "GlobalKeys", "UniqueIds"]
