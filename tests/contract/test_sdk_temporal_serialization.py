"""Temporal classifications written once and built with both `labelbox.types` and `labelbox_lite.types`
serialize to the same NDJSON rows (key order included) as the SDK's temporal serializer writes them, nested
to any depth, overlapping or not; `Label.frame_annotations()` files them under the same frames."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from hypothesis import given, settings

from labelbox_lite import types as lite_types
from labelbox_lite.ndjson import serialize_labels

from ..support.temporal_strategies import build, temporal_specs

pytest.importorskip("numpy")  # labelbox.types needs the SDK's data extra
sdk_types = pytest.importorskip("labelbox.types", exc_type=ImportError)
sdk_serialization = pytest.importorskip("labelbox.data.serialization", exc_type=ImportError)


def _label(types: Any, specs: list[Any]) -> Any:
    video = types.VideoClassificationAnnotation(name="radio", frame=3, extra={"uuid": "u-radio"}, value=types.Radio(
        answer=types.ClassificationAnswer(name="first")))
    return types.Label(data={"global_key": "audio-1"}, annotations=[video, *(build(types, s) for s in specs)])


@settings(max_examples=200, deadline=None)
@given(specs=temporal_specs)
def test_temporal_rows_are_the_sdks(specs: list[Any]) -> None:
    logging.disable(logging.WARNING)  # both serializers warn of what they drop
    try:
        theirs = [json.loads(json.dumps(row)) for row in
                  sdk_serialization.NDJsonConverter.serialize([_label(sdk_types, specs)])]
        ours = serialize_labels([_label(lite_types, specs)])
    finally:
        logging.disable(logging.NOTSET)
    assert json.dumps(ours) == json.dumps(theirs)  # key order too


@settings(max_examples=100, deadline=None)
@given(specs=temporal_specs)
def test_frame_annotations_file_them_as_the_sdk_does(specs: list[Any]) -> None:
    def filed(label: Any) -> dict[Any, list[tuple[str, str]]]:
        return {frame: [(type(a).__name__, a.name) for a in annotations]
                for frame, annotations in label.frame_annotations().items()}

    assert filed(_label(lite_types, specs)) == filed(_label(sdk_types, specs))
