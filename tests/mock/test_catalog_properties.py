"""The catalog's invariants: drawn data rows round-trip through upload, reads and export; drawn label
imports give one status per row naming each failure; bad specs fail alone and change nothing else."""

from __future__ import annotations

import copy
import itertools
import json
from collections.abc import Callable
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import labelbox_lite as lb
from mockserver import MockLabelbox
from mockserver.backend import Backend
from mockserver.engines import data_row_upserts as upserts
from mockserver.engines.label_imports import LABEL_IMPORT, start_label_import
from mockserver.engines.prediction_imports import read_import
from mockserver.state import batches as batch_ops
from mockserver.state.datasets import RESERVED_METADATA, UpsertOutcome, create_dataset
from mockserver.strategies import PredictionTarget, mixed_predictions

from ..support import ONTOLOGY

TAG, SPLIT, _CAPTURED = RESERVED_METADATA
_examples = itertools.count()

_text = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=1, max_size=12)


@st.composite
def _drawn_rows(draw: st.DrawFn) -> list[dict[str, Any]]:
    count = draw(st.integers(min_value=1, max_value=8))
    example = next(_examples)
    rows = []
    for index in range(count):
        row: dict[str, Any] = {"row_data": f"https://example.com/{example}/{index}/{draw(_text)}"}
        if draw(st.booleans()):
            row["global_key"] = f"key-{example}-{index}"
        if draw(st.booleans()):
            row["external_id"] = draw(_text)
        if draw(st.booleans()):
            row["metadata_fields"] = [{"name": "tag", "value": draw(_text)}]
        if draw(st.booleans()):
            row["attachments"] = [{"type": draw(st.sampled_from(["RAW_TEXT", "IMAGE", "TEXT_URL"])),
                                   "value": draw(_text), "name": draw(_text)}]
        if draw(st.booleans()):
            row["media_type"] = draw(st.sampled_from(["IMAGE", "TEXT", "VIDEO"]))
        rows.append(row)
    return rows


@given(rows=_drawn_rows())
def test_drawn_rows_round_trip_through_upload_read_and_export(mock: MockLabelbox, client: lb.Client,
                                                              rows: list[dict[str, Any]]) -> None:
    dataset = client.create_dataset(name="drawn")
    task = dataset.create_data_rows(copy.deepcopy(rows))
    task.wait_till_done()
    assert task.errors is None
    created = task.result or []
    assert [row["row_data"] for row in created] == [row["row_data"] for row in rows]
    ids = [row["id"] for row in created]
    read = {row.uid: row for row in dataset.data_rows()}
    assert list(read) == ids[::-1]  # newest first
    exported = {line.json["data_row"]["id"]: line.json for line in dataset.export(
        params={"metadata_fields": True, "attachments": True}).get_buffered_stream()}
    assert list(exported) == ids
    for row_id, given_row in zip(ids, rows, strict=True):
        row, line = read[row_id], exported[row_id]
        for key, value in (("row_data", row.row_data), ("global_key", row.global_key),
                           ("external_id", row.external_id)):
            assert value == given_row.get(key)
            assert line["data_row"][key] == given_row.get(key)
        tags = [m["value"] for m in line["metadata_fields"] if m["schema_name"] == "tag"]
        assert tags == [m["value"] for m in given_row.get("metadata_fields", [])]
        assert [(a["type"], a["value"]) for a in line["attachments"]] == [
            (a["type"], a["value"]) for a in given_row.get("attachments", [])]
        assert [(a.attachment_type, a.attachment_value) for a in row.attachments()] == [
            (a["type"], a["value"]) for a in given_row.get("attachments", [])]


def _project_target() -> tuple[Backend, str, PredictionTarget]:
    """A project whose batch holds gk-0..gk-5; gk-6 and gk-7 exist outside it."""
    backend = Backend()
    created = backend.seed({
        "ontologies": [ONTOLOGY],
        "datasets": [{"name": "rows", "data_rows": [
            {"row_data": f"https://example.com/{i}.jpg", "global_key": f"gk-{i}"} for i in range(8)]}],
        "projects": [{"name": "ground truth", "ontology": "everything"}],
    })
    org = backend.store.organizations()[0]
    project_id = created["projects"][0]["id"]
    batch_ops.create_batch(org, backend.store.ids, backend.clock, project_id, "in", [],
                           [f"gk-{i}" for i in range(6)])
    target = PredictionTarget.from_seed(ONTOLOGY, created["ontologies"][0],
                                        global_keys=[f"gk-{i}" for i in range(6)],
                                        data_row_ids=created["datasets"][0]["data_rows"][:6],
                                        outside_global_keys=["gk-6", "gk-7"])
    return backend, project_id, target


BACKEND, PROJECT_ID, TARGET = _project_target()
ORG = BACKEND.store.organizations()[0]
_imports = itertools.count()


@given(mixed_predictions(TARGET))
def test_label_imports_give_one_status_per_row_naming_each_failure(
        cases: list[tuple[dict[str, Any], str | None]]) -> None:
    project = ORG.projects[PROJECT_ID]
    labels_before = list(project.label_ids)
    text = "\n".join(json.dumps(row) for row, _ in cases).encode()
    record = start_label_import(BACKEND.tasks, BACKEND.files, ORG, "http://mock", LABEL_IMPORT, PROJECT_ID,
                                f"import-{next(_imports)}", None, text)
    assert record.status_text is None  # it runs at its first status read, as Labelbox's import is RUNNING at first
    read_import(BACKEND.tasks, BACKEND.files, ORG, "http://mock", LABEL_IMPORT, PROJECT_ID, record.name)
    statuses = [json.loads(line) for line in (record.status_text or "").split("\n") if line]
    assert len(statuses) == len(cases)
    for (row, expected), status in zip(cases, statuses, strict=True):
        if expected is None:
            assert status["status"] == "SUCCESS", status
            continue
        assert status["status"] == "FAILURE", (row, expected)
        assert any(error["message"].startswith(expected) for error in status["errors"]), (expected, status)
    accepted_rows = {s["dataRow"]["id"] for s in statuses if s["status"] == "SUCCESS"}
    new_labels = [ORG.labels[label_id] for label_id in project.label_ids[len(labels_before):]]
    assert project.label_ids[:len(labels_before)] == labels_before  # nothing else changed
    assert {label.data_row_id for label in new_labels} == accepted_rows
    assert len(new_labels) == len(accepted_rows)  # one label per data row
    assert sum(len(label.annotations) for label in new_labels) == sum(
        s["status"] == "SUCCESS" for s in statuses)


BREAKERS: dict[str, tuple[str, Callable[[int], dict[str, Any]]]] = {
    "duplicate": ("Duplicate global key", lambda d: {"row_data": "https://x/dup.jpg", "global_key": "taken"}),
    "no row data": ("row_data", lambda d: {"external_id": "x"}),
    "unknown schema": ("metadata_fields[0].schemaId", lambda d: {
        "row_data": "https://x/m.jpg", "metadata_fields": [{"schemaId": "c" + "9" * 24, "value": "v"}]}),
    "bad attachment": ("attachments[0].type", lambda d: {
        "row_data": "https://x/a.jpg", "attachments": [{"type": "NOPE", "value": "v"}]}),
    "bad media type": ("Found invalid media type", lambda d: {"row_data": "https://x/t.jpg", "media_type": "HOLOGRAM"}),
    "unknown field": ("colour", lambda d: {"row_data": "https://x/c.jpg", "colour": "red"}),
}


@given(st.lists(st.one_of(st.just(None), st.sampled_from(sorted(BREAKERS))), min_size=1, max_size=10))
def test_bad_specs_fail_alone_and_good_ones_land(kinds: list[str | None]) -> None:
    backend = Backend()
    org = backend.store.organizations()[0]
    dataset = create_dataset(org, backend.store.ids, backend.clock, "specs")
    outcome = UpsertOutcome([], [])
    upserts.run_upsert(org, backend.store.ids, backend.clock,
                       [{"id": {"type": "AUTO", "value": ""},
                         "payload": {"row_data": "https://x/taken.jpg", "global_key": "taken",
                                     "dataset_id": dataset.id}}], outcome)
    before = set(org.data_rows)
    specs = []
    for index, kind in enumerate(kinds):
        payload = ({"row_data": f"https://x/{index}.jpg", "global_key": f"good-{index}",
                    "metadata_fields": [{"schemaId": TAG.id, "value": "t"}]}
                   if kind is None else BREAKERS[kind][1](index))
        specs.append({"id": {"type": "AUTO", "value": ""}, "payload": {**payload, "dataset_id": dataset.id}})
    outcome = UpsertOutcome([], [])
    upserts.run_upsert(org, backend.store.ids, backend.clock, specs, outcome)
    expected = [BREAKERS[kind][0] for kind in kinds if kind is not None]
    assert len(outcome.failures) == len(expected)
    for failure, prefix in zip(outcome.failures, expected, strict=True):
        assert failure["message"].startswith(prefix), (failure, prefix)
    assert len(outcome.row_ids) == kinds.count(None)
    assert set(org.data_rows) - before == set(outcome.row_ids)
    assert {org.data_rows[row_id].global_key for row_id in outcome.row_ids} == {
        f"good-{i}" for i, kind in enumerate(kinds) if kind is None}
    assert org.data_rows_by_global_key["taken"] in before
