"""`labelbox.schema.annotation_import`, for scripts that import from the SDK's path."""

from ..annotation_import import (
    AnnotationImportState,
    LabelImport,
    MALPredictionImport,
    MEAPredictionImport,
    MEAToMALPredictionImport,
)

__all__ = ["AnnotationImportState", "LabelImport", "MALPredictionImport", "MEAPredictionImport",
           "MEAToMALPredictionImport"]
