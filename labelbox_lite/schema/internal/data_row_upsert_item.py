"""`labelbox.schema.internal.data_row_upsert_item`, for scripts that import from the SDK's path."""

from ...data_row_upload import DataRowUpsertItem

__all__ = ["DataRowUpsertItem"]
