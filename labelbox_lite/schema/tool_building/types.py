"""`labelbox.schema.tool_building.types`, for scripts that import from the SDK's path."""

from ...ontology import FeatureSchemaAttribute

__all__ = ["FeatureSchemaAttribute"]
