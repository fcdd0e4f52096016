"""The SDK's `labelbox.data` import paths."""
