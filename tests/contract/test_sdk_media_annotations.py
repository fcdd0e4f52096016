"""The real SDK's annotation types for other media (video, documents, conversations), serialized by the SDK
itself and imported as ground truth and pre-labels: every row is accepted, and broken ones say where."""

from __future__ import annotations

import pytest

from ..support import MEDIA_ROWS, World, standard_seed, world_from
from .conftest import SdkTarget, labelbox

lb_types = pytest.importorskip("labelbox.types")

BOX = {"start": {"x": 146.0, "y": 98.0}, "end": {"x": 382.0, "y": 341.0}}


def _rectangle() -> object:
    return lb_types.Rectangle(start=lb_types.Point(**BOX["start"]), end=lb_types.Point(**BOX["end"]))


def _labels() -> list[object]:
    video = [
        lb_types.VideoObjectAnnotation(name="box", keyframe=True, frame=frame, segment_index=0, value=_rectangle())
        for frame in (13, 19)
    ] + [
        lb_types.VideoObjectAnnotation(name="dot", keyframe=True, frame=17, segment_index=0,
                                       value=lb_types.Point(x=1, y=2)),
        *[lb_types.VideoClassificationAnnotation(name="quality", frame=frame, segment_index=0,
                                                 value=lb_types.Radio(answer=lb_types.ClassificationAnswer(name="good")))
          for frame in (9, 15)],
    ]
    document = [
        lb_types.ObjectAnnotation(name="entity", value=lb_types.DocumentEntity(text_selections=[
            lb_types.DocumentTextSelection(token_ids=["t-1", "t-2"], group_id="g-1", page=1)])),
        lb_types.ObjectAnnotation(name="box", value=lb_types.DocumentRectangle(
            start=lb_types.Point(x=1, y=2), end=lb_types.Point(x=3, y=4), page=2, unit=lb_types.RectangleUnit.POINTS)),
    ]
    conversation = [
        lb_types.ObjectAnnotation(name="entity", value=lb_types.ConversationEntity(start=0, end=8, message_id="4")),
        lb_types.ClassificationAnnotation(name="note", value=lb_types.Text(answer="fine"), message_id="0"),
    ]
    return [lb_types.Label(data={"global_key": key}, annotations=annotations)
            for key, annotations in (("gk-0", video), ("gk-1", document), ("gk-2", conversation))]


@pytest.fixture
def sdk_world(sdk: SdkTarget) -> World:
    """The standard world, with a video (gk-0), a document (gk-1) and a conversation (gk-2) among its rows."""
    return world_from(sdk.seed(standard_seed(10, media=MEDIA_ROWS)), 10)


def test_video_document_and_conversation_annotations_import_as_labels_and_pre_labels(
        sdk: SdkTarget, sdk_world: World) -> None:
    client = sdk.client
    ground_truth = labelbox.LabelImport.create_from_objects(client, sdk_world.project_id, "media", _labels())
    assert ground_truth.state == labelbox.AnnotationImportState.RUNNING and ground_truth.status_file_url is None
    ground_truth.wait_till_done()
    assert ground_truth.state == labelbox.AnnotationImportState.FINISHED
    assert ground_truth.errors == []
    statuses = ground_truth.statuses
    assert len(statuses) == 7 and {s["status"] for s in statuses} == {"SUCCESS"}
    assert all(isinstance(s["uuid"], str) for s in statuses)  # the video objects came without one

    pre = labelbox.MALPredictionImport.create_from_objects(client, sdk_world.project_id, "media-pre", _labels())
    pre.wait_till_done()
    assert pre.errors == []


def test_a_misplaced_video_keyframe_fails_its_row(sdk: SdkTarget, sdk_world: World) -> None:
    rows = [{"dataRow": {"globalKey": "gk-0"}, "name": "box",
             "segments": [{"keyframes": [{"frame": 0, "bbox": {"top": 1, "left": 1, "height": 2, "width": 2}}]}]}]
    imported = labelbox.MALPredictionImport.create_from_objects(sdk.client, sdk_world.project_id, "bad", rows)
    (error,) = imported.errors
    assert error["errors"][0]["message"].startswith("segments[0].keyframes[0].frame: must be a frame number")
