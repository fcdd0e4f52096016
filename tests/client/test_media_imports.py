"""labelbox_lite's imports take annotations of other media in the SDK's NDJSON: video keyframe segments and
frame ranges, document text selections and pages, conversation messages; into labels, pre-labels and runs."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite.annotation_import import AnnotationImportState as State
from mockserver import MockLabelbox

from ..support import MEDIA_ROWS, World, standard_seed, world_from

BOX = {"top": 1, "left": 2, "height": 3, "width": 4}
VIDEO, DOCUMENT, CHAT = MEDIA_ROWS  # gk-0, gk-1, gk-2


@pytest.fixture
def world(mock: MockLabelbox) -> World:
    """The standard world, with a video, a document and a conversation among its rows."""
    return world_from(mock.seed(standard_seed(10, media=MEDIA_ROWS)), 10)


def _media_rows() -> list[dict[str, Any]]:
    return [
        {"dataRow": {"globalKey": VIDEO}, "name": "box", "classifications": [],
         "segments": [{"keyframes": [{"frame": 13, "bbox": BOX}, {"frame": 19, "bbox": BOX}]}]},
        {"uuid": str(uuid.uuid4()), "dataRow": {"globalKey": VIDEO}, "name": "tags", "answer": [{"name": "a"}],
         "frames": [{"start": 7, "end": 13}]},
        {"uuid": str(uuid.uuid4()), "dataRow": {"globalKey": DOCUMENT}, "name": "entity",
         "textSelections": [{"tokenIds": ["t-1"], "groupId": "g-1", "page": 1}]},
        {"uuid": str(uuid.uuid4()), "dataRow": {"globalKey": DOCUMENT}, "name": "box", "page": 1, "unit": "POINTS",
         "bbox": BOX},
        {"uuid": str(uuid.uuid4()), "dataRow": {"globalKey": CHAT}, "name": "note", "answer": "hi", "messageId": "0"},
    ]


def test_media_annotations_become_labels_pre_labels_and_predictions(client: lb.Client, world: World) -> None:
    labels = lb.LabelImport.create_from_objects(client, world.project_id, "media", _media_rows())
    created = labels.state  # a local: mypy would carry the narrowing past wait_till_done
    assert created is State.RUNNING and labels.status_file_url is None  # Labelbox's creation answer
    labels.wait_till_done()
    assert labels.state is State.FINISHED and labels.errors == []
    assert len(labels.statuses) == 5 and isinstance(labels.statuses[0]["uuid"], str)

    pre = lb.MALPredictionImport.create_from_objects(client, world.project_id, "media-pre", _media_rows())
    assert pre.errors == []

    run = client.get_model(world.model_id).create_model_run("media")
    run.upsert_data_rows(global_keys=list(MEDIA_ROWS))
    assert run.add_predictions("media", _media_rows()).errors == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(page=st.integers(-2, 5))
def test_a_document_page_counts_from_one(client: lb.Client, world: World, page: int) -> None:
    row = {"uuid": str(uuid.uuid4()), "dataRow": {"globalKey": DOCUMENT}, "name": "box", "page": page,
           "unit": "POINTS", "bbox": BOX}
    imported = lb.MALPredictionImport.create_from_objects(client, world.project_id, f"page-{uuid.uuid4()}", [row])
    (status,) = imported.statuses
    assert status["status"] == ("SUCCESS" if page >= 1 else "FAILURE")


@pytest.mark.parametrize("change, message", [
    ({"segments": [{"keyframes": [{"frame": 2}]}]}, "segments[0].keyframes[0].bbox: a keyframe of this tool needs"),
    ({"frames": [{"start": 5, "end": 2}]}, "frames[0].end: must not be before start"),
    ({"messageId": 4}, "messageId: must be a non-empty string"),
])
def test_a_misplaced_annotation_fails_alone_saying_where(client: lb.Client, world: World,
                                                         change: dict[str, Any], message: str) -> None:
    good = _media_rows()[1]
    key = CHAT if "messageId" in change else VIDEO
    bad = {"uuid": "bad", "dataRow": {"globalKey": key}, "name": "tags", "answer": [{"name": "b"}], **change}
    if "segments" in change:  # a video object: named by the import, geometry in its keyframes
        bad = {"dataRow": {"globalKey": VIDEO}, "name": "box", **change}
    imported = lb.LabelImport.create_from_objects(client, world.project_id, "broken", [good, bad])
    assert [s["status"] for s in imported.statuses] == ["SUCCESS", "FAILURE"]
    assert imported.errors[0]["errors"][0]["message"].startswith(message)
