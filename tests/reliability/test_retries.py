"""The client's retries against injected faults, in-process and over loopback.

Every client here waits on the fake clock (see Target.client): the figures
asserted are the waits the policy asked for, never elapsed time.
"""

from __future__ import annotations

import socket
from typing import Any

import pytest

import labelbox_lite as lb
from labelbox_lite import exceptions as exc
from mockserver import RunningServer
from mockserver.backend import Backend

from ..support import FakeTime, World, standard_seed, world_from
from .conftest import Target

GET_MODEL = "GetModelPyApi"
CREATE_RUN = "CreateModelRunPyApi"

# what a query rides out, as keyword arguments of inject_fault
QUERY_SURVIVES = {
    "429": {"status": 429},
    "500": {"status": 500},
    "502": {"status": 502},
    "503": {"status": 503},
    "504": {"status": 504},
    "503+retry-after": {"status": 503, "retry_after": 1},
    "dropped connection": {"reset": True},
    "truncated body": {"truncate": True},
}


def _runs(target: Target, model_id: str) -> list[str]:
    return [run.name for run in target.backend.store.organizations()[0].model_runs.values()
            if run.model_id == model_id]


@pytest.mark.parametrize("fault", QUERY_SURVIVES.values(), ids=QUERY_SURVIVES.keys())
def test_a_query_rides_out_faults_within_its_budget(target: Target, seeded: World, fault: dict[str, Any]) -> None:
    target.backend.faults.add(_fault(GET_MODEL, times=2, **fault))
    model = target.client(attempts=2).get_model(seeded.model_id)
    assert model.uid == seeded.model_id
    assert len(target.requests_for(GET_MODEL)) == 3
    assert target.backend.faults.pending() == []


@pytest.mark.parametrize("fault", QUERY_SURVIVES.values(), ids=QUERY_SURVIVES.keys())
def test_a_query_beyond_its_budget_fails_naming_the_attempts(target: Target, seeded: World,
                                                              fault: dict[str, Any]) -> None:
    target.backend.faults.add(_fault(GET_MODEL, times=3, **fault))
    with pytest.raises((exc.InternalServerError, exc.ApiLimitError, exc.NetworkError)) as raised:
        target.client(attempts=2).get_model(seeded.model_id)
    message = str(raised.value)
    assert "GetModelPyApi" in message and "after 3 attempts" in message and "allows 2 retries" in message
    assert len(target.requests_for(GET_MODEL)) == 3


def test_a_mutation_is_retried_on_429_and_takes_effect_once(target: Target, seeded: World) -> None:
    target.backend.faults.add(_fault(CREATE_RUN, times=2, status=429))
    model = target.client(attempts=3).get_model(seeded.model_id)
    model.create_model_run("once")
    assert _runs(target, seeded.model_id) == ["once"]
    assert len(target.requests_for(CREATE_RUN)) == 3


@pytest.mark.parametrize(("fault", "error", "words"), [
    ({"status": 503}, exc.InternalServerError, "not retried on a server error"),
    ({"status": 502, "retry_after": 1}, exc.InternalServerError, "not retried on a server error"),
    ({"reset": True}, exc.NetworkError, "may have taken effect"),
    ({"truncate": True}, exc.NetworkError, "cut short"),
], ids=["503", "502+retry-after", "dropped connection", "truncated body"])
def test_a_mutation_that_may_have_reached_the_server_is_not_retried(
        target: Target, seeded: World, fault: dict[str, Any], error: type[Exception], words: str) -> None:
    target.backend.faults.add(_fault(CREATE_RUN, times=1, **fault))
    model = target.client(attempts=5).get_model(seeded.model_id)
    with pytest.raises(error, match=words):
        model.create_model_run("maybe")
    assert len(target.requests_for(CREATE_RUN)) == 1
    assert _runs(target, seeded.model_id) == []  # faults fire before state
    model.create_model_run("maybe")  # and the caller can try again knowingly
    assert _runs(target, seeded.model_id) == ["maybe"]


def test_a_slow_answer_to_a_mutation_times_out_without_a_second_effect(target: Target, seeded: World) -> None:
    target.backend.faults.add(_fault(CREATE_RUN, times=1, delay=0.3))
    model = target.client(attempts=5).get_model(seeded.model_id)
    model.client._transport.timeout = 0.05
    with pytest.raises(exc.TimeoutError, match="no answer within 0.05 s; not retried"):
        model.create_model_run("slow")
    # the server did act (a delay serves the request, then holds the answer): exactly once
    assert _runs(target, seeded.model_id) == ["slow"]
    assert len(target.requests_for(CREATE_RUN)) == 1


def test_a_slow_answer_to_a_query_is_asked_again(target: Target, seeded: World) -> None:
    target.backend.faults.add(_fault(GET_MODEL, times=1, delay=0.3))
    client = target.client(attempts=2, timeout=0.05)
    assert client.get_model(seeded.model_id).uid == seeded.model_id
    assert len(target.requests_for(GET_MODEL)) == 2


def test_an_idempotent_mutation_is_retried_like_a_query(target: Target, seeded: World) -> None:
    run = target.client().get_model(seeded.model_id).create_model_run("r", {"a": 1})
    target.backend.faults.add(_fault("updateModelRunConfigPyApi", times=2, status=503))
    target.backend.faults.add(_fault("resetModelRunConfigPyApi", times=1, reset=True))
    assert run.update_config({"b": 2}) == {"trainingMetadata": {"a": 1, "b": 2}}
    assert run.reset_config() == {"trainingMetadata": None}


def test_graphql_errors_are_answers_and_not_retried(target: Target, seeded: World) -> None:
    target.backend.faults.add(_fault(GET_MODEL, times=1, graphql_error="INTERNAL_SERVER_ERROR"))
    with pytest.raises(exc.LabelboxError, match="injected fault"):
        target.client().get_model(seeded.model_id)
    assert len(target.requests_for(GET_MODEL)) == 1


def test_retry_after_is_honoured_and_capped(target: Target, seeded: World, fake_time: FakeTime) -> None:
    target.backend.faults.add(_fault(GET_MODEL, times=1, status=429, retry_after=2))
    target.backend.faults.add(_fault(GET_MODEL, times=1, status=503, retry_after=600))
    client = target.client(attempts=3, max_retry_after=5, backoff_factor=100)
    client.get_model(seeded.model_id)
    assert fake_time.sleeps == [2, 5]  # what the server asked for, then the cap; never the backoff


def test_backoff_grows_exponentially_with_bounded_jitter(target: Target, seeded: World,
                                                          fake_time: FakeTime) -> None:
    target.backend.faults.add(_fault(GET_MODEL, times=4, status=502))
    target.client(attempts=4, backoff_factor=1, jitter=0.5).get_model(seeded.model_id)
    # the first retry goes at once, then each waits factor * 2**(n-1) plus jitter
    assert len(fake_time.sleeps) == 3
    for wait, base in zip(fake_time.sleeps, (2, 4, 8)):
        assert base <= wait <= base + 0.5


def test_the_deadline_stops_retrying_before_the_attempts_run_out(target: Target, seeded: World,
                                                                 fake_time: FakeTime) -> None:
    target.backend.faults.add(_fault(GET_MODEL, times=100, status=503))
    client = target.client(attempts=50, deadline=10, backoff_factor=1, jitter=0)
    with pytest.raises(exc.InternalServerError, match="after 4 attempts.*pass the 10 s deadline"):
        client.get_model(seeded.model_id)
    assert fake_time.sleeps == [2, 4]  # the next wait (8 s) would end past the deadline
    assert len(target.requests_for(GET_MODEL)) == 4


def test_a_retry_after_beyond_the_deadline_ends_the_call_at_once(target: Target, seeded: World,
                                                                 fake_time: FakeTime) -> None:
    target.backend.faults.add(_fault(GET_MODEL, times=1, status=429, retry_after=30))
    with pytest.raises(exc.ApiLimitError, match="HTTP 429; the next retry would pass the 10 s deadline"):
        target.client(deadline=10).get_model(seeded.model_id)
    assert fake_time.sleeps == []


def test_no_retries_when_the_policy_allows_none(target: Target, seeded: World) -> None:
    target.backend.faults.add(_fault(GET_MODEL, times=1, status=503))
    with pytest.raises(exc.InternalServerError, match="after 1 attempt: .*allows 0 retries"):
        target.client(attempts=0).get_model(seeded.model_id)


def test_the_fake_clock_is_all_a_retry_waits_on(target: Target, seeded: World, fake_time: FakeTime) -> None:
    target.backend.faults.add(_fault(GET_MODEL, times=2, status=503))
    target.client(attempts=2, deadline=5000, backoff_factor=1000, backoff_max=5000, jitter=0).get_model(seeded.model_id)
    assert fake_time.sleeps == [2000]  # a real wait this long would have failed the run


# -- connections that never open (standalone only: in-process there is no socket) -------------------

def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_mutation_is_retried_while_the_server_refuses_connections(fake_time: FakeTime) -> None:
    port = _free_port()
    backend = Backend()
    world = world_from(backend.seed(standard_seed(2)), 2)
    started: list[RunningServer] = []

    def sleep_then_start_server(seconds: float) -> None:
        fake_time.sleep(seconds)
        if len(fake_time.sleeps) == 2:  # the server comes up during the second wait
            started.append(RunningServer(backend, port=port).start())

    policy = lb.RetryPolicy(attempts=4, sleep=sleep_then_start_server, clock=fake_time.clock)
    client = lb.Client(api_key="test-key", endpoint=f"http://127.0.0.1:{port}/graphql", retry=policy)
    model = lb.Model(client=client, uid=world.model_id, name="detector", ontology_id=world.ontology_id)
    try:
        # first try refused at once (no wait), second refused after 1 s, third after the server started
        model.create_model_run("after-refusals")
        assert [run.name for run in backend.store.organizations()[0].model_runs.values()] == ["after-refusals"]
        assert [entry.operation for entry in backend.journal.entries()] == [CREATE_RUN]
    finally:
        for server in started:
            server.stop()


def test_a_server_that_never_answers_ends_in_a_clear_error_within_the_bound(fake_time: FakeTime) -> None:
    port = _free_port()
    policy = lb.RetryPolicy(attempts=3, backoff_factor=1, jitter=0, sleep=fake_time.sleep, clock=fake_time.clock)
    client = lb.Client(api_key="test-key", endpoint=f"http://127.0.0.1:{port}/graphql", retry=policy)
    with pytest.raises(exc.NetworkError, match=r"CreateModelRunPyApi at .* failed after 4 attempts: could not "
                                               r"connect.*allows 3 retries"):
        client.execute("mutation CreateModelRunPyApi { createModelRun(data: {name: \"x\", modelId: \"m\"}) { id } }")
    assert fake_time.sleeps == [2, 4]


def test_the_policy_shows_its_bounds_but_not_its_hooks() -> None:
    text = repr(lb.RetryPolicy(attempts=2, deadline=9))
    assert "attempts=2" in text and "deadline=9" in text and "sleep" not in text


def _fault(operation: str, times: int, **kind: Any) -> Any:
    from mockserver.control.faults import Fault

    return Fault(operation=operation, times=times, **kind)
