"""`labelbox.data.mixins`: where the SDK keeps CustomMetric (also at `labelbox_lite.types`)."""

from ..types import CustomMetric

__all__ = ["CustomMetric"]
