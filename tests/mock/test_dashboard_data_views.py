"""The dashboard's views of the data side: datasets with their rows (GET /_mock/datasets), and label and
MAL prediction imports with their row statuses beside prediction imports (GET /_mock/imports)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite import types as lb_types
from labelbox_lite.exceptions import TaskFailedError
from mockserver import Backend, MockLabelbox, MockServerClient, RunningServer
from mockserver.http.views import MAX_DATASET_ROWS, MAX_TEXT_CHARS, data_row_view, dataset_view, import_view, metadata_view
from mockserver.state.metadata_schemas import RESERVED_METADATA, schema_index
from mockserver.state.records import AnnotationImport, DataRow, Dataset

from ..support import ADMIN_TOKEN, ONTOLOGY

SPLIT, TRAIN = RESERVED_METADATA[1], RESERVED_METADATA[1].options[0]


def _rows_with_attachments_and_metadata(client: lb.Client) -> lb.Dataset:
    metadata = client.get_data_row_metadata_ontology()
    metadata.create_schema("camera", lb.DataRowMetadataKind.enum, ["front", "rear"])
    metadata.create_schema("note", lb.DataRowMetadataKind.string)
    dataset = client.create_dataset(name="dashcam")
    dataset.create_data_rows([
        {"row_data": "https://example.com/0.jpg", "global_key": "k0", "external_id": "e0", "media_type": "IMAGE",
         "attachments": [{"type": "RAW_TEXT", "value": "<b>seen</b> at dusk", "name": "caption"},
                         {"type": "IMAGE", "value": "https://example.com/0-map.png"}],
         "metadata_fields": [{"name": "camera", "value": "rear"}, {"name": "note", "value": "blurry"},
                             {"schema_id": SPLIT.id, "value": TRAIN.id}]},
        {"row_data": "plain text row", "global_key": "k1", "media_type": "TEXT"},
    ]).wait_till_done()
    return dataset


def test_a_datasets_rows_show_their_keys_row_data_attachments_and_metadata(mock: MockLabelbox,
                                                                           client: lb.Client) -> None:
    dataset = _rows_with_attachments_and_metadata(client)
    (view,) = mock.datasets()
    assert (view["id"], view["name"], view["row_count"], view["rows_left_out"]) == (dataset.uid, "dashcam", 2, 0)
    first, second = view["rows"]
    assert (first["global_key"], first["external_id"], first["media_type"], first["row_data"]) == (
        "k0", "e0", "IMAGE", "https://example.com/0.jpg")
    assert [(a["type"], a["value"], a["name"]) for a in first["attachments"]] == [
        ("RAW_TEXT", "<b>seen</b> at dusk", "caption"), ("IMAGE", "https://example.com/0-map.png", None)]
    assert sorted((m["name"], m["value"]) for m in first["metadata"]) == [
        ("camera", "rear"), ("note", "blurry"), ("split", "train")]
    assert (second["global_key"], second["media_type"], second["row_data"]) == ("k1", "TEXT", "plain text row")
    assert second["attachments"] == second["metadata"] == []
    assert first["id"] == client.get_data_row_by_global_key("k0").uid
    # a schema renamed later is shown by its current name: the view names schemas, the row keeps ids
    client.get_data_row_metadata_ontology().update_schema("note", "remark")
    assert "remark" in [m["name"] for m in mock.datasets()[0]["rows"][0]["metadata"]]


def test_each_key_sees_its_own_datasets_and_the_admin_token_all() -> None:
    with RunningServer(Backend(["alpha", "beta"], admin_token=ADMIN_TOKEN)) as server:
        alpha, beta = MockServerClient(server.url, "alpha"), MockServerClient(server.url, "beta")
        alpha.seed({"datasets": [{"name": "a", "data_rows": [{"row_data": "https://e.com/a.jpg"}]}]})
        beta.seed({"datasets": [{"name": "b", "data_rows": []}]})
        assert [d["name"] for d in alpha.datasets()] == ["a"]
        assert [d["name"] for d in beta.datasets()] == ["b"]
        assert sorted(d["name"] for d in MockServerClient(server.url, ADMIN_TOKEN).datasets()) == ["a", "b"]
        # the route answers what the in-process method answers (one view, one shape)
        assert alpha.datasets()[0]["rows"][0]["row_data"] == "https://e.com/a.jpg"


@pytest.mark.parametrize(("method", "key", "status"), [
    ("GET", None, 401), ("GET", "not-a-key", 401), ("POST", "test-key", 404), ("DELETE", "test-key", 404)])
def test_the_datasets_view_is_read_only_and_needs_a_key(method: str, key: str | None, status: int) -> None:
    with RunningServer() as server:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        answer = requests.request(method, server.url + "/_mock/datasets", headers=headers, timeout=10)
        assert answer.status_code == status
        assert "error" in answer.json()


def _dataset(rows: int) -> tuple[Any, Dataset]:
    backend = Backend()
    org = backend.store.org_for_key("test-key")
    assert org is not None
    dataset = Dataset(id="d", name="d", created_at=0.0)
    for i in range(rows):
        org.data_rows[f"r{i}"] = DataRow(id=f"r{i}", dataset_id="d", row_data=f"https://e.com/{i}.jpg",
                                         created_at=0.0, updated_at=0.0, global_key=f"k{i}")
        dataset.data_row_ids.append(f"r{i}")
    org.datasets["d"] = dataset
    return org, dataset


@given(rows=st.integers(0, 30), limit=st.integers(0, 40))
def test_a_dataset_view_lists_its_first_rows_in_order_and_counts_the_rest(rows: int, limit: int) -> None:
    org, dataset = _dataset(rows)
    view = dataset_view(org, dataset, limit)
    assert [row["id"] for row in view["rows"]] == [f"r{i}" for i in range(min(rows, limit))]
    assert view["row_count"] == rows and view["rows_left_out"] == max(0, rows - limit)
    assert len(view["rows"]) + view["rows_left_out"] == rows


class _CountingRows(dict[str, DataRow]):
    reads = 0

    def __getitem__(self, key: str) -> DataRow:
        self.reads += 1
        return super().__getitem__(key)


def test_a_big_dataset_shows_one_page_and_reads_only_its_rows() -> None:
    org, dataset = _dataset(MAX_DATASET_ROWS * 10)
    org.data_rows = counting = _CountingRows(org.data_rows)
    view = dataset_view(org, dataset)
    assert len(view["rows"]) == MAX_DATASET_ROWS and view["rows_left_out"] == MAX_DATASET_ROWS * 9
    assert counting.reads == MAX_DATASET_ROWS  # the page's rows, not the dataset's


@given(text=st.text(max_size=MAX_TEXT_CHARS + 50), value=st.text(min_size=1, max_size=MAX_TEXT_CHARS + 50))
def test_long_texts_are_cut_to_a_prefix_and_say_their_length(text: str, value: str) -> None:
    row = DataRow(id="r", dataset_id="d", row_data=text, created_at=0.0, updated_at=0.0,
                  attachments=[{"id": "a", "type": "RAW_TEXT", "value": value, "name": None}])
    view = data_row_view(row, {})
    assert text.startswith(view["row_data"]) and view["row_data_chars"] == len(text)
    assert (view["row_data"] == text) == (len(text) <= MAX_TEXT_CHARS)
    (attachment,) = view["attachments"]
    assert value.startswith(attachment["value"]) and attachment["value_chars"] == len(value)
    assert len(attachment["value"]) == min(len(value), MAX_TEXT_CHARS)
    json.dumps(view)  # plain JSON, whatever the text


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                    max_leaves=8)


@given(field=JSON | st.fixed_dictionaries({"schemaId": st.sampled_from([SPLIT.id, "unknown"]),
                                           "value": JSON | st.fixed_dictionaries({"schemaId": st.sampled_from(
                                               [TRAIN.id, "unknown"])})}))
def test_any_stored_metadata_field_is_shown_and_known_schemas_are_named(field: Any) -> None:
    """A seed may store a field of any shape: the view never fails on one, and names what it can place."""
    org, _ = _dataset(0)
    view = metadata_view(field, schema_index(org)[0])
    assert set(view) == {"schema_id", "name", "value"}
    json.dumps(view)
    if isinstance(field, dict) and field.get("schemaId") == SPLIT.id:
        assert view["name"] == "split"
        if isinstance(field["value"], dict) and field["value"].get("schemaId") == TRAIN.id:
            assert view["value"] == "train"


# -- imports into a project beside prediction imports ----------------------------------------------------

def _project(mock: MockLabelbox, client: lb.Client) -> str:
    project_id: str = mock.seed({"ontologies": [ONTOLOGY], "projects": [
        {"name": "ground truth", "ontology": "everything"}]})["projects"][0]["id"]
    client.create_dataset(name="d").create_data_rows(
        [{"row_data": f"https://example.com/{i}.jpg", "global_key": f"k{i}"} for i in range(2)]).wait_till_done()
    client.get_project(project_id).create_batch("b", global_keys=["k0"])
    return project_id


def _box(uuid: str, global_key: str) -> dict[str, Any]:
    return {"uuid": uuid, "dataRow": {"globalKey": global_key}, "name": "box",
            "bbox": {"top": 1, "left": 2, "height": 3, "width": 4}}


def test_label_and_mal_imports_list_each_rows_status_with_their_type_and_project(mock: MockLabelbox,
                                                                                 client: lb.Client) -> None:
    project_id = _project(mock, client)
    # k1 is in no batch of the project: its row fails
    lb.LabelImport.create_from_objects(client, project_id, "truth", [_box("in", "k0"), _box("out", "k1")]
                                       ).wait_till_done()
    box = lb_types.ObjectAnnotation(name="box", value=lb_types.Rectangle(
        start=lb_types.Point(x=1, y=2), end=lb_types.Point(x=5, y=8)))
    lb.MALPredictionImport.create_from_objects(client, project_id, "pre", [
        lb_types.Label(data={"global_key": "k0"}, annotations=[box])]).wait_till_done()

    truth, pre = mock.imports()
    assert (truth["type"], truth["into"], truth["project_id"], truth["project_name"], truth["model_run_id"]) == (
        "LabelImport", "project", project_id, "ground truth", None)
    assert (truth["state"], truth["status"]) == ("FINISHED", "COMPLETE")
    assert truth["counts"] == {"rows": 2, "SUCCESS": 1, "FAILURE": 1}
    statuses = {row["uuid"]: row for row in truth["rows"]}
    assert statuses["in"]["status"] == "SUCCESS" and statuses["out"]["status"] == "FAILURE"
    assert statuses["out"]["errors"][0]["message"]
    assert (pre["type"], pre["into"], pre["name"], pre["counts"]["SUCCESS"]) == ("MALPredictionImport", "project",
                                                                                 "pre", 1)


def test_an_import_failed_whole_shows_its_cause_and_no_rows(mock: MockLabelbox, client: lb.Client) -> None:
    project_id = _project(mock, client)
    imported = lb.LabelImport.create_from_url(client, project_id, "nowhere", "https://example.com/missing.ndjson")
    with pytest.raises(TaskFailedError):
        imported.wait_till_done()
    (view,) = mock.imports()
    assert (view["state"], view["status"]) == ("FAILED", "FAILED")
    assert view["counts"] == {"rows": 0, "SUCCESS": 0, "FAILURE": 0} and view["rows"] == []
    assert "cannot fetch 'https://example.com/missing.ndjson'" in view["errors"]


ROW = st.fixed_dictionaries(
    {"row_data": st.text(min_size=1, max_size=40)},
    optional={"external_id": st.text(min_size=1, max_size=10),
              "attachments": st.lists(st.fixed_dictionaries(
                  {"type": st.sampled_from(["RAW_TEXT", "HTML", "IMAGE"]), "value": st.text(min_size=1, max_size=20)},
                  optional={"name": st.text(max_size=8)}), max_size=3),
              "metadata_fields": st.lists(st.fixed_dictionaries({"schemaId": st.just(RESERVED_METADATA[0].id),
                                                                 "value": st.text(max_size=10)}), max_size=2)})


@given(datasets=st.lists(st.lists(ROW, max_size=6), min_size=1, max_size=3))
def test_the_view_shows_what_a_seed_stored_row_by_row(datasets: list[list[dict[str, Any]]]) -> None:
    mock = MockLabelbox()
    mock.seed({"datasets": [{"name": f"d{i}", "data_rows": rows} for i, rows in enumerate(datasets)]})
    views = mock.datasets()
    assert [view["name"] for view in views] == [f"d{i}" for i in range(len(datasets))]
    for view, rows in zip(views, datasets, strict=True):
        assert view["row_count"] == len(rows) and view["rows_left_out"] == 0
        for shown, given_row in zip(view["rows"], rows, strict=True):
            assert shown["row_data"] == given_row["row_data"]
            assert shown["external_id"] == given_row.get("external_id")
            assert [(a["type"], a["value"], a["name"]) for a in shown["attachments"]] == [
                (a["type"], a["value"], a.get("name")) for a in given_row.get("attachments", [])]
            assert [(m["name"], m["value"]) for m in shown["metadata"]] == [
                ("tag", m["value"]) for m in given_row.get("metadata_fields", [])]


@given(outcomes=st.lists(st.booleans(), max_size=40), limit=st.integers(min_value=0, max_value=45))
def test_an_imports_view_shows_its_first_rows_and_counts_them_all(outcomes: list[bool], limit: int) -> None:
    statuses = [{"uuid": f"u{index}", "status": "SUCCESS" if ok else "FAILURE"} for index, ok in enumerate(outcomes)]
    failed = [status for status in statuses if status["status"] == "FAILURE"]
    record = AnnotationImport(id="i", name="n", kind="mea", model_run_id="r", created_at=0.0,
                              status_text="\n".join(json.dumps(status) for status in statuses) or None,
                              error_text="\n".join(json.dumps(status) for status in failed) or None)
    view = import_view(record, None, limit)
    assert view["rows"] == statuses[:limit]
    assert view["rows_left_out"] == max(0, len(statuses) - limit)
    assert view["counts"] == {"rows": len(statuses), "SUCCESS": len(statuses) - len(failed), "FAILURE": len(failed)}
