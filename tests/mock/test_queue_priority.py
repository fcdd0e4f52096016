"""Labeling parameter overrides (each row's queue priority in a project) through the documents the SDK
sends: Project.labeling_parameter_overrides, set_labeling_parameter_overrides and
update_data_row_labeling_priority (labelbox_lite has no method for these)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite.exceptions import InvalidQueryError, TaskFailedError
from mockserver import MockLabelbox
from mockserver.state import batches, queue_priority
from mockserver.state.errors import InvalidInput

# the SDK's documents (labelbox/schema/project.py and its ORM's relationship query), with variables
LIST = ("query GetProjectLabelingParameterOverridesPyApi($p: ID!, $skip: Int, $first: Int)"
        "{project(where: {id: $p}){labelingParameterOverrides(skip: $skip first: $first)"
        "{numberOfLabels priority id dataRow{id globalKey}}}}")
SET = ("mutation SetLabelingParameterOverridesPyApi($p: ID!, $data: [LabelingParameterOverrideWithDataRowIdentifierInput!]!)"
       "{project(where: {id: $p}){setLabelingParameterOverrides(dataWithDataRowIdentifiers: $data){success}}}")
UPDATE = ("mutation createQueuePriorityUpdateTaskPyApi($priority: Int! $p: ID! "
          "$ids: QueuePriorityUpdateDataRowIdentifiersInput)"
          "{project(where: {id: $p}){createQueuePriorityUpdateTask(data: {priority: $priority, "
          "dataRowIdentifiers: $ids}){taskId}}}")
REMOVE = ("mutation Remove($p: ID!, $b: ID!){project(where: {id: $p})"
          "{removeQueuedDataRowsFromBatch(batchId: $b){id}}}")
INT32 = st.integers(queue_priority.MIN_PRIORITY, queue_priority.MAX_PRIORITY)
ROWS = 8


def _setup(mock: MockLabelbox) -> tuple[lb.Client, lb.Project, list[str]]:
    client = lb.Client(api_key=mock.api_key)
    seeded = mock.seed({"datasets": [{"name": "d", "data_rows": [
        {"row_data": f"https://example.com/{i}.jpg", "global_key": f"k-{i}"} for i in range(ROWS)]}]})
    return client, client.create_project(name="queue", media_type=lb.MediaType.Image), \
        seeded["datasets"][0]["data_rows"]


def _listed(client: lb.Client, project: lb.Project, skip: int | None = None,
            first: int | None = None) -> list[dict[str, Any]]:
    answer = client.execute(LIST, {"p": project.uid, "skip": skip, "first": first}, experimental=True)
    return list(answer["project"]["labelingParameterOverrides"])


def _priorities(client: lb.Client, project: lb.Project) -> dict[str, int]:
    return {entry["dataRow"]["id"]: entry["priority"] for entry in _listed(client, project)}


def _set(client: lb.Client, project: lb.Project, items: list[tuple[str, str, int]]) -> bool:
    data = [{"dataRowIdentifier": {"id": key, "idType": id_type}, "priority": priority}
            for key, id_type, priority in items]
    answer = client.execute(SET, {"p": project.uid, "data": data}, experimental=True)
    return bool(answer["project"]["setLabelingParameterOverrides"]["success"])


def _start_update(client: lb.Client, project: lb.Project, keys: list[str] | None, id_type: str,
                  priority: int) -> lb.Task:
    ids = None if keys is None else {"ids": keys, "idType": id_type}
    answer = client.execute(UPDATE, {"p": project.uid, "priority": priority, "ids": ids}, experimental=True)
    return lb.Task.fetch(client, answer["project"]["createQueuePriorityUpdateTask"]["taskId"])


def test_rows_take_their_batch_priority_and_overrides_change_them(mock: MockLabelbox) -> None:
    client, project, rows = _setup(mock)
    project.create_batch("first", rows[:2], priority=2)
    batch = project.create_batch("second", rows[2:4])  # the default priority, 5
    listed = _listed(client, project)
    assert [(e["dataRow"]["id"], e["dataRow"]["globalKey"], e["priority"], e["numberOfLabels"]) for e in listed] == [
        (rows[0], "k-0", 2, 1), (rows[1], "k-1", 2, 1), (rows[2], "k-2", 5, 1), (rows[3], "k-3", 5, 1)]
    ids = [entry["id"] for entry in listed]
    assert len(set(ids)) == 4

    assert _set(client, project, [(rows[0], "ID", -7), ("k-3", "GKEY", 2**31 - 1)])
    assert _priorities(client, project) == {rows[0]: -7, rows[1]: 2, rows[2]: 5, rows[3]: 2**31 - 1}
    assert [entry["id"] for entry in _listed(client, project)] == ids  # an override keeps the entry's id

    _start_update(client, project, ["k-1", "k-2"], "GKEY", 0).wait_till_done()
    assert _priorities(client, project) == {rows[0]: -7, rows[1]: 0, rows[2]: 0, rows[3]: 2**31 - 1}

    # rows leaving the queue's batches leave the listing, and join again with their new batch's priority
    client.execute(REMOVE, {"p": project.uid, "b": batch.uid}, experimental=True)
    assert _priorities(client, project) == {rows[0]: -7, rows[1]: 0}
    project.create_batch("third", rows[2:3], priority=1)
    assert _priorities(client, project) == {rows[0]: -7, rows[1]: 0, rows[2]: 1}


def test_rows_added_to_a_batch_later_take_the_priority_they_were_added_with(mock: MockLabelbox) -> None:
    client, project, rows = _setup(mock)
    batch = project.create_batch("first", rows[:1], priority=4)
    org = mock.backend.store.org_for_key(mock.api_key)
    assert org is not None
    batches.add_rows(org, mock.backend.store.clock, project.uid, batch.uid, rows[1:2], [], priority=1)
    assert _priorities(client, project) == {rows[0]: 4, rows[1]: 1}


def test_deleted_rows_and_batches_take_their_priorities_with_them(mock: MockLabelbox) -> None:
    client, project, rows = _setup(mock)
    kept = project.create_batch("kept", rows[:2])
    doomed = project.create_batch("doomed", rows[2:4])
    _set(client, project, [(rows[0], "ID", 9), (rows[2], "ID", 9)])
    client.get_data_row(rows[0]).delete()
    doomed.delete()
    assert _priorities(client, project) == {rows[1]: 5}
    org = mock.backend.store.org_for_key(mock.api_key)
    assert org is not None
    assert org.batches[kept.uid].row_priorities == {rows[1]: 5}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(1, ROWS - 1), batch_priorities=st.tuples(st.integers(1, 5), st.integers(1, 5)),
       changes=st.lists(st.tuples(st.booleans(), st.sets(st.integers(0, ROWS - 1), min_size=1), INT32,
                                  st.booleans()), max_size=5),
       page=st.tuples(st.integers(0, ROWS + 2), st.integers(0, ROWS + 2)))
def test_the_listing_shows_each_batch_row_with_the_last_priority_set(
    mock: MockLabelbox, cut: int, batch_priorities: tuple[int, int], changes: list[tuple[bool, set[int], int, bool]],
    page: tuple[int, int],
) -> None:
    mock.reset()
    client, project, rows = _setup(mock)
    project.create_batch("a", rows[:cut], priority=batch_priorities[0])
    project.create_batch("b", rows[cut:], priority=batch_priorities[1])
    expected = {row: batch_priorities[0] if i < cut else batch_priorities[1] for i, row in enumerate(rows)}
    for bulk, picked, priority, by_key in changes:
        keys = [f"k-{i}" if by_key else rows[i] for i in sorted(picked)]
        id_type = "GKEY" if by_key else "ID"
        if bulk:
            _start_update(client, project, keys, id_type, priority).wait_till_done()
            expected.update(dict.fromkeys((rows[i] for i in picked), priority))
        else:  # a priority of its own for each row
            own = [max(priority - n, queue_priority.MIN_PRIORITY) for n in range(len(keys))]
            assert _set(client, project, [(key, id_type, p) for key, p in zip(keys, own, strict=True)])
            expected.update({rows[i]: p for i, p in zip(sorted(picked), own, strict=True)})
    listed = _listed(client, project)
    assert [entry["dataRow"]["id"] for entry in listed] == rows  # batch order, then the order rows joined
    assert {entry["dataRow"]["id"]: entry["priority"] for entry in listed} == expected
    skip, first = page
    assert _listed(client, project, skip, first) == listed[skip : skip + first]


def test_overrides_that_cannot_apply_are_refused_and_change_nothing(mock: MockLabelbox) -> None:
    client, project, rows = _setup(mock)
    project.create_batch("a", rows[:2], priority=3)
    other = client.create_project(name="other", media_type=lb.MediaType.Image)
    other.create_batch("o", rows[2:3])
    for items, message in [
        ([(rows[0], "ID", 1), ("no-such-row", "ID", 1)], "not in the batches of project .*'no-such-row'"),
        ([(rows[0], "ID", 1), ("k-9", "GKEY", 1)], "not in the batches of project .*'k-9'"),
        ([(rows[2], "ID", 1)], "not in the batches"),  # a row of another project
        ([(rows[5], "ID", 1)], "not in the batches"),  # a row of the organisation in no batch
        ([(rows[0], "GKEY", 1)], "not in the batches"),  # an id given as a global key
        ([(rows[0], "ID", 1), ("k-0", "GKEY", 2)], "named more than once: '" + rows[0]),
        ([], "at least one data row identifier"),
    ]:
        with pytest.raises(InvalidQueryError, match=message):
            _set(client, project, items)
    with pytest.raises(InvalidQueryError, match="non 32-bit signed integer"):
        _set(client, project, [(rows[0], "ID", 2**31)])
    with pytest.raises(InvalidQueryError, match="IdType"):
        _set(client, project, [(rows[0], "UUID", 1)])
    assert _priorities(client, project) == {rows[0]: 3, rows[1]: 3}


def test_bulk_updates_that_cannot_apply_are_refused_at_once_and_change_nothing(mock: MockLabelbox) -> None:
    client, project, rows = _setup(mock)
    project.create_batch("a", rows[:2], priority=3)
    for keys, id_type, message in [
        ([rows[0], rows[4]], "ID", "not in the batches of project .*'" + rows[4]),
        (["k-0", "k-9"], "GKEY", "'k-9'"),
        ([], "ID", "at least one data row identifier"),
        (None, "ID", "at least one data row identifier"),
    ]:
        with pytest.raises(InvalidQueryError, match=message):
            _start_update(client, project, keys, id_type, 1)
    with pytest.raises(InvalidQueryError, match="non 32-bit signed integer"):
        _start_update(client, project, [rows[0]], "ID", -(2**31) - 1)
    with pytest.raises(InvalidInput, match="at most 1,000,000 data rows"):
        org = mock.backend.store.org_for_key(mock.api_key)
        assert org is not None
        queue_priority.check_update(org, project.uid, [rows[0]] * 1_000_001, "ID", 1)
    assert _priorities(client, project) == {rows[0]: 3, rows[1]: 3}


def test_a_failed_update_task_changes_nothing_and_rows_gone_meanwhile_fail_it(mock: MockLabelbox) -> None:
    client, project, rows = _setup(mock)
    batch = project.create_batch("a", rows[:2], priority=3)
    mock.set_transition("queue-priority-update", outcome="FAILED", error="queue busy")
    with pytest.raises(TaskFailedError, match="queue busy"):
        _start_update(client, project, [rows[0]], "ID", 1).wait_till_done()
    assert _priorities(client, project) == {rows[0]: 3, rows[1]: 3}

    mock.set_transition("queue-priority-update", progression="reads", times=2)
    task = _start_update(client, project, [rows[0], rows[1]], "ID", 1)
    client.execute(REMOVE, {"p": project.uid, "b": batch.uid}, experimental=True)  # both rows leave the queue
    with pytest.raises(TaskFailedError, match="not in the batches"):
        task.wait_till_done()
    assert _priorities(client, project) == {}
