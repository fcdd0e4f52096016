"""What the typing of issue 25 keeps at run time: a queryable field is a Field on the class and the
value on an instance (set and read through its slot), `queryable` refuses a class whose Field[...]
annotations and GraphQL names disagree, and the typed converters store any iterable as before."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite import types as lt
from labelbox_lite.comparison import Field, queryable
from labelbox_lite.entity import Entity
from mockserver.strategies import PredictionTarget

ENTITIES = (lb.Model, lb.Dataset, lb.DataRow, lb.Project, lb.Label)
TEXT = st.text(max_size=5)


def _fields(entity: type) -> list[str]:
    return sorted(name for name, value in vars(entity).items() if isinstance(value, Field))


def _instance(entity: type) -> Any:
    values = {a.name: None for a in attrs.fields(entity) if a.default is attrs.NOTHING}
    return entity(**values)


@given(entity=st.sampled_from(ENTITIES), data=st.data())
def test_a_field_is_the_field_on_the_class_and_the_value_on_an_instance(entity: type, data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(_fields(entity)))
    value = data.draw(TEXT | st.none() | st.floats(allow_nan=False))
    on_class = getattr(entity, name)
    assert isinstance(on_class, Field) and on_class.owner is entity and on_class.name == name
    row = _instance(entity)
    setattr(row, name, value)  # through Field.__set__ to the slot
    assert getattr(row, name) == value and getattr(entity, name) is on_class
    assert repr(row)  # attrs' repr reads the slots
    assert getattr(entity, name).asc == (on_class, Field.Order.Asc)


def test_every_annotated_field_is_queryable_and_only_those() -> None:
    for entity in ENTITIES:
        annotated = sorted(name for name, kind in entity.__annotations__.items() if kind.startswith("Field["))
        assert annotated == _fields(entity), entity


@pytest.mark.parametrize(("names", "missing"), [
    ({"uid": "id"}, "annotates ['name', 'uid'] as Field[...] but queries ['uid']"),
    ({"uid": "id", "name": "name", "size": "size"}, "annotates ['name', 'uid'] as Field[...] but queries "
                                                    "['name', 'size', 'uid']"),
])
def test_queryable_refuses_annotations_and_names_that_disagree(names: dict[str, str], missing: str) -> None:
    with pytest.raises(TypeError, match=missing.replace("[", r"\[")):
        @queryable(**names)
        class Thing(Entity):
            uid: Field[str]
            name: Field[str]
            size: int


def _as(kind: str, items: list[Any]) -> Any:
    return {"list": items, "tuple": tuple(items), "generator": (item for item in items)}[kind]


KINDS = st.sampled_from(["list", "tuple", "generator"])
POINTS = st.lists(st.builds(lt.Point, x=st.integers(-9, 9), y=st.integers(-9, 9)), min_size=2, max_size=5)


@given(points=POINTS, kind=KINDS)
def test_the_typed_converters_take_any_iterable(points: list[lt.Point], kind: str) -> None:
    assert lt.Line(points=_as(kind, points)).points == points
    boxes = [lt.ObjectAnnotation(name="edge", value=lt.Line(points=points))] * 2
    assert lt.Label(data={"uid": "u"}, annotations=_as(kind, boxes)).annotations == boxes
    ids = [str(p.x) for p in points]
    assert lt.DocumentTextSelection(token_ids=_as(kind, ids), group_id="g", page=1).token_ids == ids
    frames = [lt.MaskFrame(index=i, im_bytes=b"png") for i in range(len(points))]
    instances = [lt.MaskInstance(color_rgb=(i, 0, 0), name="m") for i in range(len(points))]
    masks = lt.VideoMaskAnnotation(frames=_as(kind, frames), instances=_as(kind, instances))
    assert (masks.frames, masks.instances) == (frames, instances)
    target = PredictionTarget(ontology={"tools": [{"tool": "point", "name": "p"}]}, global_keys=_as(kind, ids),
                              data_row_ids=_as(kind, ids))
    assert target.global_keys == target.data_row_ids == tuple(ids)


@given(low=st.integers(0, 20), high=st.integers(0, 20), kind=KINDS)
def test_tiled_zoom_levels_and_bounds_take_any_iterable(low: int, high: int, kind: str) -> None:
    corners = [lt.Point(x=0, y=0), lt.Point(x=9, y=9)]
    tiled = lt.TiledImageData(tile_layer=lt.TileLayer(url="https://t/{z}/{x}/{y}.png"), zoom_levels=_as(kind, [low, high]),
                              tile_bounds=lt.TiledBounds(epsg=lt.EPSG.SIMPLEPIXEL, bounds=_as(kind, corners)))
    assert tiled.zoom_levels == (low, high) and tiled.tile_bounds.bounds == corners
    with pytest.raises(ValueError, match="zoom_levels is"):
        lt.TiledImageData(tile_layer=tiled.tile_layer, tile_bounds=tiled.tile_bounds, zoom_levels=_as(kind, [low]))
