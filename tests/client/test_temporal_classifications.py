"""Temporal classifications (`types.TemporalClassificationText`, `...Question`, `...Answer`): checked when
built, written as the SDK writes them (tests/contract/test_sdk_temporal_serialization.py compares the rows),
imported through the mock into labels and model runs, and filed by `Label.frame_annotations()`."""

from __future__ import annotations

import logging
import uuid
from typing import Any

import pytest
from hypothesis import given, settings

import labelbox_lite as lb
from labelbox_lite import types as lb_types
from labelbox_lite.annotation_import import AnnotationImportState as State
from labelbox_lite.ndjson import serialize_labels
from mockserver import MockLabelbox

from ..support import World, standard_seed, world_from
from ..support.temporal_strategies import build, temporal_specs

VIDEO, AUDIO = "gk-0", "gk-3"
Answer, Question, Text = (lb_types.TemporalClassificationAnswer, lb_types.TemporalClassificationQuestion,
                          lb_types.TemporalClassificationText)


@pytest.fixture
def world(mock: MockLabelbox) -> World:
    return world_from(mock.seed(standard_seed(10, media={VIDEO: "VIDEO", AUDIO: "AUDIO"})), 10)


def _temporal(first: int) -> list[Any]:
    """A radio that changes option, a checklist of two options, a text of two values, from `first`."""
    return [
        Question(name="quality", value=[Answer(name="good", frames=[(first, 4)]), Answer(name="bad", frames=[(6, 7)])]),
        Question(name="tags", value=[Answer(name="a", frames=[(first, 2), (5, 5)]), Answer(name="b", frames=[(2, 3)])]),
        Text(name="note", value=[(first, 1, "hello"), (3, 3, "bye")]),
    ]


def test_temporal_classifications_import_into_labels_and_model_runs(client: lb.Client, world: World) -> None:
    video_row = client.get_data_row_by_global_key(VIDEO).uid
    labels = [lb_types.Label(data={"uid": video_row}, annotations=_temporal(1)),  # by id: the SDK cannot
              lb_types.Label(data={"global_key": AUDIO}, annotations=_temporal(0))]
    imported = lb.LabelImport.create_from_objects(client, world.project_id, "temporal", labels)
    imported.wait_till_done()
    assert imported.state is State.FINISHED and imported.errors == []
    assert len(imported.statuses) == 6 and {s["status"] for s in imported.statuses} == {"SUCCESS"}

    run = client.get_model(world.model_id).create_model_run(f"run-{uuid.uuid4().hex[:8]}")
    run.upsert_data_rows(global_keys=[VIDEO, AUDIO])
    predictions = run.add_predictions("temporal", labels)
    predictions.wait_till_done()
    assert predictions.errors == [] and len(predictions.statuses) == 6


def test_a_radio_holding_two_options_at_once_is_refused_by_the_mock(client: lb.Client, world: World) -> None:
    run = client.get_model(world.model_id).create_model_run("overlapping")
    run.upsert_data_rows(global_keys=[AUDIO])
    both = Question(name="quality", value=[Answer(name="good", frames=[(0, 5)]), Answer(name="bad", frames=[(5, 9)])])
    imported = run.add_predictions("broken", [lb_types.Label(data={"global_key": AUDIO}, annotations=[both])])
    imported.wait_till_done()  # the import finishes; its row failed
    (error,) = imported.errors
    assert error["errors"][0]["message"].startswith("answer[1].frames: radio 'quality' holds one option at a time")


@settings(max_examples=150, deadline=None)
@given(specs=temporal_specs)
def test_each_row_holds_an_answer_once_and_nests_only_within_its_frames(specs: list[Any]) -> None:
    logging.disable(logging.WARNING)  # what is dropped is warned about
    try:
        rows = serialize_labels([lb_types.Label(data={"global_key": AUDIO}, annotations=[build(lb_types, s)
                                                                                           for s in specs])])
    finally:
        logging.disable(logging.NOTSET)
    assert len({row["name"] for row in rows}) == len(rows)
    for row in rows:
        assert list(row) == ["name", "answer", "dataRow"] and row["dataRow"] == {"globalKey": AUDIO}
        _check_answers(row["answer"], None)


def _check_answers(answers: list[dict[str, Any]], within: list[tuple[int, int]] | None) -> None:
    assert answers
    keys = [answer.get("name", answer.get("value")) for answer in answers]
    assert len(set(keys)) == len(keys)
    for answer in answers:
        spans = [(f["start"], f["end"]) for f in answer["frames"]]
        assert spans and len(set(spans)) == len(spans)
        if within is not None:
            assert all(any(s <= start and end <= e for s, e in within) for start, end in spans)
        for nested in answer.get("classifications", []):
            assert list(nested) == ["name", "answer"]
            _check_answers(nested["answer"], spans)


@settings(max_examples=50, deadline=None)
@given(specs=temporal_specs)
def test_frame_annotations_file_each_by_its_first_range(specs: list[Any]) -> None:
    built = [build(lb_types, s) for s in specs]
    filed = lb_types.Label(data={"global_key": AUDIO}, annotations=built).frame_annotations()
    for annotation in built:
        first = (annotation.value[0][0] if isinstance(annotation, Text) and annotation.value else
                 annotation.value[0].frames[0][0] if isinstance(annotation, Question) and annotation.value
                 and annotation.value[0].frames else None)
        placed = [frame for frame, held in filed.items() if any(a is annotation for a in held)]
        assert placed == ([] if first is None else [first])


@pytest.mark.parametrize("make, error, message", [
    (lambda: Answer(name="a", frames=[(5, 1)]), ValueError, "starts after it ends"),
    (lambda: Answer(name="a", frames=[("0", 1)]), TypeError, "is an integer"),
    (lambda: Answer(name="a", frames=[(0, 1, 2)]), TypeError, r"is a \(start_frame, end_frame\) pair"),
    (lambda: Answer(name="a", frames=[(True, 1)]), TypeError, "is an integer"),
    (lambda: Text(name="t", value=[(0, 1)]), TypeError, r"\(start_frame, end_frame, text\) triple"),
    (lambda: Text(name="t", value=[(0, 1, 2)]), TypeError, r"\(start_frame, end_frame, text\) triple"),
    (lambda: Question(name="q", value=[{"name": "a"}]), TypeError, "list of TemporalClassificationAnswer"),
    (lambda: Question(name="q", classifications=[Answer(name="a")]), TypeError, "nested classifications are"),
    (lambda: Text(name=None, value=[]), TypeError, "name is a str"),  # type: ignore[arg-type]
])
def test_a_bad_temporal_classification_fails_where_it_is_written(make: Any, error: type[Exception],
                                                                 message: str) -> None:
    with pytest.raises(error, match=message):
        make()


def test_one_name_as_both_a_text_and_a_question_is_refused() -> None:
    label = lb_types.Label(data={"global_key": AUDIO}, annotations=[
        Text(name="note", value=[(0, 1, "x")]), Question(name="note", value=[Answer(name="a", frames=[(0, 1)])])])
    with pytest.raises(TypeError, match="'note' is given both as a text and as a question"):
        serialize_labels([label])
