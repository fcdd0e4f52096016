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
import requests

import labelbox_lite as lb
from labelbox_lite import exceptions as exc
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
    objects += [client, client._transport, client._transport._api,
                client._transport._downloads, client.retry, client._transport._api.adapters["http://"]]

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
            objects += [mock, mock.backend, mock.backend.store, mock.handler, mock._mount]
            _workflow("https://api.labelbox.com/graphql", mock.backend, fake_time, errors, objects)
            dumps = [mock.state(), mock.requests, mock.backend.faults.pending(), mock.transitions()]
    else:
        with RunningServer(Backend([SECRET, "another-key"])) as server:
            objects += [server, server.server, server.backend, server.backend.store]
            _workflow(server.graphql_url, server.backend, fake_time, errors, objects)
            dumps = [requests.get(server.url + path, headers={"Authorization": f"Bearer {SECRET}"}, timeout=5).text
                     for path in ("/_mock/state", "/_mock/requests", "/_mock/faults")]
    seen = {
        "log lines": all_logs.lines,
        "exception texts": errors,
        "reprs": [repr(item) for item in objects] + [str(item) for item in objects],
        "state and journal dumps": [repr(dump) for dump in dumps],
    }
    # the capture did see the workflow: its five retry lines (and, over a socket, urllib3's connection lines);
    # other libraries' debug lines come and go with what is installed, so they are not counted on
    assert len(all_logs.lines) >= (50 if kind == "standalone" else 5)
    assert any(line.split()[2] == "labelbox_lite.retry" for line in all_logs.lines)
    if kind == "standalone":
        assert any(line.split()[2].startswith("urllib3") for line in all_logs.lines)
    assert len(errors) > 20
    for where, texts in seen.items():
        for text in texts:
            assert SECRET not in text, f"the API key leaked into {where}: {text[:300]}"
            assert WRONG_SECRET not in text, f"the refused API key leaked into {where}: {text[:300]}"


def _fault(operation: str = "*", times: int = 1, **kind: Any) -> Any:
    from mockserver.control.faults import Fault

    return Fault(operation=operation, times=times, **kind)


# -- request objects attached to raised errors ------------------------------------------------------

def _reachable_requests(error: BaseException) -> list[requests.PreparedRequest]:
    """Every PreparedRequest a caller can reach from `error`: its chain, attributes, args and responses."""
    found: list[requests.PreparedRequest] = []
    seen: set[int] = set()
    pending: list[Any] = [error]
    while pending:
        item = pending.pop()
        if item is None or id(item) in seen or isinstance(item, (str, bytes, int, float, bool)):
            continue
        seen.add(id(item))
        if isinstance(item, requests.PreparedRequest):
            found.append(item)
        elif isinstance(item, requests.Response):
            pending += [item.request, *item.history]
        elif isinstance(item, BaseException):
            pending += [item.__cause__, item.__context__, *item.args, *vars(item).values()]
        elif isinstance(item, (list, tuple)):
            pending += item
    return found


@pytest.mark.parametrize("kind", ["in-process", "standalone"])
def test_no_request_on_a_raised_error_carries_the_key(kind: str, fake_time: FakeTime) -> None:
    def run(endpoint: str, backend: Backend) -> list[BaseException]:
        world = world_from(backend.seed(standard_seed(2), api_key=SECRET), 2)
        policy = lb.RetryPolicy(attempts=1, sleep=fake_time.sleep, clock=fake_time.clock)
        client = lb.Client(api_key=SECRET, endpoint=endpoint, retry=policy)
        model = client.get_model(world.model_id)
        raised: list[BaseException] = []
        cases: list[tuple[dict[str, Any], Callable[[], object]]] = [
            ({"operation": "CreateModelRunPyApi", "reset": True}, lambda: model.create_model_run("dropped")),
            ({"operation": "GetModelPyApi", "reset": True, "times": 2}, lambda: client.get_model(world.model_id)),
            ({"operation": "CreateModelRunPyApi", "truncate": True}, lambda: model.create_model_run("cut")),
            ({"operation": "GetModelPyApi", "truncate": True, "times": 2}, lambda: client.get_model(world.model_id)),
            ({"operation": "GetModelPyApi", "status": 503, "times": 2}, lambda: client.get_model(world.model_id)),
            ({"operation": "CreateModelRunPyApi", "status": 500}, lambda: model.create_model_run("failed")),
            ({"operation": "CreateModelRunPyApi", "status": 429, "times": 2}, lambda: model.create_model_run("x")),
        ]
        for fault, call in cases:
            backend.faults.add(_fault(**fault))
            with pytest.raises(exc.LabelboxError) as failure:
                call()
            raised.append(failure.value)
        backend.faults.add(_fault("CreateModelRunPyApi", delay=0.2))
        client._transport.timeout = 0.02
        with pytest.raises(exc.TimeoutError) as timed_out:
            model.create_model_run("slow")
        raised.append(timed_out.value)
        return raised

    if kind == "in-process":
        with MockLabelbox(SECRET) as mock:
            raised = run("https://api.labelbox.com/graphql", mock.backend)
    else:
        with RunningServer(Backend([SECRET])) as server:
            raised = run(server.graphql_url, server.backend)
        with socket.socket() as probe:  # and a connection refused
            probe.bind(("127.0.0.1", 0))
            closed = probe.getsockname()[1]
        policy = lb.RetryPolicy(attempts=1, sleep=fake_time.sleep, clock=fake_time.clock)
        with pytest.raises(exc.NetworkError) as refused:
            lb.Client(api_key=SECRET, endpoint=f"http://127.0.0.1:{closed}/graphql", retry=policy).get_user()
        raised.append(refused.value)

    kinds = {type(error) for error in raised}
    assert {exc.NetworkError, exc.InternalServerError, exc.ApiLimitError, exc.TimeoutError} <= kinds
    carried = [request for error in raised for request in _reachable_requests(error)]
    assert len(carried) >= 3  # dropped and timed-out tries keep their request, for callers who inspect it
    for request in carried:
        assert SECRET not in repr(dict(request.headers))
        assert request.headers.get("Authorization") in (None, "<redacted>")


def test_redaction_masks_every_request_in_a_chain_and_leaves_what_was_sent_alone() -> None:
    from labelbox_lite.transport import redact_requests

    sent = requests.Request("POST", "https://api.labelbox.com/graphql", json={},
                            headers={"Authorization": f"Bearer {SECRET}", "Proxy-Authorization": "Basic eA==",
                                     "X-Kept": "1"}).prepare()
    response = requests.Response()
    response.request = sent
    inner = requests.exceptions.HTTPError("inner", response=response)
    outer = requests.exceptions.ConnectionError("outer", request=sent)
    outer.__cause__ = inner
    inner.__context__ = outer  # a cycle does not hang the walk
    wrapped = exc.NetworkError(outer)
    assert redact_requests(wrapped) is wrapped
    for request in _reachable_requests(wrapped):
        assert request.headers["Authorization"] == "<redacted>"
        assert request.headers["Proxy-Authorization"] == "<redacted>"
        assert request.headers["X-Kept"] == "1" and request.body == sent.body
    assert sent.headers["Authorization"] == f"Bearer {SECRET}"  # a copy is masked, not the request in use


def test_the_mocks_request_repr_masks_credentials() -> None:
    from mockserver.http.messages import HttpRequest

    request = HttpRequest("POST", "http://127.0.0.1/graphql",
                          {"Authorization": f"Bearer {SECRET}", "Content-Type": "application/json"})
    text = repr(request)
    assert SECRET not in text and "'authorization': '<redacted>'" in text and "application/json" in text
    assert request.header("authorization") == f"Bearer {SECRET}"  # the handler still reads it
