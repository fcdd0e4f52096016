"""Project.create_batches and create_batches_from_dataset: batches in bulk, each filled by its own task."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite.exceptions import InvalidQueryError, MalformedQueryException, ResourceConflict
from mockserver import MockLabelbox

from ..support import World


def _project(mock: MockLabelbox, world: World, name: str = "bulk") -> lb.Project:
    project_id = mock.seed({"projects": [{"name": name, "ontology": world.ontology_id}]})["projects"][0]["id"]
    return lb.Client(api_key=mock.api_key).get_project(project_id)


def test_create_batches_names_each_batch_by_prefix_and_fills_it_by_a_task(client: lb.Client, world: World,
                                                                            mock: MockLabelbox) -> None:
    project = client.get_project(_project(mock, world).uid)
    created = project.create_batches("nightly", world.data_row_ids[:4], priority=2,
                                     consensus_settings={"number_of_labels": 2, "coverage_percentage": 0.5})
    created.wait_till_done()
    assert created.errors() is None
    [batch] = created.result()
    assert (batch.name, batch.size, batch.uid) == ("nightly0000", 4, created.batches[0])
    assert batch.consensus_settings == {"numberOfLabels": 2, "coveragePercentage": 0.5}
    by_keys = project.create_batches("keys", global_keys=world.global_keys[4:6])
    by_keys.wait_till_done()
    assert [(b.name, b.size) for b in by_keys.result()] == [("keys0000", 2)]
    assert [b.name for b in project.batches()] == ["nightly0000", "keys0000"]


def test_create_batches_from_dataset_takes_the_rows_not_yet_in_the_project(client: lb.Client, world: World,
                                                                            mock: MockLabelbox) -> None:
    project = client.get_project(_project(mock, world).uid)
    project.create_batch("first", world.data_row_ids[:3])
    created = project.create_batches_from_dataset("rest", world.dataset_id)
    created.wait_till_done()
    [batch] = created.result()
    assert (batch.name, batch.size) == ("rest0000", len(world.data_row_ids) - 3)
    with pytest.raises(MalformedQueryException, match="no data rows that can be added"):
        project.create_batches_from_dataset("again", world.dataset_id)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(already=st.sets(st.integers(0, 9)), prefix=st.text(st.characters(codec="ascii", categories=["L", "N"]),
                                                          min_size=1, max_size=12))
def test_from_dataset_batches_exactly_the_rows_outside_the_project(world: World, mock: MockLabelbox,
                                                                   already: set[int], prefix: str) -> None:
    project = _project(mock, world, name=f"p-{prefix}-{sorted(already)}")
    if already:
        project.create_batch(f"{prefix}-before", [world.data_row_ids[i] for i in sorted(already)])
    if len(already) == len(world.data_row_ids):
        with pytest.raises(MalformedQueryException):
            project.create_batches_from_dataset(prefix, world.dataset_id)
        return
    created = project.create_batches_from_dataset(prefix, world.dataset_id, priority=1)
    created.wait_till_done()
    [batch] = created.result()
    assert batch.name == f"{prefix}0000"
    exported = project.export(filters={"batch_ids": [batch.uid]})
    exported.wait_till_done()
    rows = {line.json["data_row"]["id"] for line in exported.get_buffered_stream()}
    assert rows == {row for i, row in enumerate(world.data_row_ids) if i not in already}


def test_bad_bulk_batches_are_refused_whole(client: lb.Client, world: World, mock: MockLabelbox) -> None:
    project = client.get_project(_project(mock, world).uid)
    project.create_batch("taken0000", world.data_row_ids[:1])
    with pytest.raises(ResourceConflict, match="already has a batch named 'taken0000'"):
        project.create_batches("taken", world.data_row_ids[1:3])
    with pytest.raises(MalformedQueryException, match="none of the data rows can be added: not found: 'nope'"):
        project.create_batches("unknown", ["nope"])
    with pytest.raises(InvalidQueryError, match="some data rows cannot be added: already in project"):
        project.create_batches("mixed", world.data_row_ids[:3])
    with pytest.raises(InvalidQueryError, match="priority must be an integer from 1"):
        project.create_batches("urgent", world.data_row_ids[1:3], priority=0)
    with pytest.raises(InvalidQueryError, match="not both"):
        project.create_batches("both", world.data_row_ids[1:2], global_keys=world.global_keys[2:3])
    with pytest.raises(lb.exceptions.ResourceNotFoundError):
        project.create_batches_from_dataset("gone", "cnosuchdataset00000000000")
    assert [b.name for b in project.batches()] == ["taken0000"]


def test_a_failed_fill_task_is_reported_by_errors(client: lb.Client, world: World, mock: MockLabelbox) -> None:
    project = client.get_project(_project(mock, world).uid)
    mock.set_transition("batch-creation", outcome="FAILED", error="storage is full")
    created = project.create_batches("doomed", world.data_row_ids[:2])
    created.wait_till_done()
    assert created.errors() == {created.tasks[0].uid: [{"message": "storage is full"}]}
    assert [(b.name, b.size) for b in created.result()] == [("doomed0000", 0)]  # the empty batch stays
