"""The task engine's transitions, and the client's one polling loop that waits on them."""

from __future__ import annotations

import builtins
from typing import Any

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite.exceptions import TaskFailedError, TimeoutError
from mockserver import CommandError, MockLabelbox, MockServerClient, RunningServer

from ..support import KEY, FakeTime, World, standard_seed, world_from

STATUS_OPERATIONS = {"MEADataRowRegistrationTaskStatusPyApi", "MEALabelRegistrationTaskStatusPyApi",
                     "assignDataRowsToDataSplitTaskStatusPyApi", "GetUserCreatedTasksPyApi"}


def status_reads(mock: MockLabelbox) -> int:
    return sum(1 for r in mock.requests if r.operation in STATUS_OPERATIONS)


@given(times=st.integers(0, 12))
def test_reads_transition_is_seen_exactly(client: lb.Client, mock: MockLabelbox, world: World,
                                          fake_time: FakeTime, times: int) -> None:
    mock.reset()

    fresh = world_from(mock.seed(standard_seed(3)), 3)
    run = client.get_model(fresh.model_id).create_model_run("r")
    mock.set_transition("data-row-registration", progression="reads", times=times)
    fake_time.sleeps.clear()
    assert run.upsert_data_rows(global_keys=fresh.global_keys) is True
    assert status_reads(mock) == times + 1
    assert fake_time.sleeps == [5.0] * times  # the reference's five-second interval, on the fake clock
    assert len(list(run.model_run_data_rows())) == 3


@given(times=st.integers(1, 6), message=st.text(min_size=1, max_size=40).filter(str.strip))
def test_a_failing_task_raises_with_the_servers_message_and_applies_nothing(
        client: lb.Client, mock: MockLabelbox, world: World, times: int, message: str) -> None:
    run = client.get_model(world.model_id).create_model_run(f"r-{times}-{len(mock.requests)}")
    mock.set_transition("*", progression="reads", times=times, outcome="FAILED", error=message)
    try:
        with pytest.raises(TaskFailedError) as raised:
            run.upsert_data_rows(global_keys=world.global_keys)
        assert message in str(raised.value)
        with pytest.raises(TaskFailedError):
            run.upsert_labels(project_id=world.project_id)
        assert list(run.model_run_data_rows()) == []
    finally:
        mock.backend.tasks.clear_transitions()
        run.delete()


@given(timeout=st.integers(1, 600))
def test_a_task_that_never_finishes_times_out_on_the_injected_clock(
        client: lb.Client, mock: MockLabelbox, world: World, fake_time: FakeTime, timeout: int) -> None:
    run = client.get_model(world.model_id).create_model_run(f"r-{timeout}-{len(mock.requests)}")
    mock.set_transition("split-assignment", progression="reads", times=10**6)
    run.upsert_data_rows(global_keys=world.global_keys[:1])
    start = fake_time.now
    try:
        with pytest.raises(TimeoutError, match="split assignment") as raised:
            run.assign_data_rows_to_split(global_keys=world.global_keys[:1], split="TEST", timeout_seconds=timeout)
        assert run.uid in str(raised.value)
        assert fake_time.now - start == pytest.approx(timeout)
        assert isinstance(raised.value, builtins.TimeoutError)  # what the SDK raises, so old handlers still work
    finally:
        mock.backend.tasks.clear_transitions()
        run.delete()


def test_time_transition_completes_when_the_mock_clock_passes_its_duration(mock: MockLabelbox, world: World) -> None:
    fake = FakeTime()

    def sleep(seconds: float) -> None:
        fake.sleep(seconds)
        mock.advance_clock(seconds)

    client = lb.Client(api_key=mock.api_key, poller=lb.Poller(clock=fake.clock, sleep=sleep))
    run = client.get_model(world.model_id).create_model_run("timed")
    mock.set_transition("data-row-registration", progression="time", duration=12)
    run.upsert_data_rows(global_keys=world.global_keys[:2])
    assert fake.sleeps == [5.0, 5.0, 5.0]
    assert len(list(run.model_run_data_rows())) == 2


def test_time_transition_effect_lands_without_polling(client: lb.Client, mock: MockLabelbox, world: World) -> None:
    from labelbox_lite import documents as docs

    run = client.get_model(world.model_id).create_model_run("later")
    mock.set_transition("data-row-registration", progression="time", duration=60)
    client.execute(docs.UPSERT_DATA_ROWS, {"modelRunId": run.uid, "dataRowIds": None, "globalKeys": ["gk-0"]})
    assert list(run.model_run_data_rows()) == []  # not before it completes
    mock.advance_clock(61)
    assert len(list(run.model_run_data_rows())) == 1


def test_get_task_by_id_refresh_and_wait(client: lb.Client, mock: MockLabelbox, world: World,
                                         fake_time: FakeTime) -> None:
    from labelbox_lite import documents as docs

    run = client.get_model(world.model_id).create_model_run("r")
    mock.set_transition("data-row-registration", progression="reads", times=3)
    task_id = client.execute(docs.UPSERT_DATA_ROWS, {"modelRunId": run.uid, "dataRowIds": None, "globalKeys": ["gk-0"]})[
        "createMEAModelRunDataRowRegistrationTask"]
    task = client.get_task_by_id(task_id)
    assert task.status == "IN_PROGRESS" and task.status_as_enum is lb.TaskStatus.In_Progress
    task.wait_till_done(timeout_seconds=60)
    assert task.status == "COMPLETE" and task.completion_percentage == 100.0
    assert fake_time.sleeps == [2.0, 2.0]
    assert task.created_at is not None and task.updated_at is not None and task.updated_at >= task.created_at
    assert task.type == "data-row-registration" and task.errors is None
    with pytest.raises(ValueError):
        task.wait_till_done(check_frequency=1)


def test_task_wait_raises_for_a_failed_task(client: lb.Client, mock: MockLabelbox, world: World) -> None:
    from labelbox_lite import documents as docs

    run = client.get_model(world.model_id).create_model_run("r")
    mock.set_transition("data-row-registration", outcome="FAILED", error="disk on fire")
    task_id = client.execute(docs.UPSERT_DATA_ROWS, {"modelRunId": run.uid, "dataRowIds": ["x"], "globalKeys": None})[
        "createMEAModelRunDataRowRegistrationTask"]
    task = client.get_task_by_id(task_id)
    assert task.status == "FAILED" and task.errors == "disk on fire" and task.has_errors()
    with pytest.raises(TaskFailedError, match="disk on fire"):
        task.wait_till_done()
    with pytest.raises(ValueError, match="disk on fire"):
        _ = task.result


def test_transitions_over_http(server: RunningServer, server_client: lb.Client, fake_time: FakeTime) -> None:
    remote = MockServerClient(server.url, "test-key")
    world = world_from(remote.seed(standard_seed(3)), 3)
    remote.set_transition("data-row-registration", "reads", times=2)
    run = server_client.get_model(world.model_id).create_model_run("r")
    assert run.upsert_data_rows(global_keys=world.global_keys) is True
    assert fake_time.sleeps == [5.0, 5.0]
    bad: dict[str, Any]
    for bad in ({"kind": "nope"}, {"progression": "eventually"}, {"outcome": "MAYBE"}, {"times": -1}):
        with pytest.raises(CommandError) as refused:
            remote.set_transition(**bad)
        assert refused.value.status == 400, bad
    assert requests.post(server.url + "/_mock/transitions", json={"colour": 1}, headers=KEY, timeout=10).status_code == 400
    remote.clear_transitions()
    assert remote.state()["transitions"] == {}
