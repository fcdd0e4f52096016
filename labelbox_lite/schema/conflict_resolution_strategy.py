"""`labelbox.schema.conflict_resolution_strategy`, for scripts that import from the SDK's path."""

from ..send_to_annotate import ConflictResolutionStrategy

__all__ = ["ConflictResolutionStrategy"]
