"""`labelbox.data.metrics`: the SDK computes metrics here (IoU and confusion matrices of predictions against
ground truth, on numpy and shapely). labelbox_lite does not port the calculators yet; importing one raises
NotPortedError naming it (docs/porting.md, "Not ported"). The metric types a script builds itself are at
`labelbox_lite.types` and `labelbox_lite.data.annotation_types.metrics`.
"""

from ...not_ported import module_getattr

__all__: list[str] = []

__getattr__ = module_getattr("data.metrics.", __name__)
