"""`labelbox.data.annotation_types.metrics`: metrics of a data row or a feature (also at `labelbox_lite.types`)."""

from .confusion_matrix import ConfusionMatrixAggregation, ConfusionMatrixMetric, ConfusionMatrixMetricValue
from .scalar import ScalarMetric, ScalarMetricAggregation, ScalarMetricValue

__all__ = ["ConfusionMatrixAggregation", "ConfusionMatrixMetric", "ConfusionMatrixMetricValue", "ScalarMetric",
           "ScalarMetricAggregation", "ScalarMetricValue"]
