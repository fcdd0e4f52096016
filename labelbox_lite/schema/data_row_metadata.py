"""`labelbox.schema.data_row_metadata`, for scripts that import from the SDK's path."""

from ..data_row_metadata import DataRowMetadataKind, DataRowMetadataOntology, DataRowMetadataSchema

__all__ = ["DataRowMetadataKind", "DataRowMetadataOntology", "DataRowMetadataSchema"]
