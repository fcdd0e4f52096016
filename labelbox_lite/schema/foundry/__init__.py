"""`labelbox.schema.foundry`, for scripts that import from the SDK's path."""
