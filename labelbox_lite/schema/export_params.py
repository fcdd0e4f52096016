"""`labelbox.schema.export_params`, for scripts that import from the SDK's path."""

from ..export_params import ModelRunExportParams

__all__ = ["ModelRunExportParams"]
