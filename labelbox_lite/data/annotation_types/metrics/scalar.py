"""`labelbox.data.annotation_types.metrics.scalar`, for scripts that import from the SDK's path."""

from ....types import RESERVED_METRIC_NAMES, ScalarMetric, ScalarMetricAggregation, ScalarMetricValue

__all__ = ["RESERVED_METRIC_NAMES", "ScalarMetric", "ScalarMetricAggregation", "ScalarMetricValue"]
