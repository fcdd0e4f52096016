"""`labelbox.schema.export_params`, for scripts that import from the SDK's path."""

from ..catalog_export import CatalogExportParams, ProjectExportParams
from ..export_params import ModelRunExportParams

__all__ = ["CatalogExportParams", "ModelRunExportParams", "ProjectExportParams"]
