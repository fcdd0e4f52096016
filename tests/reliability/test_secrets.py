"""API keys never reach a log line (at any level), a repr, an exception message or a state dump.

A full workflow, with faults, retries and failures, runs while every logger
(urllib3, requests, responses, the mock's server included) records at DEBUG;
then everything a person could see is searched for the key.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import labelbox_lite as lb
from mockserver import MockLabelbox, RunningServer
from mockserver.backend import Backend

from ..support import FakeTime, standard_seed, world_from

SECRET = "lb-SECRET-7f3a9c21e4d05b68"
WRONG_SECRET = "lb-WRONG-0c9d8e7f6a5b4c3d"


class _Everything(logging.Handler):
    """Keeps every record, formatted with its traceback, as a person would read it."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record) + repr(record.args) + repr(record.__dict__.get("extra")))


@pytest.fixture
def all_logs() -> Iterator[_Everything]:
    root = logging.getLogger()
    handler = _Everything()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    logging.captureWarnings(True)
    try:
        yield handler
    finally:
        logging.captureWarnings(False)
        root.removeHandler(handler)
        root.setLevel(previous)


def _chain(error: BaseException) -> list[str]:
    texts = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        texts += [str(current), repr(current), repr(current.args)]
        current = current.__cause__ or current.__context__
    return texts


def _workflow(endpoint: str, backend: Backend, fake: FakeTime, errors: list[str], objects: list[Any]) -> None:
    world = world_from(backend.seed(standard_seed(4), api_key=SECRET), 4)
    policy = lb.RetryPolicy(attempts=2, sleep=fake.sleep, clock=fake.clock)
    poller = lb.Poller(clock=fake.clock, sleep=fake.sleep)
    client = lb.Client(api_key=SECRET, endpoint=endpoint, enable_experimental=True, retry=policy, poller=poller)
    objects += [client, client._transport, client._transport._queries, client._transport._mutations,
                client._transport._downloads, client.retry, client._transport._queries.adapters["http://"],
                client._transport._queries.adapters["http://"].max_retries]

    def expect_error(call: Callable[[], Any]) -> None:
        with pytest.raises(Exception) as raised:  # any failure will do: its text is what matters
            call()
        errors.extend(_chain(raised.value))

    user = client.get_user()
    objects += [user, client.get_organization()]
    model = client.get_model(world.model_id)
    run = model.create_model_run("secret-run", {"lr": 0.1})
    objects += [model, run]
    run.update_config({"epochs": 2})
    run.update_status(lb.ModelRun.Status.TRAINING_MODEL, metadata={"step": 1})
    run.upsert_data_rows(global_keys=world.global_keys[:2])
    run.upsert_labels(label_ids=world.label_ids)
    run.assign_data_rows_to_split(global_keys=world.global_keys[:2], split="TEST")
    rows = list(run.model_run_data_rows())
    objects += rows
    run.delete_model_run_data_rows([rows[0].data_row().uid])

    # faults: survived, and not
    backend.faults.add(_fault("GetModelPyApi", status=503, times=2))
    client.get_model(world.model_id)
    backend.faults.add(_fault("GetModelPyApi", truncate=True))
    client.get_model(world.model_id)
    backend.faults.add(_fault("CreateModelRunPyApi", reset=True))
    expect_error(lambda: model.create_model_run("dropped"))
    backend.faults.add(_fault("CreateModelRunPyApi", status=429, times=5))
    expect_error(lambda: model.create_model_run("limited"))
    backend.faults.add(_fault("*", graphql_error="AUTHENTICATION_ERROR"))
    expect_error(lambda: client.get_user())

    # failures of every other kind
    expect_error(lambda: client.get_model("no-such-model"))
    expect_error(lambda: client.execute("query Broken { nothing }"))
    expect_error(lambda: lb.Client(api_key=WRONG_SECRET, endpoint=endpoint, retry=policy).get_user())
    expect_error(lambda: lb.Client(api_key="", endpoint=endpoint))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    expect_error(lambda: lb.Client(api_key=SECRET, endpoint=f"http://127.0.0.1:{closed}/graphql",
                                   retry=policy).get_user())
    run.delete()
    client.close()


@pytest.mark.parametrize("kind", ["in-process", "standalone"])
def test_no_api_key_in_logs_reprs_errors_or_dumps(kind: str, all_logs: _Everything, fake_time: FakeTime) -> None:
    errors: list[str] = []
    objects: list[Any] = []
    if kind == "in-process":
        with MockLabelbox(SECRET, api_keys=["another-key"]) as mock:
            objects += [mock, mock.backend, mock.backend.store, mock.handler, mock._responses]
            _workflow("https://api.labelbox.com/graphql", mock.backend, fake_time, errors, objects)
            dumps = [mock.state(), mock.requests, mock.backend.faults.pending(), mock.transitions()]
    else:
        with RunningServer(Backend([SECRET, "another-key"])) as server:
            objects += [server, server.server, server.backend, server.backend.store]
            _workflow(server.graphql_url, server.backend, fake_time, errors, objects)
            import requests

            dumps = [requests.get(server.url + path, timeout=5).text
                     for path in ("/_mock/state", "/_mock/requests", "/_mock/faults")]
    seen = {
        "log lines": all_logs.lines,
        "exception texts": errors,
        "reprs": [repr(item) for item in objects] + [str(item) for item in objects],
        "state and journal dumps": [repr(dump) for dump in dumps],
    }
    # the capture did see the workflow: urllib3's retry lines (and, over a socket, its connection lines)
    assert len(all_logs.lines) > (50 if kind == "standalone" else 5)
    assert any(line.split()[2].startswith("urllib3") for line in all_logs.lines)
    assert len(errors) > 20
    for where, texts in seen.items():
        for text in texts:
            assert SECRET not in text, f"the API key leaked into {where}: {text[:300]}"
            assert WRONG_SECRET not in text, f"the refused API key leaked into {where}: {text[:300]}"


def _fault(operation: str, times: int = 1, **kind: Any) -> Any:
    from mockserver.control.faults import Fault

    return Fault(operation=operation, times=times, **kind)
