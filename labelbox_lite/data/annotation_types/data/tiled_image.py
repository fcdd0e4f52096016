"""Tiled (geospatial or simple-pixel) imagery, with the SDK's names: the coordinate system of its
bounds (EPSG), the tile layers, and the row data a tiled data row is created from (`asdict()`).

Reading tiles into pixels and converting coordinates between systems (the SDK's `raster_data` and
EPSGTransformer, on numpy, PIL and pyproj) are not ported (docs/porting.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import Any, cast

from attrs import define, field

from ....not_ported import members
from ....types import Point, _points

VALID_LAT_RANGE = range(-90, 90)
VALID_LNG_RANGE = range(-180, 180)
DEFAULT_TMS_TILE_SIZE = 256


class EPSG(Enum):
    """The coordinate systems of tiled imagery; SIMPLEPIXEL is the image's own pixel space."""

    SIMPLEPIXEL = 1
    EPSG4326 = 4326
    EPSG3857 = 3857


def _bounds(instance: Any, _attribute: Any, bounds: list[Point]) -> None:
    if len(bounds) != 2 or not all(isinstance(b, Point) for b in bounds):
        raise ValueError(f"bounds are two Points (opposite corners), got {bounds!r}")
    first, second = bounds
    if first.x == second.x or first.y == second.y:
        raise ValueError(f"Bounds on either axes cannot be equal, currently {bounds}")
    if instance.epsg == EPSG.EPSG4326:
        for bound in bounds:
            if int(bound.x) not in VALID_LNG_RANGE or int(bound.y) not in VALID_LAT_RANGE:
                raise ValueError(f"Invalid lat/lng bounds. Found {bounds}. lat must be in {VALID_LAT_RANGE}. "
                                 f"lng must be in {VALID_LNG_RANGE}.")


@define
class TiledBounds:
    """Two opposite corners of the imagery, in `epsg`'s coordinates (x is longitude in EPSG4326)."""

    epsg: EPSG = field(validator=lambda _i, _a, v: _epsg(v))
    bounds: list[Point] = field(converter=_points, validator=_bounds)


def _epsg(value: Any) -> None:
    if not isinstance(value, EPSG):
        raise TypeError(f"epsg is an EPSG member, got {value!r}")


def _xyz(_instance: Any, _attribute: Any, url: str) -> None:
    if "/{z}/{x}/{y}" not in url:
        raise ValueError(f"{url} needs to contain /{{z}}/{{x}}/{{y}}")


@define
class TileLayer:
    """A tile server URL with `{z}/{x}/{y}` placeholders."""

    url: str = field(validator=_xyz)
    name: str | None = "default"

    def asdict(self) -> dict[str, Any]:
        return {"tileLayerUrl": self.url, "name": self.name}


def _zoom_levels(value: Iterable[int]) -> tuple[int, int]:
    return cast("tuple[int, int]", tuple(value))  # two of them: __attrs_post_init__ checks


@define
class TiledImageData:
    """Tiled imagery as a data row's `row_data` (`asdict()`): a layer, its bounds and zoom levels."""
    __getattr__ = members("types.")  # an SDK member not ported names itself (docs/porting.md)

    tile_layer: TileLayer
    tile_bounds: TiledBounds
    zoom_levels: tuple[int, int] = field(converter=_zoom_levels)
    alternative_layers: list[TileLayer] = field(factory=list)
    max_native_zoom: int | None = None
    tile_size: int | None = DEFAULT_TMS_TILE_SIZE
    version: int | None = 2
    multithread: bool = True
    global_key: str | None = None
    uid: str | None = None
    external_id: str | None = None
    media_attributes: dict[str, Any] | None = None
    metadata: list[dict[str, Any]] | None = None

    def __attrs_post_init__(self) -> None:
        if len(self.zoom_levels) != 2:
            raise ValueError(f"zoom_levels is (min zoom, max zoom), got {self.zoom_levels!r}")

    def asdict(self) -> dict[str, Any]:
        first, second = self.tile_bounds.bounds
        return {
            "tileLayerUrl": self.tile_layer.url,
            "bounds": [[first.x, first.y], [second.x, second.y]],
            "minZoom": self.zoom_levels[0],
            "maxZoom": self.zoom_levels[1],
            "maxNativeZoom": self.max_native_zoom,
            "epsg": self.tile_bounds.epsg.name,
            "tileSize": self.tile_size,
            "alternativeLayers": [layer.asdict() for layer in self.alternative_layers],
            "version": self.version,
        }


__all__ = ["EPSG", "TileLayer", "TiledBounds", "TiledImageData"]
