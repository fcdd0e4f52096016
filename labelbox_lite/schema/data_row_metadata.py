"""`labelbox.schema.data_row_metadata`, for scripts that import from the SDK's path."""

from ..data_row_metadata import (
    DataRowMetadata,
    DataRowMetadataBatchResponse,
    DataRowMetadataField,
    DataRowMetadataKind,
    DataRowMetadataOntology,
    DataRowMetadataSchema,
    DeleteDataRowMetadata,
)

__all__ = [
    "DataRowMetadata", "DataRowMetadataBatchResponse", "DataRowMetadataField", "DataRowMetadataKind",
    "DataRowMetadataOntology", "DataRowMetadataSchema", "DeleteDataRowMetadata",
]
