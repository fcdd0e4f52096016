"""Prediction validation, split by concern:

- `validator`: the validator and its full check of a row (uuid, data row, feature), one verdict per row
- `fast_path`: the shortcut for plain tool rows, which agrees with the full check
- `features`: an ontology's features by name and schemaId
- `geometry`, `tools`: a tool row's geometry; `answers`: classification answers and nested questions
- `temporal`: classifications whose answers carry frame ranges (video, audio); `masks`: video masks
- `placement`: where an annotation sits in its media (frames, segments, pages, messages)
- `relationships`: relationship rows, their ends checked once the whole import is read
- `metrics`: ScalarMetric and ConfusionMatrixMetric rows; `values`: numbers, confidences, custom metrics
- `lines`: reading an NDJSON text a row at a time; `statuses`: the status per row
"""

from .features import GEOMETRY_KEYS, FeatureIndex
from .statuses import FAILURE, SUCCESS, ValidationOutcome, status_line
from .validator import PredictionValidator, Scope

__all__ = ["FAILURE", "GEOMETRY_KEYS", "SUCCESS", "FeatureIndex", "PredictionValidator", "Scope", "ValidationOutcome",
           "status_line"]
