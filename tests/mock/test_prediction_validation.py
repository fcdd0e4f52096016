"""The prediction validator, directly over state: every row gets its fate, and a failure says why."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.backend import Backend
from mockserver.engines.prediction_imports import model_run_scope, run_mea_import
from mockserver.engines.predictions import PredictionValidator, status_line
from mockserver.state import model_run_rows, models
from mockserver.state.errors import InvalidInput
from mockserver.state.records import AnnotationImport
from mockserver.strategies import PredictionTarget, mixed_predictions, predictions

from ..support import ONTOLOGY, standard_seed

IN_RUN = 8  # gk-0..gk-7 are in the run; gk-8 and gk-9 exist outside it


def _setup() -> tuple[Backend, Any, PredictionTarget]:
    backend = Backend()
    org = backend.store.organizations()[0]
    created = backend.seed(standard_seed(10))
    run = models.create_model_run(org, backend.store.ids, backend.clock, created["models"][0], "run")
    keys = [f"gk-{i}" for i in range(10)]
    model_run_rows.register_data_rows(org, backend.store.ids, backend.clock, run.id, [], keys[:IN_RUN])
    target = PredictionTarget.from_seed(ONTOLOGY, created["ontologies"][0], global_keys=keys[:IN_RUN],
                                        data_row_ids=created["datasets"][0]["data_rows"][:IN_RUN],
                                        outside_global_keys=keys[IN_RUN:])
    return backend, run, target


BACKEND, RUN, TARGET = _setup()
ORG = BACKEND.store.organizations()[0]


def _check(rows: list[Any]) -> Any:
    return PredictionValidator(model_run_scope(ORG, RUN)).check_rows(rows)


@settings(max_examples=100, deadline=None)
@given(st.lists(predictions(TARGET), min_size=1, max_size=10, unique_by=lambda row: row["uuid"]))
def test_valid_predictions_all_succeed_with_the_data_row_id(rows: list[dict[str, Any]]) -> None:
    outcome = _check(copy.deepcopy(rows))
    assert [s["status"] for s in outcome.statuses] == ["SUCCESS"] * len(rows), outcome.errors
    for row, status in zip(rows, outcome.statuses):
        assert status["uuid"] == row["uuid"]
        assert status["dataRow"]["id"] in TARGET.data_row_ids
    assert [p["uuid"] for _, p in outcome.accepted] == [row["uuid"] for row in rows]


@settings(max_examples=150, deadline=None)
@given(mixed_predictions(TARGET))
def test_statuses_partition_the_rows_and_each_failure_names_its_cause(cases: list[tuple[dict[str, Any], Any]]) -> None:
    rows = [row for row, _ in cases]
    outcome = _check(copy.deepcopy(rows))
    assert len(outcome.statuses) == len(rows)  # none dropped, none invented
    for (row, expected), status in zip(cases, outcome.statuses):
        if expected is None:
            assert status["status"] == "SUCCESS", status
            continue
        assert status["status"] == "FAILURE", (row, expected)
        messages = [error["message"] for error in status["errors"]]
        assert all(error["name"] == "ValidationError" for error in status["errors"])
        assert any(message.startswith(expected) for message in messages), (expected, messages)
        if isinstance(row.get("uuid"), str) and row["uuid"]:
            assert status["uuid"] == row["uuid"]
    assert [status_line(status) for status in outcome.statuses] == [json.dumps(status) for status in outcome.statuses]
    succeeded = {s["uuid"] for s in outcome.statuses if s["status"] == "SUCCESS"}
    assert {p["uuid"] for _, p in outcome.accepted} == succeeded
    assert outcome.errors == [s for s in outcome.statuses if s["status"] == "FAILURE"]


def test_accepted_predictions_are_normalised_for_storage() -> None:
    by_id = {"uuid": "u-1", "dataRow": {"globalKey": "gk-1"}, "schemaId": TARGET.feature_ids["quality"],
             "answer": {"schemaId": TARGET.option_ids["quality"]["bad"]}}
    legacy = {"uuid": "u-2", "dataRow": {"id": TARGET.data_row_ids[2]}, "name": "tags", "answers": [{"name": "c"}]}
    (row_1, first), (row_2, second) = _check([by_id, legacy]).accepted
    assert row_1 == TARGET.data_row_ids[1] and row_2 == TARGET.data_row_ids[2]
    assert first["dataRow"] == {"id": TARGET.data_row_ids[1], "globalKey": "gk-1"}
    assert (first["name"], first["schemaId"]) == ("quality", TARGET.feature_ids["quality"])
    assert first["answer"] == {"name": "bad", "schemaId": TARGET.option_ids["quality"]["bad"]}
    assert "answers" not in second and second["answer"] == [{"name": "c", "schemaId": TARGET.option_ids["tags"]["c"]}]


def test_a_line_that_is_not_json_fails_alone() -> None:
    good = json.dumps({"uuid": "u", "dataRow": {"globalKey": "gk-0"}, "name": "dot", "point": {"x": 1, "y": 2}})
    outcome = PredictionValidator(model_run_scope(ORG, RUN)).check_text(f"{good}\n\n{{not json\n[1, 2]\n")
    assert [s["status"] for s in outcome.statuses] == ["SUCCESS", "FAILURE", "FAILURE"]
    assert outcome.statuses[1]["errors"][0]["message"].startswith("line 3: not valid JSON")
    assert "must be a JSON object" in outcome.statuses[2]["errors"][0]["message"]


def test_a_name_and_schema_id_of_different_features_fail() -> None:
    row = {"uuid": "u", "dataRow": {"globalKey": "gk-0"}, "name": "dot", "schemaId": TARGET.feature_ids["box"],
           "point": {"x": 1, "y": 2}}
    (status,) = _check([row]).statuses
    assert status["errors"][0]["message"].startswith("schemaId:") and "'box'" in status["errors"][0]["message"]


def test_nested_classifications_the_ontology_lacks_fail() -> None:
    row = {"uuid": "u", "dataRow": {"globalKey": "gk-0"}, "name": "dot", "point": {"x": 1, "y": 2},
           "classifications": [{"name": "sub", "answer": "x"}]}
    (status,) = _check([row]).statuses
    assert status["errors"][0]["message"] == "classifications[0]: tool 'dot' has no nested classification 'sub'"


def test_an_import_stores_accepted_predictions_and_upserts_by_uuid() -> None:
    backend, run, target = _setup()
    org = backend.store.organizations()[0]

    def imported(name: str, rows: list[dict[str, Any]]) -> None:
        record = AnnotationImport(id=name, name=name, kind="mea", model_run_id=run.id, created_at=0.0,
                                  input_text="\n".join(json.dumps(r) for r in rows))
        run_mea_import(org, backend.files, backend.clock, record)

    first = {"uuid": "u-1", "dataRow": {"globalKey": "gk-0"}, "name": "dot", "point": {"x": 1, "y": 2}}
    imported("one", [first, {**first, "uuid": "u-2", "name": "nope"}])
    entry = run.rows[target.data_row_ids[0]]
    assert [p["uuid"] for p in entry.predictions] == ["u-1"]
    imported("two", [{**first, "point": {"x": 5, "y": 5}}, {**first, "uuid": "u-3"}])
    assert [(p["uuid"], p["point"]["x"]) for p in entry.predictions] == [("u-1", 5), ("u-3", 1)]


def test_an_empty_or_unreadable_import_fails_whole() -> None:
    backend, run, _target = _setup()
    org = backend.store.organizations()[0]
    record = AnnotationImport(id="e", name="e", kind="mea", model_run_id=run.id, created_at=0.0, input_text="\n \n")
    with pytest.raises(InvalidInput, match="holds no predictions"):
        run_mea_import(org, backend.files, backend.clock, record)
    remote = AnnotationImport(id="r", name="r", kind="mea", model_run_id=run.id, created_at=0.0,
                              input_url="https://elsewhere.example.com/p.ndjson")
    with pytest.raises(InvalidInput, match="no network calls"):
        run_mea_import(org, backend.files, backend.clock, remote)
    assert all(not entry.predictions for entry in run.rows.values())



@given(uuid=st.text(min_size=1), row_id=st.text(min_size=1), key=st.none() | st.text(),
       extra=st.sampled_from([{}, {"errors": []}]), status=st.sampled_from(["SUCCESS", "FAILURE"]))
def test_a_status_line_is_exactly_json_dumps(uuid: str, row_id: str, key: str | None, extra: dict[str, Any],
                                             status: str) -> None:
    data_row = {"id": row_id} if key is None else {"id": row_id, "globalKey": key}
    record = {"uuid": uuid, "dataRow": data_row, "status": status, **extra}
    assert status_line(record) == json.dumps(record)  # non-ASCII and control characters escaped alike
    reordered = {"uuid": uuid, "dataRow": dict(reversed(list(data_row.items()))), "status": status}
    assert status_line(reordered) == json.dumps(reordered)


@given(st.lists(st.one_of(st.text(max_size=12), st.just('{"uuid": "u"}'), st.just(' [1] '), st.just("{} x"),
                          st.just('{"uuid": "a\u2028b\x1cc"}')),  # separators splitlines() would cut at
                max_size=8))
def test_each_nonblank_line_gets_one_status_and_unreadable_ones_name_their_line(lines: list[str]) -> None:
    lines = [line.replace("\n", " ").replace("\r", " ") for line in lines]  # one line each
    outcome = PredictionValidator(model_run_scope(ORG, RUN)).check_text("\n".join(lines))
    kept = [(number, line) for number, line in enumerate(lines, start=1) if line.strip()]
    assert len(outcome.statuses) == len(kept)
    for (number, line), status in zip(kept, outcome.statuses, strict=True):
        try:
            json.loads(line)
        except ValueError:
            assert status["errors"][0]["message"].startswith(f"line {number}: not valid JSON")
        else:
            assert "not valid JSON" not in str(status)
