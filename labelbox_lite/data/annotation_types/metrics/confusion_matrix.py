"""`labelbox.data.annotation_types.metrics.confusion_matrix`, for scripts that import from the SDK's path."""

from ....types import ConfusionMatrixAggregation, ConfusionMatrixMetric, ConfusionMatrixMetricValue

__all__ = ["ConfusionMatrixAggregation", "ConfusionMatrixMetric", "ConfusionMatrixMetricValue"]
