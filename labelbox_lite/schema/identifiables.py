"""`labelbox.schema.identifiables`, for scripts that import from the SDK's path."""

from ..identifiables import DataRowIdentifiers, DataRowIds, GlobalKeys, UniqueIds

__all__ = ["DataRowIdentifiers", "DataRowIds", "GlobalKeys", "UniqueIds"]
