"""`labelbox.schema.project`, for scripts that import from the SDK's path."""

from ..project import (
    DataRowPriority,
    LabelingParameterOverride,
    LabelingParameterOverrideInput,
    Project,
    validate_labeling_parameter_overrides,
)

__all__ = ["DataRowPriority", "LabelingParameterOverride", "LabelingParameterOverrideInput", "Project",
           "validate_labeling_parameter_overrides"]
