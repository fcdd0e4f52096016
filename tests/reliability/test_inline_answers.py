"""The standalone server's fast path (issue 24, throughput): a cheap cached query is answered on the event
loop by `Handler.inline`, everything else in the pool. The fast path must answer exactly what the pool
would, journal it the same way, and decline (doing nothing) whenever answering could take long or wait."""

from __future__ import annotations

import json
import threading
import time
import uuid
from typing import Any

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite import documents
from mockserver import MockLabelbox, RunningServer
from mockserver.backend import Backend
from mockserver.clock import tenant_scope
from mockserver.control.faults import Fault
from mockserver.engines.tasks import Transition
from mockserver.http import handler as handler_module
from mockserver.http.handler import INLINE_MAX_BODY_BYTES, Handler
from mockserver.http.messages import HttpRequest, HttpResponse

KEY, OTHER = "test-key", "other-key"
SEED = {"ontologies": [{"name": "o", "tools": [{"tool": "rectangle", "name": "box"}]}],
        "models": [{"name": "m", "ontology": "o"}]}


def _request(query: str, variables: dict[str, Any] | None = None, *, api_key: str | None = KEY,
             operation: str | None = None, content_type: str = "application/json", body: bytes | None = None
             ) -> HttpRequest:
    headers = {"content-type": content_type}
    if api_key is not None:
        headers["authorization"] = f"Bearer {api_key}"
    payload = {"query": query, "variables": variables or {}}
    if operation is not None:
        payload["operationName"] = operation
    data = json.dumps(payload).encode() if body is None else body
    return HttpRequest("POST", "http://127.0.0.1:8080/graphql", headers, data)


@pytest.fixture
def world() -> tuple[Backend, Handler, str]:
    backend = Backend([KEY, OTHER])
    model_id = backend.seed(SEED, KEY)["models"][0]
    return backend, Handler(backend), model_id


def _fresh(query: str) -> str:
    """The document under a text no test used before: the document cache (and what it measured) is shared
    by every mock in the process."""
    return f"{query}\n# {uuid.uuid4()}"


def _without_duration(entries: list[Any]) -> list[Any]:
    return [(entry.method, entry.path, entry.operation, entry.variables, entry.status, entry.query)
            for entry in entries]


def _same(first: HttpResponse, second: HttpResponse) -> None:
    assert (first.status, first.body, first.headers) == (second.status, second.body, second.headers)


def test_a_cached_cheap_query_is_answered_inline_as_the_pool_answers_it(world: tuple[Backend, Handler, str]) -> None:
    backend, handler, model_id = world
    request = _request(_fresh(documents.GET_MODEL), {"id": model_id})
    assert handler.inline(request) is None  # never seen: its cost is unknown, so the pool answers first
    pooled = handler(request)
    inline = handler.inline(request)
    assert inline is not None
    _same(inline, pooled)
    assert json.loads(inline.body)["data"]["model"]["id"] == model_id  # type: ignore[arg-type]
    [first, second] = backend.journal.entries()
    assert _without_duration([first]) == _without_duration([second])


@settings(max_examples=40, deadline=None)
@given(model_id=st.one_of(st.just("real"), st.text(max_size=30)), operation=st.sampled_from([None, "GetModelPyApi"]),
       which=st.sampled_from(["model", "user", "models"]))
def test_inline_and_pool_answers_agree(model_id: str, operation: str | None, which: str) -> None:
    backend = Backend([KEY])
    real = backend.seed(SEED, KEY)["models"][0]
    handler = Handler(backend)
    if which == "model":
        query, variables = documents.GET_MODEL, {"id": real if model_id == "real" else model_id}
    elif which == "user":
        query, variables, operation = "query GetUserPyApi { user { id email } }", {}, None
    else:
        query, variables = documents.GET_MODELS, {"where": {}, "skip": 0, "first": len(model_id) % 5 + 1}
        operation = "GetModelsPyApi" if operation else None
    request = _request(query, variables, operation=operation)
    with pytest.MonkeyPatch.context() as patched:  # whatever the first answer measured (a lazy import, a busy
        patched.setattr(handler_module, "INLINE_MAX_NS", 10**12)  # machine), it is cheap: compare the two
        pooled = handler(request)
        inline = handler.inline(request)
    assert inline is not None
    _same(inline, pooled)
    journal = backend.journal.entries()
    assert len(journal) == 2 and _without_duration(journal[:1]) == _without_duration(journal[1:])


def test_what_is_not_known_cheap_goes_to_the_pool_untouched(world: tuple[Backend, Handler, str]) -> None:
    backend, handler, model_id = world
    query = _fresh(documents.GET_MODEL)
    handler(_request(query, {"id": model_id}))  # cached and measured cheap from here on
    mutation = "mutation DeleteModelPyApi($id: ID!) { deleteModels(where: {ids: [$id]}) }"
    declined = [
        _request(query, {"id": model_id}, api_key=None),  # keyless: the pool answers 401
        _request(query, {"id": model_id}, api_key="not-a-key"),
        _request(query, {"id": model_id}, content_type="multipart/form-data; boundary=x"),
        _request(query, body=b"{not json"),
        _request(query, body=json.dumps({"query": query, "variables": []}).encode()),  # malformed: the pool answers 400
        _request(query, {"id": model_id, "pad": "x" * INLINE_MAX_BODY_BYTES}),  # too big a body
        _request(query + " ", {"id": model_id}),  # another text: not cached yet
        _request(mutation, {"id": model_id}),  # a mutation, never
        _request(query, {"id": model_id}, operation="NoSuchOperation"),
    ]
    before = len(backend.journal.entries())
    for request in declined:
        assert handler.inline(request) is None
    assert len(backend.journal.entries()) == before  # nothing journaled: the pool will answer each once


def test_a_busy_organisation_or_one_with_tasks_running_goes_to_the_pool(world: tuple[Backend, Handler, str]) -> None:
    backend, handler, model_id = world
    request = _request(documents.GET_MODEL, {"id": model_id})
    handler(request)
    org = backend.store.org_for_key(KEY)
    assert org is not None
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with backend.store.org_lock(org.id):
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(10)
    try:
        assert handler.inline(request) is None  # never waits for the lock: the loop must not block
        other = _request("query GetUserPyApi { user { id } }", api_key=OTHER)
        handler(other)
        assert handler.inline(other) is not None  # another organisation's lock is its own
    finally:
        release.set()
        holder.join()
    assert handler.inline(request) is not None
    # a task in progress: a read could complete it and run its effect, so the pool answers
    backend.set_transition("*", Transition(progression="reads", times=5), tenant=org.id)
    with tenant_scope(org.id):
        started = backend.tasks.start(org, "batch-creation", "t")
    assert started.status == "IN_PROGRESS"
    assert handler.inline(request) is None
    backend.reset(org.id)  # its tasks go with its state: the fast path is open again
    handler(_request("query GetUserPyApi { user { id } }"))
    assert handler.inline(_request("query GetUserPyApi { user { id } }")) is not None


def test_a_fault_fires_once_on_the_fast_path(world: tuple[Backend, Handler, str]) -> None:
    backend, handler, model_id = world
    request = _request(documents.GET_MODEL, {"id": model_id})
    handler(request)
    org = backend.store.org_for_key(KEY)
    assert org is not None
    backend.add_fault(Fault(operation="GetModelPyApi", status=500, times=1), tenant=org.id)
    faulted = handler.inline(request)
    assert faulted is not None and faulted.status == 500
    answered = handler.inline(request)
    assert answered is not None and answered.status == 200


def test_a_query_that_runs_long_sends_its_organisation_to_the_pool_for_a_while(
        world: tuple[Backend, Handler, str], monkeypatch: pytest.MonkeyPatch) -> None:
    backend, handler, model_id = world
    query = _fresh(documents.GET_MODEL)
    request = _request(query, {"id": model_id})
    handler(request)
    other = _request("query GetUserPyApi { user { id } }", api_key=OTHER)
    handler(other)
    prepared = backend.graphql.cached(query)
    assert prepared is not None and 0 <= prepared.cost_ns <= handler_module.INLINE_MAX_NS
    clock = iter(range(0, 10**12, 10 * handler_module.INLINE_MAX_NS))
    with monkeypatch.context() as patched:
        patched.setattr(handler_module, "_cpu_ns", lambda: next(clock))  # every answer now takes long
        assert handler.inline(request) is not None  # known cheap when it began: it runs, and is measured
    assert prepared.cost_ns > handler_module.INLINE_MAX_NS
    assert handler.inline(request) is None  # its organisation cools down in the pool
    assert handler.inline(other) is not None  # another organisation does not
    assert handler(request).status == 200  # the pool measures it cheap again...
    assert handler.inline(request) is None  # ...but the cooldown holds until it ends
    monkeypatch.setattr(time, "monotonic", lambda: 10**9)  # the handler reads time.monotonic
    assert handler.inline(request) is not None


def test_the_server_answers_cheap_queries_on_its_loop_and_the_rest_in_its_pool(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # the route, not the threshold (the cooldown test holds that): any measured cost counts as cheap here,
    # so a first answer that pays a lazy import, or a busy machine, cannot move a request to the pool
    monkeypatch.setattr(handler_module, "INLINE_MAX_NS", 10**12)
    backend = Backend([KEY, OTHER])
    model_id = backend.seed(SEED, KEY)["models"][0]
    with RunningServer(backend) as server:
        calls = {"inline": 0, "pool": 0}
        real = server.server.app.handler

        class Counted:
            def inline(self, request: HttpRequest) -> HttpResponse | None:
                answer = real.inline(request)
                calls["inline"] += answer is not None
                return answer

            def __call__(self, request: HttpRequest) -> HttpResponse:
                calls["pool"] += 1
                return real(request)

        server.server.app.handler = Counted()  # type: ignore[assignment]
        body = json.dumps({"query": _fresh(documents.GET_MODEL), "variables": {"id": model_id}})
        with requests.Session() as session:
            for _ in range(5):
                answer = session.post(server.graphql_url, data=body, timeout=10,
                                      headers={"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"})
                assert answer.status_code == 200 and answer.json()["data"]["model"]["id"] == model_id
            mutation = json.dumps({"query": "mutation { createModel(data: {name: \"n\", ontologyId: \"x\"}) { id } }"})
            session.post(server.graphql_url, data=mutation, timeout=10,
                         headers={"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"})
        assert calls == {"inline": 4, "pool": 2}  # the first sight and the mutation in the pool


def test_an_in_process_mock_does_not_time_its_answers() -> None:
    """Only the standalone server answers inline, so only its handler times answers (two clock syscalls)."""
    query = _fresh("query GetUserPyApi { user { id } }")
    with MockLabelbox(api_key=KEY) as mock:
        assert not mock.handler.measures_cost
        lb.Client(api_key=KEY).execute(query)
        prepared = mock.backend.graphql.cached(query)
        assert prepared is not None and prepared.cost_ns == -1
    assert Handler(mock.backend).measures_cost
