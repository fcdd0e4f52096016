"""The real SDK (labelbox 7.17.0) through model-run exports, in-process and standalone.

Exports stay immediate: the SDK's wait_till_done sleeps two real seconds per
poll, and it caches each task's metadata header for the whole process.
"""

from __future__ import annotations

from typing import Any

import pytest

from mockserver.engines.export import Chunking

from ..support.exports import RowSpec, build_run, org_of
from .conftest import SdkTarget, labelbox

pytestmark = pytest.mark.skipif(not labelbox.__version__.startswith("7."), reason="exports as labelbox 7.x has them")

lbox_exceptions = pytest.importorskip("lbox.exceptions")

ROWS = [
    RowSpec(global_key="gk-0", labels=1, predictions=["box", "tags"], split="TRAINING"),
    RowSpec(global_key="gk-1", external_id="\u00e9t\u00e9", labels=2, split="VALIDATION"),
    RowSpec(global_key="gk-2", predictions=["note"]),
    RowSpec(global_key="gk-3", in_run=False),
]
CHUNK_BYTES = 300
PARAMS = {"media_attributes": True, "predictions": True, "model_run_details": True, "data_row_details": True}


def _run(row: dict[str, Any], model_id: str, run_id: str) -> dict[str, Any]:
    run: dict[str, Any] = row["experiments"][model_id]["runs"][run_id]
    return run


@pytest.mark.parametrize("align", [True, False], ids=["whole-lines", "straddling"])
def test_export_streams_every_row(sdk: SdkTarget, align: bool) -> None:
    built = build_run(sdk.backend, ROWS)
    sdk.backend.exports.set_chunking(Chunking(CHUNK_BYTES, align_to_lines=align))
    task = sdk.client.get_model_run(built.run_id).export("contract", params=PARAMS)
    assert isinstance(task, labelbox.ExportTask)
    task.wait_till_done()
    assert (task.status, task.name) == ("COMPLETE", "contract")
    assert task.has_result() and not task.has_errors()
    assert task.get_total_lines(labelbox.StreamType.RESULT) == 3
    assert task.get_total_file_size(labelbox.StreamType.RESULT) > 2 * CHUNK_BYTES  # several chunks

    handled: list[Any] = []
    task.get_buffered_stream().start(stream_handler=lambda output: handled.append(output.json))
    iterated = [output.json for output in task.get_buffered_stream(labelbox.StreamType.RESULT)]
    assert handled == iterated
    rows = {row["data_row"]["id"]: row for row in handled}
    assert set(rows) == set(built.data_row_ids[:3])
    for index in range(3):
        row = rows[built.data_row_ids[index]]
        assert row["data_row"]["global_key"] == ROWS[index].global_key
        assert row["media_attributes"] is not None
        run = _run(row, built.model_id, built.run_id)
        assert [label["id"] for label in run["labels"]] == built.label_ids[index]
        split = ROWS[index].split
        assert run["split"] == (split.lower() if split else None)
        predicted = [a["feature_id"] for p in run["predictions"] for kind in ("objects", "classifications")
                     for a in p["annotations"][kind]]
        assert sorted(predicted) == sorted(built.prediction_uuids[index])
    assert rows[built.data_row_ids[1]]["data_row"]["external_id"] == "\u00e9t\u00e9"
    with pytest.raises(ValueError, match="does not have a ERRORS stream"):
        task.get_buffered_stream(labelbox.StreamType.ERRORS)


def test_errors_stream(sdk: SdkTarget) -> None:
    built = build_run(sdk.backend, ROWS)
    del org_of(sdk.backend).data_rows[built.data_row_ids[1]]
    task = sdk.client.get_model_run(built.run_id).export()
    task.wait_till_done()
    assert task.has_errors() and task.get_total_lines(labelbox.StreamType.ERRORS) == 1
    errors: list[Any] = []
    task.get_buffered_stream(labelbox.StreamType.ERRORS).start(stream_handler=lambda output: errors.append(output.json))
    assert [error["data_row_id"] for error in errors] == [built.data_row_ids[1]]
    assert task.get_total_lines(labelbox.StreamType.RESULT) == 2


def test_export_v2(sdk: SdkTarget) -> None:
    built = build_run(sdk.backend, ROWS)
    run = sdk.client.get_model_run(built.run_id)
    with pytest.warns(DeprecationWarning, match="export_v2 for ModelRun is deprecated"):
        task = run.export_v2("legacy", params={"media_attributes": True, "predictions": True})
    assert isinstance(task, labelbox.ExportTask)
    task.wait_till_done()
    assert task.errors is None and task.errors_url is None
    assert {row["data_row"]["id"] for row in task.result} == set(built.data_row_ids[:3])
    assert task.result_url.endswith(f"/export-results/{task.uid}/{sdk.client.get_organization().uid}")


def test_an_empty_run(sdk: SdkTarget) -> None:
    built = build_run(sdk.backend, [RowSpec(in_run=False)])
    with pytest.warns(DeprecationWarning):
        task = sdk.client.get_model_run(built.run_id).export_v2()
    task.wait_till_done()
    assert not task.has_result() and task.get_total_lines(labelbox.StreamType.RESULT) is None
    assert task.result == []


def test_an_unknown_or_deleted_run(sdk: SdkTarget) -> None:
    with pytest.raises(lbox_exceptions.ResourceNotFoundError):
        sdk.client.get_model_run("no-such-run")
    built = build_run(sdk.backend, ROWS)
    run = sdk.client.get_model_run(built.run_id)
    run.delete()
    tasks_before = len(org_of(sdk.backend).tasks)
    # the mock answers RESOURCE_NOT_FOUND; 7.17.0 turns that into None and then fails on it
    with pytest.raises(TypeError):
        run.export()
    assert len(org_of(sdk.backend).tasks) == tasks_before
