"""`labelbox.schema.labeling_frontend`, for scripts that import from the SDK's path."""

from ..labeling_frontend import LabelingFrontend

__all__ = ["LabelingFrontend"]
