"""`labelbox.schema.tool_building.classification`, for scripts that import from the SDK's path."""

from ...ontology import Classification, Option

__all__ = ["Classification", "Option"]
