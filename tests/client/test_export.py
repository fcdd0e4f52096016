"""ModelRun.export, export_v2 and export_labels through labelbox_lite, against the mock."""

from __future__ import annotations

import enum
import warnings
from typing import Any

import pytest

import labelbox_lite as lb
from labelbox_lite.exceptions import ResourceNotFoundError, TaskFailedError
from mockserver import MockLabelbox, RunningServer
from mockserver.engines.export import Chunking

from ..support import FakeTime
from ..support.exports import BuiltRun, RowSpec, build_run, model_run, org_of

ROWS = [
    RowSpec(global_key="gk-0", external_id="ext-0", labels=1, predictions=["box", "quality"], split="TRAINING"),
    RowSpec(global_key="gk-1", labels=2, split="TEST"),
    RowSpec(global_key="gk-2", predictions=["note"]),
    RowSpec(global_key="gk-3", in_run=False),
]


@pytest.fixture
def built(mock: MockLabelbox) -> BuiltRun:
    return build_run(mock.backend, ROWS)


@pytest.fixture
def run(client: lb.Client, built: BuiltRun) -> lb.ModelRun:
    return client.get_model_run(built.run_id)


def _rows(task: lb.ExportTask, stream: lb.StreamType = lb.StreamType.RESULT) -> list[dict[str, Any]]:
    return [output.json for output in task.get_buffered_stream(stream)]


def _operations(mock: MockLabelbox, name: str) -> int:
    return sum(1 for entry in mock.requests if entry.operation == name)


# -- export ----------------------------------------------------------------------------

def test_export_streams_one_row_per_model_run_data_row(run: lb.ModelRun, built: BuiltRun) -> None:
    task = run.export("nightly", params={"predictions": True, "model_run_details": True})
    task.wait_till_done()
    assert (task.name, task.status, task.completion_percentage) == ("nightly", "COMPLETE", 100.0)
    assert task.created_at is not None and task.updated_at is not None
    rows = {row["data_row"]["id"]: row for row in _rows(task)}
    assert set(rows) == set(built.data_row_ids[:3])
    first = rows[built.data_row_ids[0]]["experiments"][built.model_id]["runs"][built.run_id]
    assert first["name"] == "run" and first["split"] == "training"
    assert [label["id"] for label in first["labels"]] == built.label_ids[0]
    [prediction] = first["predictions"]
    assert prediction["annotations"]["objects"][0]["annotation_kind"] == "ImageBoundingBox"
    assert prediction["annotations"]["classifications"][0]["radio_answer"]["name"] == "good"
    assert task.get_total_lines(lb.StreamType.RESULT) == 3
    assert task.get_total_file_size(lb.StreamType.RESULT) == sum(
        len(line) for line in _raw_lines(run.client, task))


def _raw_lines(client: lb.Client, task: lb.ExportTask) -> list[bytes]:
    from ..support.exports import raw_chunks

    total = task.get_total_file_size(lb.StreamType.RESULT)
    assert total is not None
    return b"".join(body for _chunk, body in raw_chunks(client, task.uid, total)).splitlines(keepends=True)


def test_default_params_leave_optional_parts_out(run: lb.ModelRun) -> None:
    task = run.export()
    task.wait_till_done()
    row = _rows(task)[0]
    assert set(row) == {"data_row", "media_attributes", "experiments"}
    assert set(row["data_row"]) == {"id", "global_key", "external_id", "row_data"}
    assert row["media_attributes"] == {"mime_type": "image/jpeg"}


def test_every_param_adds_its_part(run: lb.ModelRun, built: BuiltRun) -> None:
    params: lb.ModelRunExportParams = {
        "data_row_details": True, "metadata_fields": True, "attachments": True, "embeddings": True,
        "predictions": True, "model_run_details": True, "media_attributes": True,
    }
    task = run.export(params=params)
    task.wait_till_done()
    row = _rows(task)[0]
    assert {"metadata_fields", "attachments", "embeddings"} <= set(row)
    assert set(row["data_row"]["details"]) == {"dataset_id", "dataset_name", "created_at", "updated_at",
                                               "last_activity_at", "created_by"}


def test_streaming_is_lazy_one_chunk_at_a_time(mock: MockLabelbox, run: lb.ModelRun) -> None:
    task = run.export()
    task.wait_till_done()
    mock.set_export_chunking(1, align_to_lines=True)  # one line per chunk
    stream = iter(task.get_buffered_stream())
    next(stream)
    assert _operations(mock, "GetExportFileFromOffsetPyApi") == 1
    assert len(list(stream)) == 2
    assert _operations(mock, "GetExportFileFromOffsetPyApi") == 3


def test_a_line_cut_at_every_byte_is_joined(mock: MockLabelbox, client: lb.Client) -> None:
    built = build_run(mock.backend, [RowSpec(global_key="only", external_id="\u00e9t\u00e9")])
    task = client.get_model_run(built.run_id).export()
    task.wait_till_done()
    mock.set_export_chunking(1, align_to_lines=False)
    [row] = _rows(task)
    assert (row["data_row"]["global_key"], row["data_row"]["external_id"]) == ("only", "\u00e9t\u00e9")
    assert _operations(mock, "GetExportFileFromOffsetPyApi") == task.get_total_file_size(lb.StreamType.RESULT)


@pytest.mark.parametrize("chunk_bytes", [13, 100, 10_000])
def test_lines_straddling_chunks_are_joined(mock: MockLabelbox, run: lb.ModelRun, chunk_bytes: int) -> None:
    task = run.export(params={"predictions": True})
    task.wait_till_done()
    whole = [row["data_row"]["id"] for row in _rows(task)]
    mock.set_export_chunking(chunk_bytes, align_to_lines=False)
    collected: list[str] = []
    task.get_buffered_stream().start(stream_handler=lambda output: collected.append(output.json["data_row"]["id"]))
    assert collected == whole


def test_the_metadata_header_is_fetched_once_per_stream(mock: MockLabelbox, run: lb.ModelRun) -> None:
    task = run.export()
    task.wait_till_done()
    assert task.has_result() and not task.has_errors()
    task.get_total_lines(lb.StreamType.RESULT)
    task.get_total_file_size(lb.StreamType.RESULT)
    task.get_buffered_stream()
    assert _operations(mock, "GetExportMetadataHeaderPyApi") == 2


def test_export_is_a_snapshot_of_the_run_when_asked_for(mock: MockLabelbox, client: lb.Client,
                                                       run: lb.ModelRun, built: BuiltRun) -> None:
    mock.set_transition("export", progression="reads", times=2)
    task = run.export(params={"model_run_details": True})
    assert task.status == "IN_PROGRESS"
    run.delete_model_run_data_rows([built.data_row_ids[1]])
    model_run(mock.backend, built.run_id).rows[built.data_row_ids[0]].split = "VALIDATION"
    task.wait_till_done()
    rows = {row["data_row"]["id"]: row for row in _rows(task)}
    assert set(rows) == set(built.data_row_ids[:3])
    assert rows[built.data_row_ids[0]]["experiments"][built.model_id]["runs"][built.run_id]["split"] == "training"
    later = run.export()
    later.wait_till_done()
    assert later.get_total_lines(lb.StreamType.RESULT) == 2


def test_an_empty_run_has_no_result_stream(client: lb.Client, mock: MockLabelbox) -> None:
    built = build_run(mock.backend, [RowSpec(in_run=False)])
    task = client.get_model_run(built.run_id).export()
    task.wait_till_done()
    assert not task.has_result()
    assert task.get_total_lines(lb.StreamType.RESULT) is None
    with pytest.raises(ValueError, match=f"Task {task.uid} does not have a RESULT stream"):
        task.get_buffered_stream()


def test_rows_that_cannot_be_exported_go_to_the_errors_stream(mock: MockLabelbox, run: lb.ModelRun,
                                                             built: BuiltRun) -> None:
    del org_of(mock.backend).data_rows[built.data_row_ids[2]]
    task = run.export()
    task.wait_till_done()
    assert task.has_errors()
    assert task.get_total_lines(lb.StreamType.RESULT) == 2
    [error] = _rows(task, lb.StreamType.ERRORS)
    assert error["data_row_id"] == built.data_row_ids[2]
    assert "no longer exists" in error["error"]


def test_status_checks_come_before_any_request(mock: MockLabelbox, run: lb.ModelRun) -> None:
    mock.set_transition("export", progression="reads", times=5)
    task = run.export()
    sent = len(mock.requests)
    with pytest.raises(lb.ExportTask.ExportTaskException, match="not ready yet: it is IN_PROGRESS"):
        task.has_result()
    with pytest.raises(lb.ExportTaskException):
        task.get_buffered_stream()
    assert len(mock.requests) == sent


def test_a_failed_export_says_so(mock: MockLabelbox, run: lb.ModelRun) -> None:
    mock.set_transition("export", progression="reads", times=1, outcome="FAILED", error="disk full")
    task = run.export()
    with pytest.raises(TaskFailedError, match="disk full"):
        task.wait_till_done()
    with pytest.raises(lb.ExportTaskException, match="failed: disk full"):
        task.has_result()


def test_wait_till_done_polls_on_the_injected_clock(mock: MockLabelbox, run: lb.ModelRun,
                                                   fake_time: FakeTime) -> None:
    mock.set_transition("export", progression="reads", times=3)
    task = run.export()
    task.wait_till_done(timeout_seconds=60)
    assert task.status == "COMPLETE"
    # the task is read on creation, then at once and after each two-second sleep
    assert fake_time.sleeps == [2.0, 2.0]


def test_exporting_an_unknown_or_deleted_run_names_it(client: lb.Client, run: lb.ModelRun) -> None:
    with pytest.raises(ResourceNotFoundError, match="no-such-run"):
        client.get_model_run("no-such-run").export()
    run.delete()
    with pytest.raises(ResourceNotFoundError, match=f"ModelRun not found: id '{run.uid}'"):
        run.export()


def test_export_only_properties_need_export_v2(run: lb.ModelRun) -> None:
    task = run.export()
    task.wait_till_done()
    assert task.result is None  # the task's own result field
    for name in ("errors", "result_url", "errors_url"):
        with pytest.raises(lb.ExportTaskException, match=f"{name} is only available on tasks from ModelRun.export_v2"):
            getattr(task, name)


def test_export_task_by_id(client: lb.Client, run: lb.ModelRun) -> None:
    task = run.export("again")
    fetched = lb.ExportTask.get_task(client, task.uid)
    assert fetched == task and fetched.name == "again" and repr(fetched) == f"<ExportTask ID: {task.uid}>"


# -- params ------------------------------------------------------------------------------

def _sent_params(mock: MockLabelbox) -> dict[str, Any]:
    [entry] = [e for e in mock.requests if e.operation == "exportDataRowsInModelRunPyApi"]
    return entry.variables["input"]  # type: ignore[no-any-return]


def test_unknown_params_are_named_in_a_warning_and_not_sent(mock: MockLabelbox, run: lb.ModelRun) -> None:
    with pytest.warns(lb.UnknownExportParamWarning, match="'label_details', 'projects'") as caught:
        run.export(params={"predictions": True, "label_details": True, "projects": ["x"]})  # type: ignore[arg-type]
    assert caught[0].filename == __file__
    sent = _sent_params(mock)
    assert sent["params"] == {
        "mediaTypeOverride": None, "includeAttachments": False, "includeEmbeddings": False, "includeMetadata": False,
        "includeDataRowDetails": False, "includePredictions": True, "includeModelRunDetails": False,
    }
    assert (sent["streamable"], sent["isStreamableReady"], sent["filters"]) == (True, True, {"modelRunId": run.uid})


def test_media_attributes_is_accepted_without_a_warning(run: lb.ModelRun) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run.export(params={"media_attributes": True})


class MediaType(enum.Enum):
    Image = "IMAGE"


@pytest.mark.parametrize("given", [MediaType.Image, "IMAGE", "image"])
def test_media_type_override_takes_an_enum_or_its_name(mock: MockLabelbox, run: lb.ModelRun, given: object) -> None:
    run.export(params={"media_type_override": given})
    assert _sent_params(mock)["params"]["mediaTypeOverride"] == "IMAGE"


@pytest.mark.parametrize(("params", "message"), [
    ({"predictions": "yes"}, "'predictions' must be True, False or None, got 'yes'"),
    ({"media_type_override": "PHOTO"}, "'media_type_override' must be one of"),
])
def test_bad_param_values_are_refused_before_sending(mock: MockLabelbox, run: lb.ModelRun, params: dict[str, Any],
                                                     message: str) -> None:
    sent = len(mock.requests)
    with pytest.raises(ValueError, match=message):
        run.export(params=params)  # type: ignore[arg-type]
    assert len(mock.requests) == sent


# -- export_v2 -------------------------------------------------------------------------------

def test_export_v2_warns_and_answers_lists(run: lb.ModelRun, client: lb.Client, built: BuiltRun) -> None:
    with pytest.warns(DeprecationWarning, match="export_v2 for ModelRun is deprecated") as caught:
        task = run.export_v2("legacy")
    assert caught[0].filename == __file__
    assert isinstance(task, lb.ExportTask)
    task.wait_till_done()
    assert {row["data_row"]["id"] for row in task.result} == set(built.data_row_ids[:3])
    assert task.errors is None and task.errors_url is None
    org = client.get_organization().uid
    assert task.result_url == f"{client.rest_endpoint}/export-results/{task.uid}/{org}"


def test_export_v2_errors_and_errors_url(mock: MockLabelbox, run: lb.ModelRun, client: lb.Client,
                                         built: BuiltRun) -> None:
    del org_of(mock.backend).data_rows[built.data_row_ids[0]]
    with pytest.warns(DeprecationWarning):
        task = run.export_v2()
    assert isinstance(task, lb.ExportTask)
    task.wait_till_done()
    assert [error["data_row_id"] for error in task.errors or []] == [built.data_row_ids[0]]
    assert task.errors_url == f"{client.rest_endpoint}/export-errors/{task.uid}/{client.get_organization().uid}"


# -- export_labels -----------------------------------------------------------------------------

def test_export_labels_answers_a_url_or_the_rows(run: lb.ModelRun, built: BuiltRun) -> None:
    url = run.export_labels()
    assert isinstance(url, str) and "/_files/" in url
    rows = run.export_labels(download=True)
    assert isinstance(rows, list)
    assert sorted(row["ID"] for row in rows) == sorted(label for labels in built.label_ids for label in labels)
    first = next(row for row in rows if row["ID"] == built.label_ids[0][0])
    assert (first["DataRow ID"], first["Global Key"], first["Data Split"]) == (built.data_row_ids[0], "gk-0", "training")
    assert first["Label"]["objects"][0]["bbox"] == {"top": 0, "left": 0, "height": 1, "width": 1}


def test_export_labels_goes_to_the_experimental_endpoint(mock: MockLabelbox, run: lb.ModelRun) -> None:
    run.export_labels()
    [entry] = [e for e in mock.requests if e.operation == "exportModelRunAnnotationsPyApi"]
    assert entry.path == "/_gql"


def test_export_labels_needs_experimental_features(mock: MockLabelbox, built: BuiltRun) -> None:
    plain = lb.Client(api_key=mock.api_key)
    with pytest.raises(RuntimeError, match="enable_experimental=True"):
        plain.get_model_run(built.run_id).export_labels()


def test_export_labels_polls_until_the_file_is_ready(mock: MockLabelbox, run: lb.ModelRun,
                                                     fake_time: FakeTime) -> None:
    mock.set_transition("export", progression="reads", times=2)
    assert isinstance(run.export_labels(), str)
    assert fake_time.sleeps == [2.0, 2.0]
    assert _operations(mock, "exportModelRunAnnotationsPyApi") == 3


def test_export_labels_answers_none_when_the_wait_ends_first(mock: MockLabelbox, run: lb.ModelRun,
                                                             fake_time: FakeTime) -> None:
    mock.set_transition("export", progression="reads", times=1000)
    assert run.export_labels(timeout_seconds=10) is None
    assert sum(fake_time.sleeps) == 10


def test_export_labels_of_a_failed_export_raises(mock: MockLabelbox, run: lb.ModelRun) -> None:
    mock.set_transition("export", outcome="FAILED", error="no space")
    with pytest.raises(TaskFailedError, match=f"labels export of model run {run.uid} failed"):
        run.export_labels()


# -- standalone ------------------------------------------------------------------------------

def test_export_through_the_standalone_server(server: RunningServer, server_client: lb.Client) -> None:
    built = build_run(server.backend, ROWS)
    server.backend.exports.set_chunking(Chunking(400, align_to_lines=False))
    run = server_client.get_model_run(built.run_id)
    task = run.export(params={"predictions": True})
    task.wait_till_done()
    assert {row["data_row"]["id"] for row in _rows(task)} == set(built.data_row_ids[:3])
    rows = run.export_labels(download=True)
    assert isinstance(rows, list) and len(rows) == 3
