"""`labelbox.schema.model_run`, for scripts that import from the SDK's path."""

from ..model_run import DataSplit, ModelRun, ModelRunDataRow

__all__ = ["DataSplit", "ModelRun", "ModelRunDataRow"]
