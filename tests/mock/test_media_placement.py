"""Annotations placed in their media, as the SDK's NDJSON writes them: video frame ranges and keyframe
segments, conversation messages, document pages and text selections; checked by the one validator."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.backend import Backend
from mockserver.engines.prediction_imports import model_run_scope
from mockserver.engines.predictions import PredictionValidator
from mockserver.engines.predictions.placement import MEDIA_TAKES, media_keys_of
from mockserver.state import model_run_rows, models
from mockserver.strategies import PredictionTarget, predictions

from ..support import ONTOLOGY, standard_seed

# a row of each media the SDK places annotations in, and an image
MEDIA = {"gk-0": "VIDEO", "gk-1": "DOCUMENT", "gk-2": "CONVERSATIONAL", "gk-3": "TEXT", "gk-5": "VIDEO",
         "gk-6": "AUDIO", "gk-7": "GEOSPATIAL_TILE"}
VIDEO, DOCUMENT, CHAT, TEXT, IMAGE, OTHER_VIDEO, AUDIO, TILES = (f"gk-{i}" for i in range(8))


def _setup() -> tuple[Any, Any]:
    backend = Backend()
    org = backend.store.organizations()[0]
    created = backend.seed(standard_seed(8, media=MEDIA))
    run = models.create_model_run(org, backend.store.ids, backend.clock, created["models"][0], "run")
    model_run_rows.register_data_rows(org, backend.store.ids, backend.clock, run.id, [],
                                      [f"gk-{i}" for i in range(8)])
    return org, run


ORG, RUN = _setup()
BOX = {"top": 1.0, "left": 2.0, "height": 3.0, "width": 4.0}


def _check(rows: list[dict[str, Any]]) -> Any:
    return PredictionValidator(model_run_scope(ORG, RUN)).check_rows(copy.deepcopy(rows))


def _video_box(*frames: int, key: str = VIDEO) -> dict[str, Any]:
    """A video object as the SDK writes it: keyframe segments, and no uuid."""
    return {"dataRow": {"globalKey": key}, "name": "box", "classifications": [],
            "segments": [{"keyframes": [{"frame": f, "bbox": BOX, "classifications": []} for f in frames]}]}


def test_each_media_form_the_sdk_writes_is_accepted() -> None:
    rows = [
        _video_box(3, 9),
        {"dataRow": {"globalKey": VIDEO}, "name": "dot", "segments": [
            {"keyframes": [{"frame": 1, "point": {"x": 1, "y": 2}}]},
            {"keyframes": [{"frame": 5, "point": {"x": 3, "y": 4}}]}]},
        {"uuid": "frames", "dataRow": {"globalKey": VIDEO}, "name": "tags", "answer": [{"name": "a"}],
         "frames": [{"start": 7, "end": 13}, {"start": 18, "end": 19}]},
        {"uuid": "message", "dataRow": {"globalKey": CHAT}, "name": "note", "answer": "hi", "messageId": "0"},
        {"uuid": "said", "dataRow": {"globalKey": CHAT}, "name": "entity", "messageId": "4",
         "location": {"start": 0, "end": 8}},
        {"uuid": "selected", "dataRow": {"globalKey": DOCUMENT}, "name": "entity", "classifications": [],
         "textSelections": [{"tokenIds": ["t-1", "t-2"], "groupId": "g-1", "page": 1}]},
        {"uuid": "paged", "dataRow": {"globalKey": DOCUMENT}, "name": "box", "page": 2, "unit": "POINTS", "bbox": BOX},
        {"uuid": "spanned", "dataRow": {"globalKey": TEXT}, "name": "entity", "location": {"start": 3, "end": 5}},
        {"uuid": "global", "dataRow": {"globalKey": VIDEO}, "name": "quality", "answer": {"name": "good"}},
    ]
    outcome = _check(rows)
    assert [s["status"] for s in outcome.statuses] == ["SUCCESS"] * len(rows), outcome.errors
    generated = [s["uuid"] for s in outcome.statuses[:2]]
    assert all(isinstance(u, str) and len(u) == 36 for u in generated) and generated[0] != generated[1]
    assert [p["uuid"] for _, p in outcome.accepted][:2] == generated  # stored under the uuid the status names


def test_a_row_without_a_uuid_gets_the_same_one_each_time() -> None:
    first, again = _check([_video_box(2)]), _check([_video_box(2)])
    assert first.statuses[0]["uuid"] == again.statuses[0]["uuid"]
    assert _check([_video_box(2, key=OTHER_VIDEO)]).statuses[0]["uuid"] != first.statuses[0]["uuid"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(-2, 40), min_size=1, max_size=4), min_size=1, max_size=3))
def test_keyframes_are_accepted_when_each_frame_is_a_number_from_one_used_once(segments: list[list[int]]) -> None:
    row = {"dataRow": {"globalKey": VIDEO}, "name": "box",
           "segments": [{"keyframes": [{"frame": f, "bbox": BOX} for f in frames]} for frames in segments]}
    frames = [f for each in segments for f in each]
    valid = all(f >= 1 for f in frames) and len(set(frames)) == len(frames)
    (status,) = _check([row]).statuses
    assert status["status"] == ("SUCCESS" if valid else "FAILURE"), status
    if not valid:
        assert status["errors"][0]["message"].startswith("segments[")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(-1, 30), st.integers(-1, 30)), max_size=3))
def test_frame_ranges_need_ordered_frame_numbers(spans: list[tuple[int, int]]) -> None:
    row = {"uuid": "u", "dataRow": {"globalKey": VIDEO}, "name": "note", "answer": "x",
           "frames": [{"start": start, "end": end} for start, end in spans]}
    valid = bool(spans) and all(1 <= start <= end for start, end in spans)
    (status,) = _check([row]).statuses
    assert status["status"] == ("SUCCESS" if valid else "FAILURE"), status
    if not valid:
        assert status["errors"][0]["message"].startswith("frames")


@pytest.mark.parametrize("change, message", [
    ({"segments": []}, "segments: must be a non-empty list"),
    ({"segments": [{"keyframes": [{"frame": 1}]}]}, "segments[0].keyframes[0].bbox: a keyframe of this tool needs bbox"),
    ({"segments": [{"keyframes": [{"frame": 1, "bbox": {"top": 1}}]}]}, "segments[0].keyframes[0].bbox.left:"),
    ({"segments": [{"keyframes": [{"frame": 0, "bbox": BOX}]}]}, "segments[0].keyframes[0].frame: must be a frame"),
    ({"segments": [{"keyframes": [{"frame": 2, "bbox": BOX}]}, {"keyframes": [{"frame": 2, "bbox": BOX}]}]},
     "segments[1].keyframes[0].frame: frame 2 has a keyframe already"),
    ({"uuid": "u", "dataRow": {"globalKey": CHAT}, "name": "note", "answer": "x", "messageId": ""},
     "messageId: must be a non-empty string"),
    ({"uuid": "u", "dataRow": {"globalKey": DOCUMENT}, "bbox": BOX, "page": 0, "unit": "POINTS", "segments": None},
     "page: must be a page number (from 1)"),
    ({"uuid": "u", "dataRow": {"globalKey": DOCUMENT}, "bbox": BOX, "page": 1, "unit": "FURLONGS", "segments": None},
     "unit: must be one of INCHES, PIXELS, POINTS, PERCENT"),
])
def test_a_misplaced_video_or_document_object_fails_saying_where(change: dict[str, Any], message: str) -> None:
    row = {key: value for key, value in {**_video_box(1), **change}.items() if value is not None}
    (status,) = _check([row]).statuses
    assert status["status"] == "FAILURE"
    assert any(e["message"].startswith(message) for e in status["errors"]), status["errors"]


@pytest.mark.parametrize("selections, message", [
    ([], "textSelections: must be a non-empty list"),
    ([{"tokenIds": [], "groupId": "g", "page": 1}], "textSelections[0].tokenIds: must be a non-empty list"),
    ([{"tokenIds": ["t"], "page": 1}], "textSelections[0].groupId: must be a non-empty string"),
    ([{"tokenIds": ["t"], "groupId": "g", "page": 0}], "textSelections[0].page: must be a page number"),
])
def test_a_bad_text_selection_fails_saying_which(selections: list[Any], message: str) -> None:
    row = {"uuid": "u", "dataRow": {"globalKey": DOCUMENT}, "name": "entity", "textSelections": selections}
    (status,) = _check([row]).statuses
    assert status["status"] == "FAILURE" and status["errors"][0]["message"].startswith(message), status


def test_segments_belong_to_video_tools_and_a_uuid_is_still_checked_when_given() -> None:
    polygon = {"dataRow": {"globalKey": VIDEO}, "name": "area",
               "segments": [{"keyframes": [{"frame": 1, "polygon": [{"x": 1, "y": 1}] * 3}]}]}
    with_bad_uuid = {**_video_box(1), "uuid": ""}
    statuses = _check([polygon, with_bad_uuid]).statuses
    assert statuses[0]["status"] == "FAILURE"
    assert statuses[0]["errors"][0]["message"].startswith("polygon: feature 'area' is a polygon tool")
    assert statuses[1]["errors"][0]["message"].startswith("uuid: must be a non-empty string")


@pytest.mark.parametrize("key, row, message", [
    (IMAGE, _video_box(1), "segments: the data row is IMAGE, which takes no keyframe segments"),
    (IMAGE, {"uuid": "u", "name": "tags", "answer": [{"name": "a"}], "frames": [{"start": 1, "end": 2}]},
     "frames: the data row is IMAGE"),
    (IMAGE, {"uuid": "u", "name": "entity", "location": {"start": 0, "end": 3}},
     "location: the data row is IMAGE, which takes no text location (start, end) "
     "(location is for TEXT, CONVERSATIONAL data rows)"),
    (VIDEO, {"uuid": "u", "name": "box", "bbox": BOX}, "bbox: the data row is VIDEO, which takes no bounding box "
     "(bbox is for IMAGE, PDF, TMS_GEO data rows); a video's objects are keyframe segments"),
    (VIDEO, {"uuid": "u", "name": "area", "polygon": [{"x": 1, "y": 1}] * 3}, "polygon: the data row is VIDEO"),
    (TEXT, {"uuid": "u", "name": "note", "answer": "x", "messageId": "0"}, "messageId: the data row is TEXT"),
    (TEXT, {"uuid": "u", "name": "entity", "textSelections": [{"tokenIds": ["t"], "groupId": "g", "page": 1}]},
     "textSelections: the data row is TEXT"),
    (DOCUMENT, {"uuid": "u", "name": "entity", "location": {"start": 0, "end": 3}},
     "location: the data row is DOCUMENT, which takes no text location (start, end) (location is for TEXT, "
     "CONVERSATIONAL data rows); a document's entities are textSelections"),
    (DOCUMENT, {"uuid": "u", "name": "box", "bbox": BOX}, "page: a bounding box on a DOCUMENT data row needs page and unit"),
    (DOCUMENT, {"uuid": "u", "name": "box", "bbox": BOX, "page": 1}, "unit: a bounding box on a DOCUMENT data row"),
    (DOCUMENT, {"uuid": "u", "name": "note", "answer": "x", "page": 1},
     "page: on a DOCUMENT data row, the document page places a bounding box (bbox); this row has none"),
    (CHAT, {"uuid": "u", "name": "entity", "location": {"start": 0, "end": 3}},
     "messageId: a text location (start, end) on a CONVERSATIONAL data row needs messageId"),
    (AUDIO, {"uuid": "u", "name": "dot", "point": {"x": 1, "y": 1}}, "point: the data row is AUDIO"),
    (TILES, {"uuid": "u", "name": "mask", "mask": {"png": "x"}}, "mask: the data row is GEOSPATIAL_TILE"),
])
def test_an_annotation_of_other_media_fails_naming_the_rows_media_type(key: str, row: dict[str, Any],
                                                                       message: str) -> None:
    (status,) = _check([{**row, "dataRow": {"globalKey": key}}]).statuses
    assert status["status"] == "FAILURE"
    assert status["errors"][0]["message"].startswith(message), status["errors"]


def test_a_plain_box_on_a_video_or_a_page_is_not_the_fast_paths() -> None:
    """The fast path takes a plain box only where the box alone is the whole annotation."""
    validator = PredictionValidator(model_run_scope(ORG, RUN))
    for key in (VIDEO, DOCUMENT, AUDIO):
        row = {"uuid": f"plain-{key}", "dataRow": {"globalKey": key}, "name": "box", "bbox": BOX}
        assert validator.fast_path.taker([], [], [], owned=False)(copy.deepcopy(row)) is False
        assert validator.check(row)[0]["status"] == "FAILURE"
    for key in (IMAGE, TILES):
        row = {"uuid": f"plain-{key}", "dataRow": {"globalKey": key}, "name": "box", "bbox": BOX}
        assert validator.fast_path.taker([], [], [], owned=False)(row) is True


_TARGETS = {media: PredictionTarget(ontology=ONTOLOGY, media_type=media, global_keys=[key])
            for key, media in {**MEDIA, IMAGE: "IMAGE"}.items() if key not in (OTHER_VIDEO,)}


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(sorted(_TARGETS)).flatmap(lambda media: st.tuples(st.just(media), predictions(_TARGETS[media]))),
       st.sampled_from(sorted(_TARGETS)))
def test_a_row_right_for_one_media_is_refused_where_its_media_keys_do_not_belong(drawn: tuple[str, dict[str, Any]],
                                                                                 other: str) -> None:
    """Any annotation the strategies draw for one media type is accepted there; moved to a row of another
    media type it is refused, naming that media type, unless that media takes every media key it has."""
    media, row = drawn
    (status,) = _check([row]).statuses
    assert status["status"] == "SUCCESS", status
    moved = {**row, "dataRow": {"globalKey": _TARGETS[other].global_keys[0]}}
    foreign = [key for key in media_keys_of(row) if key not in MEDIA_TAKES[other]]
    (status,) = _check([moved]).statuses
    if foreign:
        assert status["status"] == "FAILURE"
        assert status["errors"][0]["message"].startswith(f"{foreign[0]}: the data row is {other}"), status
    elif MEDIA_TAKES[other] == MEDIA_TAKES[media]:
        assert status["status"] == "SUCCESS", status
