"""The real SDK's temporal classifications (video and audio) and video masks, serialized by the SDK itself,
imported as ground truth and as model-run predictions: every row is accepted, and a video's label comes
back in the project export frame by frame, as Labelbox exports it (label_kind Video, `frames`)."""

from __future__ import annotations

import base64
import uuid
from typing import Any

import pytest

from ..support import World, standard_seed, world_from
from .conftest import SdkTarget, labelbox

lb_types = pytest.importorskip("labelbox.types")

VIDEO, AUDIO = "gk-0", "gk-3"
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")

# the SDK's serializer writes a mask frame's bytes as base64 text where its model declares bytes
pytestmark = pytest.mark.filterwarnings("ignore:Pydantic serializer warnings:UserWarning")


def _answer(name: str, *frames: tuple[int, int]) -> Any:
    return lb_types.TemporalClassificationAnswer(name=name, frames=list(frames))


def _temporal(first: int) -> list[Any]:
    """A radio that changes option, a checklist of two options, a text of two values: from `first`."""
    return [
        lb_types.TemporalClassificationQuestion(name="quality", value=[_answer("good", (first, 4)),
                                                                       _answer("bad", (6, 7))]),
        lb_types.TemporalClassificationQuestion(name="tags", value=[_answer("a", (first, 2), (5, 5)),
                                                                    _answer("b", (2, 3))]),
        lb_types.TemporalClassificationText(name="note", value=[(first, 1, "hello"), (3, 3, "bye")]),
    ]


def _labels() -> list[Any]:
    masks = lb_types.VideoMaskAnnotation(
        frames=[lb_types.MaskFrame(index=1, instance_uri="https://storage.example.com/mask-1.png"),
                lb_types.MaskFrame(index=2, im_bytes=PNG)],
        instances=[lb_types.MaskInstance(color_rgb=(0, 0, 255), name="mask")])
    return [lb_types.Label(data={"global_key": VIDEO}, annotations=[*_temporal(1), masks]),
            lb_types.Label(data={"global_key": AUDIO}, annotations=_temporal(0))]


@pytest.fixture
def media_world(sdk: SdkTarget) -> World:
    return world_from(sdk.seed(standard_seed(10, media={VIDEO: "VIDEO", AUDIO: "AUDIO"})), 10)


def test_temporal_classifications_and_video_masks_import_and_export_by_frame(
        sdk: SdkTarget, media_world: World) -> None:
    imported = labelbox.LabelImport.create_from_objects(sdk.client, media_world.project_id, "temporal", _labels())
    imported.wait_till_done()
    assert imported.state == labelbox.AnnotationImportState.FINISHED
    assert imported.errors == []
    statuses = imported.statuses
    assert len(statuses) == 7 and {s["status"] for s in statuses} == {"SUCCESS"}
    assert all(isinstance(s["uuid"], str) for s in statuses)  # the temporal rows came without one

    task = sdk.client.get_project(media_world.project_id).export(params={"label_details": True})
    task.wait_till_done()
    rows = {row.json["data_row"]["global_key"]: row.json for row in task.get_buffered_stream()}
    (video_label,) = [label for label in rows[VIDEO]["projects"][media_world.project_id]["labels"]
                      if label["annotations"]["frames"]]
    assert video_label["label_kind"] == "Video"
    frames = video_label["annotations"]["frames"]
    assert sorted(map(int, frames)) == [1, 2, 3, 4, 5, 6, 7]

    def at(frame: int, name: str) -> dict[str, Any] | None:
        return next((c for c in frames[str(frame)]["classifications"] if c["name"] == name), None)

    assert at(4, "quality")["radio_answer"]["name"] == "good"  # type: ignore[index]
    assert at(6, "quality")["radio_answer"]["name"] == "bad"  # type: ignore[index]
    assert at(5, "quality") is None
    assert [a["name"] for a in at(2, "tags")["checklist_answers"]] == ["a", "b"]  # type: ignore[index]
    assert at(1, "note")["text_answer"] == {"content": "hello"}  # type: ignore[index]
    assert at(3, "note")["text_answer"] == {"content": "bye"}  # type: ignore[index]

    audio = [c for label in rows[AUDIO]["projects"][media_world.project_id]["labels"]
             for c in label["annotations"]["classifications"]]
    quality = next(c for c in audio if c["name"] == "quality")
    assert [(a["name"], a["frames"]) for a in quality["radio_answers"]] == [
        ("good", [{"start": 0, "end": 4}]), ("bad", [{"start": 6, "end": 7}])]


def test_model_run_predictions_take_them_and_refuse_a_broken_range(sdk: SdkTarget, media_world: World) -> None:
    run = sdk.client.get_model(media_world.model_id).create_model_run(f"run-{uuid.uuid4().hex[:8]}")
    assert run.upsert_data_rows(global_keys=[VIDEO, AUDIO]) is True
    imported = run.add_predictions("temporal", _labels())
    imported.wait_till_done()
    assert imported.errors == [] and len(imported.statuses) == 7

    broken = [{"name": "quality", "dataRow": {"globalKey": AUDIO},
               "answer": [{"name": "good", "frames": [{"start": 0, "end": 5}]},
                          {"name": "bad", "frames": [{"start": 5, "end": 9}]}]}]
    failed = run.add_predictions("broken", broken)
    failed.wait_till_done()
    (error,) = failed.errors
    assert error["errors"][0]["message"].startswith("answer[1].frames: radio 'quality' holds one option at a time")
