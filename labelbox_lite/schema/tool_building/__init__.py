"""The SDK's `labelbox.schema.tool_building` import paths."""
