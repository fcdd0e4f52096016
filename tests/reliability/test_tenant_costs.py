"""Issue 24, deliver 3: what one organisation's request costs is O(1) in other tenants' state.

Work is counted, not timed (as tests/mock/test_page_cost.py counts a page): the Python and builtin
calls made and the lines of Python run while organisation A's request is answered (a loop's every
turn is a line, whether it calls anything or not), and the peak memory allocated meanwhile (a copy of
another tenant's collection in C shows there). Each request
is measured beside other tenants holding SMALL and BIG of everything they can hold: signed and hosted
files (B's expired on its clock, so a sweep of every file would drop them), faults, tasks in progress,
pending label exports, journal entries, transitions and stopped recordings (one per organisation, of
BIG organisations). A step per item of another tenant's would add at least BIG - SMALL calls.
"""

from __future__ import annotations

import json
import sys
import tracemalloc
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.backend import Backend
from mockserver.clock import tenant_scope
from mockserver.control.faults import Fault
from mockserver.control.journal import Holders, Journal, RecordedRequest
from mockserver.engines.files import DEFAULT_TTL_SECONDS
from mockserver.engines.tasks import Transition
from mockserver.http.handler import Handler
from mockserver.http.messages import HttpRequest
from mockserver.state import models
from mockserver.state.organization import Organization
from mockserver.state.records import HostedFile
from mockserver.state.signed_files import SignedFiles, TenantFiles

SMALL, BIG = 10, 1000  # BIG: the per-organisation quota of faults and of hosted files
ORIGIN = "https://api.labelbox.com"


def _work(action: Callable[[], Any]) -> tuple[int, int]:
    """(steps, peak bytes allocated) while `action` runs. Steps are the Python and builtin calls made
    and the lines of Python run (a loop's every turn is one, calls or not)."""
    steps = 0

    def count(_frame: Any, event: str, _arg: Any) -> None:
        nonlocal steps
        if event in ("call", "c_call"):
            steps += 1

    def lines(_frame: Any, event: str, _arg: Any) -> Any:
        nonlocal steps
        if event == "line":
            steps += 1
        return lines

    tracemalloc.start()
    sys.setprofile(count)
    sys.settrace(lines)
    try:
        action()
    finally:
        sys.settrace(None)
        sys.setprofile(None)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return steps, peak


def _org(backend: Backend, key: str) -> Organization:
    org = backend.store.org_for_key(key)
    assert org is not None
    return org


class Shared:
    """A mock where organisation A (test-key) is measured while B (other-key) and `n` more organisations
    hold `n` of what they can hold."""

    def __init__(self, n: int) -> None:
        extra = [f"extra-key-{number}" for number in range(n)]
        self.backend = backend = Backend(["test-key", "other-key", *extra])
        # a journal at its ceiling, so A's every request evicts from the largest holder
        backend.control.journal = backend.journal = Journal(max_bytes=64 * 1024)
        self.handler = Handler(backend)
        self.a, b = _org(backend, "test-key"), _org(backend, "other-key")
        with tenant_scope(b.id):
            for number in range(n):
                backend.files.sign(ORIGIN, b"x" * 10)
                backend.host_file(f"https://e.example/{number}", b"y" * 10, tenant=b.id)
                backend.add_fault(Fault(operation=f"Op{number}", status=500), b.id)
            backend.set_transition("*", Transition(progression="reads", times=50), b.id)
        created = backend.seed({"ontologies": [{"name": "o"}], "models": [{"name": "m", "ontology": "o"}]},
                               tenant=b.id)
        with tenant_scope(b.id):
            model = b.models[created["models"][0]]
            for number in range(n):
                backend.tasks.start(b, "label-registration", f"t{number}")
                run = models.create_model_run(b, backend.store.ids, backend.clock, model.id, f"r{number}")
                backend.exports.export_labels(b, run.id)  # pending: its task reads IN_PROGRESS 50 times
        backend.advance_clock(DEFAULT_TTL_SECONDS + 1, b.id)  # B's files expire on B's clock, not on A's
        for key in extra:
            org = _org(backend, key)
            backend.start_tenant_recording(org.id)
            backend.stop_recording(org.id)
            backend.set_transition("export", Transition(progression="reads", times=2), org.id)
            for _ in range(3):
                self.send("POST", "/graphql", {"query": "query Me { user { id } }"}, key)

    def send(self, method: str, path: str, body: Any = None, key: str = "test-key") -> int:
        headers = {"authorization": f"Bearer {key}", "content-type": "application/json"}
        payload = json.dumps(body).encode() if body is not None else b""
        response = self.handler(HttpRequest(method, ORIGIN + path, headers, payload))
        assert response.status == 200, response.body
        return response.status


@pytest.fixture(scope="module")
def worlds() -> dict[int, Shared]:
    return {SMALL: Shared(SMALL), BIG: Shared(BIG)}


def _uploads(world: Shared) -> None:
    """64 uploads: sweeping every organisation's files once per so many signings is no cheaper."""
    with tenant_scope(world.a.id):
        for _ in range(64):
            world.backend.files.sign(ORIGIN, b"z" * 100)


REQUESTS: dict[str, Callable[[Shared], Any]] = {
    "64 uploads (each sweeps expired files)": _uploads,  # first: B's expired files are all still there
    "a GraphQL query": lambda w: w.send("POST", "/graphql", {"query": "query Me { user { id } }"}),
    "hosting a file": lambda w: w.send("POST", "/_mock/files", {"url": "https://a.example/f", "content": "a"}),
    "listing faults": lambda w: w.send("GET", "/_mock/faults"),
    "clearing faults": lambda w: w.send("DELETE", "/_mock/faults"),
    "listing transitions": lambda w: w.send("GET", "/_mock/transitions"),
    "clearing transitions": lambda w: w.send("DELETE", "/_mock/transitions"),
    "the tasks view": lambda w: w.send("GET", "/_mock/tasks"),
    "the state dump": lambda w: w.send("GET", "/_mock/state"),
    "a journal page": lambda w: w.send("GET", "/_mock/requests?after=0&limit=10"),
    "a reset": lambda w: w.send("POST", "/_mock/reset"),
}


UNWARMED = {"64 uploads (each sweeps expired files)"}  # signing caches nothing; a first round could sweep


@pytest.mark.parametrize("name", list(REQUESTS))
def test_a_request_costs_the_same_whatever_other_tenants_hold(worlds: dict[int, Shared], name: str) -> None:
    work = {}
    for n, world in worlds.items():
        if name not in UNWARMED:
            REQUESTS[name](world)  # the first fills caches (a document's validation, a view's index)
        work[n] = _work(lambda: REQUESTS[name](world))  # noqa: B023 - called at once
    (small_steps, small_peak), (big_steps, big_peak) = work[SMALL], work[BIG]
    assert big_steps - small_steps < (BIG - SMALL) // 4, (small_steps, big_steps)
    assert big_peak - small_peak < 8 * (BIG - SMALL) // 2, (small_peak, big_peak)


def test_other_tenants_state_is_intact_after_the_measured_requests(worlds: dict[int, Shared]) -> None:
    """What A's requests (a reset among them) did left every other organisation's things in place."""
    world = worlds[BIG]
    backend, b = world.backend, _org(world.backend, "other-key")
    assert backend.files.uploaded_bytes(b.id) == 10 * BIG  # expired, but only B's own signing sweeps them
    assert backend.store.tenant_files.held(b.id) == (BIG, 10 * BIG)
    assert len(backend.faults.armed(b.id)) == BIG
    assert not backend.tasks.settled(b)
    assert backend.control.recording_anything is False


# -- each index, against a scan of everything it replaces -------------------------------------------------

def _size(hosted: HostedFile) -> int:
    return len(hosted.content) if isinstance(hosted.content, bytes) else 0


_SIGNED_STEP = st.one_of(
    st.tuples(st.just("sign"), st.sampled_from(["a", "b", None]), st.integers(0, 100), st.integers(1, 50)),
    st.tuples(st.just("pop"), st.integers(0, 30)),
    st.tuples(st.just("expire"), st.sampled_from(["a", "b", None]), st.integers(0, 150)),
    st.tuples(st.just("drop"), st.sampled_from(["a", "b", None])),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_SIGNED_STEP, max_size=40))
def test_expiry_by_organisation_drops_exactly_what_a_scan_would(steps: list[tuple[Any, ...]]) -> None:
    """SignedFiles.expire(tenant, now) drops the files a scan of every file would, of that tenant only."""
    files = SignedFiles()
    tokens: list[str] = []
    for step in steps:
        if step[0] == "sign":
            _, tenant, expires_at, size = step
            tokens.append(f"t{len(tokens)}")
            files[tokens[-1]] = HostedFile(content=b"x" * size, expires_at=float(expires_at), tenant=tenant)
        elif step[0] == "pop" and tokens:
            files.pop(tokens[step[1] % len(tokens)], None)
        elif step[0] == "expire":
            _, tenant, now = step
            doomed = {t for t, h in files.items() if h.tenant == tenant and h.expires_at is not None
                      and h.expires_at <= now}
            before = dict(files.items())
            assert files.expire(tenant, float(now)) == len(doomed)
            assert dict(files.items()) == {t: h for t, h in before.items() if t not in doomed}
        elif step[0] == "drop":
            kept = {t: h for t, h in files.items() if h.tenant != step[1]}
            files.drop_tenant(step[1])
            assert dict(files.items()) == kept
        for tenant in ("a", "b", None):
            assert files.uploaded_bytes(tenant) == sum(_size(h) for h in files.values() if h.tenant == tenant)


def test_a_sweep_visits_only_the_signing_organisations_expired_files() -> None:
    files = SignedFiles()
    for number in range(5_000):
        files[f"b{number}"] = HostedFile(content=b"x", expires_at=1.0, tenant="b")  # all expired
    files["a0"] = HostedFile(content=b"x", expires_at=1.0, tenant="a")
    files["a1"] = HostedFile(content=b"x", expires_at=99.0, tenant="a")
    steps, _ = _work(lambda: files.expire("a", 10.0))
    assert steps < 80
    assert "a0" not in files and "a1" in files and len(files) == 5_001


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["set", "del", "drop"]), st.sampled_from(["a", "b"]),
                          st.integers(0, 4), st.integers(0, 40)), max_size=40))
def test_hosted_files_held_equals_a_scan(steps: list[tuple[str, str, int, int]]) -> None:
    files = TenantFiles()
    for action, tenant, url, size in steps:
        key = (tenant, f"u{url}")
        if action == "set":
            files[key] = HostedFile(content=b"x" * size, tenant=tenant)
        elif action == "del" and key in files:
            del files[key]
        elif action == "drop":
            files.drop_tenant(tenant)
        for owner in ("a", "b"):
            own = {k: h for k, h in files.items() if k[0] == owner}
            for left_out in (None, "u0"):
                kept = [h for k, h in own.items() if k[1] != left_out]
                assert files.held(owner, left_out) == (len(kept), sum(_size(h) for h in kept))
        assert len(files) == len(list(files))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["set", "remove", "clear"]), st.integers(0, 6), st.integers(0, 5)),
                max_size=60))
def test_the_largest_holder_is_what_max_over_the_holders_gives(steps: list[tuple[str, int, int]]) -> None:
    """Holders.largest() is max() over the tenants in the order they began holding, ties included."""
    holders, model = Holders(), {}
    for action, tenant, held in steps:
        if action == "set":
            holders.set(str(tenant), held)
            model[str(tenant)] = held
        elif action == "remove":
            holders.remove(str(tenant))
            model.pop(str(tenant), None)
        else:
            holders.clear()
            model.clear()
        assert len(holders) == len(model)
        if model:
            assert holders.largest() == max(model, key=lambda owner: model[owner])


def test_evicting_at_the_journal_ceiling_costs_the_same_with_many_holders() -> None:
    def journal_of(tenants: int) -> Journal:
        journal = Journal(max_bytes=200 * tenants + 50_000)
        for number in range(tenants):
            journal.record(RecordedRequest("POST", "/graphql", "Op", None, 200, tenant=f"t{number}"))
        for number in range(400):
            journal.record(RecordedRequest("POST", "/graphql", "Big", {"pad": "x" * 400}, 200, tenant="flood"))
        return journal

    work = {}
    for tenants in (SMALL, BIG):
        journal = journal_of(tenants)
        entry = RecordedRequest("POST", "/graphql", "Big", {"pad": "x" * 400}, 200, tenant="flood")
        work[tenants] = _work(lambda: journal.record(entry))  # noqa: B023 - called at once
        assert journal.held[1] <= 200 * tenants + 50_000
        assert len(journal.entries("t0")) == 1  # the flood gave up its own
    assert work[BIG][0] - work[SMALL][0] < (BIG - SMALL) // 4, work



# -- ids: after a restarted sequence, whether an id is live is one look, however many organisations -------

_TABLE_STEP = st.tuples(
    st.sampled_from(["set", "pop", "del", "setdefault", "update", "popitem", "clear", "reset", "track"]),
    st.integers(0, 2), st.sampled_from(["data_rows", "projects", "deleted_data_rows", "task_outcomes"]),
    st.integers(0, 5))


def _scanned_in_use(backend: Backend, candidate: str) -> bool:
    return any(candidate in (org.id, org.user.id) or any(candidate in table for table in org.tables())
               for org in backend.store.organizations())


@settings(max_examples=100, deadline=None)
@given(st.lists(_TABLE_STEP, max_size=40))
def test_the_live_id_index_answers_what_a_look_in_every_table_would(steps: list[tuple[str, int, str, int]]) -> None:
    """Store.id_in_use from the index equals a look in every table of every organisation, through every
    way a table changes, a reset, and an index started part way (ids seeded explicitly may repeat across
    organisations, so one organisation dropping an id leaves it live in another)."""
    backend = Backend(["k0", "k1", "k2"])
    store = backend.store
    for action, number, name, key in steps:
        org = store.organizations()[number]
        table: Any = getattr(org, name)
        if action == "set":
            table[f"id{key}"] = object()
        elif action == "pop":
            table.pop(f"id{key}", None)
        elif action == "del" and f"id{key}" in table:
            del table[f"id{key}"]
        elif action == "setdefault":
            table.setdefault(f"id{key}", object())
        elif action == "update":
            table.update({f"id{key}": object(), f"id{key + 1}": object()})
        elif action == "popitem" and table:
            table.popitem()
        elif action == "clear":
            table.clear()
        elif action == "reset":
            store.reset_org(org)
        elif action == "track":
            store.track_ids()
        for candidate in [f"id{n}" for n in range(7)] + [org.id, org.user.id]:
            assert store.id_in_use(candidate) == _scanned_in_use(backend, candidate), candidate


def test_an_id_from_a_restarted_sequence_costs_the_same_with_many_organisations() -> None:
    work = {}
    for n in (SMALL, BIG):
        backend = Backend([f"key-{number}" for number in range(n)])
        backend.start_recording(7)  # restarts the sequence: every id is checked against the live ones
        work[n] = _work(lambda: [backend.store.ids.new() for _ in range(10)])  # noqa: B023 - called at once
    assert work[BIG][0] - work[SMALL][0] < (BIG - SMALL) // 4, work
