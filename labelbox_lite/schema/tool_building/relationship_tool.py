"""`labelbox.schema.tool_building.relationship_tool`, for scripts that import from the SDK's path."""

from ...ontology import RelationshipTool

__all__ = ["RelationshipTool"]
