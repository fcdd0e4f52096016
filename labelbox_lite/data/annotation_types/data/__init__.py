"""`labelbox.data.annotation_types.data`: what a label is about (a data row; tiled imagery) and mask pixels."""

from ....types import GenericDataRowData, MaskData
from .tiled_image import EPSG, TiledBounds, TiledImageData, TileLayer

__all__ = ["EPSG", "GenericDataRowData", "MaskData", "TileLayer", "TiledBounds", "TiledImageData"]
