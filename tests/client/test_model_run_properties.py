"""Properties of the model-run methods that change state in steps: config, training status, and sending
predictions on to a project. Each is checked against a plain model of what the calls should leave."""

from __future__ import annotations

import uuid
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite import documents as docs
from mockserver import MockLabelbox
from mockserver.strategies import PredictionTarget, predictions

from ..support import ONTOLOGY, World

small_dicts = st.dictionaries(st.sampled_from(["a", "b", "lr", "epochs"]), st.integers(0, 9) | st.text(max_size=3),
                              max_size=3)
config_steps = st.lists(st.one_of(st.tuples(st.just("update"), small_dicts), st.just(("reset", None))), max_size=6)


@given(steps=config_steps, initial=st.none() | small_dicts.filter(bool))
def test_config_is_what_the_updates_and_resets_leave(client: lb.Client, world: World, initial: dict[str, Any] | None,
                                                    steps: list[tuple[str, Any]]) -> None:
    run = client.get_model(world.model_id).create_model_run(f"run-{uuid.uuid4().hex[:8]}", initial)
    expected = initial
    try:
        for step, config in steps:
            if step == "update":
                expected = {**(expected or {}), **config}
                assert run.update_config(config) == {"trainingMetadata": expected}
            else:
                expected = None
                assert run.reset_config() == {"trainingMetadata": None}
            assert run.get_config() == expected
        assert client.get_model_run(run.uid).training_metadata == expected
    finally:
        run.delete()


status_steps = st.lists(st.tuples(st.sampled_from(list(lb.ModelRun.Status)), st.none() | small_dicts,
                                  st.none() | st.text(max_size=8)), min_size=1, max_size=5)


@given(steps=status_steps)
def test_training_status_is_the_last_set_with_metadata_merged(client: lb.Client, world: World,
                                                             steps: list[tuple[Any, Any, Any]]) -> None:
    run = client.get_model(world.model_id).create_model_run(f"run-{uuid.uuid4().hex[:8]}")
    expected: dict[str, Any] = {"status": None, "errorMessage": None, "metadata": None}
    try:
        for status, metadata, message in steps:
            run.update_status(status, metadata=metadata, error_message=message)
            expected["status"] = status.value
            if message:  # an empty or omitted message keeps the last one
                expected["errorMessage"] = message
            if metadata:
                expected["metadata"] = {**(expected["metadata"] or {}), **metadata}
        pipeline = client.execute(docs.GET_TRAINING_PIPELINE, {"modelRunId": run.uid}, experimental=True)
        assert pipeline["trainingPipeline"] == expected
    finally:
        run.delete()


IN_RUN = slice(5, 8)  # the seed labels gk-0..gk-4 in its own project; these rows are unlabelled


def _target(world: World) -> PredictionTarget:
    return PredictionTarget(ontology=ONTOLOGY, global_keys=world.global_keys[IN_RUN],
                            data_row_ids=world.data_row_ids[IN_RUN], feature_ids=world.features)


def _fresh_project(mock: MockLabelbox, world: World) -> str:
    created = mock.seed({"projects": [{"name": f"p-{uuid.uuid4().hex[:8]}", "ontology": world.ontology_id}]})
    return str(created["projects"][0]["id"])


def _row_id(world: World, prediction: dict[str, Any]) -> str:
    ref = prediction["dataRow"]
    return ref["id"] if "id" in ref else world.data_row_ids[world.global_keys.index(ref["globalKey"])]


@given(data=st.data(), outside=st.integers(0, 2))
def test_accepted_predictions_and_only_they_become_the_projects_pre_labels(
        client: lb.Client, world: World, mock: MockLabelbox, data: st.DataObject, outside: int) -> None:
    run = client.get_model(world.model_id).create_model_run(f"run-{uuid.uuid4().hex[:8]}")
    run.upsert_data_rows(global_keys=world.global_keys[IN_RUN])
    good = data.draw(st.lists(predictions(_target(world)), max_size=6, unique_by=lambda row: row["uuid"]))
    bad = [{"uuid": str(uuid.uuid4()), "dataRow": {"globalKey": "gk-9"}, "name": "dot", "point": {"x": 1, "y": 2}}
           for _ in range(outside)]  # exists, but is not in the run
    rows = data.draw(st.permutations(good + bad))
    if not rows:
        return
    project_id = _fresh_project(mock, world)

    imported, batch, mal = run.upsert_predictions_and_send_to_project("send", rows, project_id)

    accepted = [row for row in rows if row in good]
    assert [s["status"] for s in imported.statuses] == ["SUCCESS" if row in good else "FAILURE" for row in rows]
    prelabels = mock.backend.store.organizations()[0].projects[project_id].prelabels
    if not accepted:
        assert batch is None and mal is None and not prelabels
        return
    expected: dict[str, list[str]] = {}
    for row in accepted:
        expected.setdefault(_row_id(world, row), []).append(row["uuid"])
    assert batch is not None and batch.size == len(expected)
    assert mal is not None and mal.errors == []
    assert sorted(s["uuid"] for s in mal.statuses) == sorted(row["uuid"] for row in accepted)
    assert {row_id: [p["uuid"] for p in stored] for row_id, stored in prelabels.items()} == expected


@given(data=st.data())
def test_sent_rows_get_labels_of_exactly_their_mapped_predictions(client: lb.Client, world: World,
                                                                  mock: MockLabelbox, data: st.DataObject) -> None:
    run = client.get_model(world.model_id).create_model_run(f"run-{uuid.uuid4().hex[:8]}")
    run.upsert_data_rows(global_keys=world.global_keys[IN_RUN])
    stored = data.draw(st.lists(predictions(_target(world)), max_size=6, unique_by=lambda row: row["uuid"]))
    if stored:
        assert run.add_predictions("stored", stored).errors == []
    chosen = data.draw(st.lists(st.sampled_from(world.data_row_ids[IN_RUN]), min_size=1, unique=True))
    mapped = data.draw(st.sets(st.sampled_from(sorted(world.features))))
    mapping = {world.features[name]: world.features[name] for name in mapped}
    project_id = _fresh_project(mock, world)

    task = run.send_to_annotate_from_model(project_id, None, "sent", lb.UniqueIds(chosen),
                                           {"predictions_ontology_mapping": mapping})
    task.wait_till_done()

    assert task.status == "COMPLETE"
    project = client.get_project(project_id)
    assert [(b.name, b.size) for b in project.batches()] == [("sent", len(chosen))]
    expected: dict[str, list[str]] = {}
    for row in stored:
        feature = row.get("name") or next(n for n, i in world.features.items() if i == row["schemaId"])
        if _row_id(world, row) in chosen and feature in mapped:
            expected.setdefault(_row_id(world, row), []).append(feature)
    org = mock.backend.store.organizations()[0]
    labels = {org.labels[i].data_row_id: [a["name"] for a in org.labels[i].annotations]
              for i in org.projects[project_id].label_ids}
    assert {row: sorted(names) for row, names in labels.items()} == {row: sorted(n) for row, n in expected.items()}
