"""Issue 25: one registry of key slots (state/keys.py), holding digests only.

A key's tenant number is its slot, the order keys were added; everything else about a
key (its organisation, a recording's caller, a replay's sender) is derived from it.
No raw key may be held by the mock, nor reach a dump, recording, journal, view or
error text: a mock is seeded with distinctive keys, driven through every admin route
and the API, and everything it shows is searched for them, then the whole object
graph of its Backend.
"""

from __future__ import annotations

import base64
import json
import string
import types
from collections import deque
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.backend import Backend, shared_graphql_service
from mockserver.http.handler import Handler
from mockserver.http.messages import HttpRequest
from mockserver.state.keys import ADMIN, MIN_ADMIN_TOKEN_CHARS, KeySlots
from mockserver.state.seed import SeedError

ORIGIN = "https://api.labelbox.com"
SEED = {"ontologies": [{"name": "o"}], "models": [{"name": "m", "ontology": "o"}],
        "datasets": [{"name": "d", "data_rows": [{"row_data": "https://example.com/0.jpg", "global_key": "g0"}]}]}
CREATE_RUN = "mutation CreateModelRunPyApi($m: ID!){createModelRun(data: {name: \"r\", modelId: $m}){id}}"

# token68 characters, as a Bearer token may hold; long and prefixed, so no other text holds one by chance
_token = st.text(string.ascii_letters + string.digits + "-._~+/", min_size=16, max_size=40)
keys = st.lists(_token.map(lambda text: "lbk-" + text), min_size=2, max_size=4, unique=True).filter(
    lambda found: not any(a != b and a in b for a in found for b in found))
admin_tokens = _token.map(lambda text: "adm-" + text)


# -- the registry ------------------------------------------------------------------------------

@settings(max_examples=100, deadline=None)
@given(keys, st.data())
def test_keys_take_slots_in_the_order_added_and_only_digests_are_held(found: list[str], data: st.DataObject) -> None:
    slots = KeySlots()
    assert [slots.add_key(key) for key in found] == list(range(len(found)))
    again = data.draw(st.sampled_from(found))
    assert slots.add_key(again) == found.index(again) and len(slots) == len(found)  # a known key keeps its slot
    assert [slots.number(key) for key in found] == list(range(len(found)))
    for near in (found[0] + "x", found[0][:-1], found[0].upper() if found[0].upper() != found[0] else "LBK", "", None):
        assert slots.number(near) is None
    held = [repr(slots), *map(repr, vars(slots).values())]
    assert not any(key in text for key in found for text in held)


@given(keys, admin_tokens)
def test_an_admin_token_authenticates_as_admin_and_never_as_a_key(found: list[str], token: str) -> None:
    slots = KeySlots()
    for key in found:
        slots.add_key(key)
    slots.add_admin_token(token)
    slots.add_admin_token(token)  # the same token twice is one token
    assert slots.number(token) == ADMIN and len(slots) == len(found)
    with pytest.raises(ValueError, match="API key must differ from the admin token") as refused:
        slots.add_key(token)
    assert token not in str(refused.value)
    with pytest.raises(ValueError, match="admin token must differ from every API key") as refused:
        slots.add_admin_token(found[0])
    assert found[0] not in str(refused.value)


@pytest.mark.parametrize("token", ["", "short", " " * 40, "x" * (MIN_ADMIN_TOKEN_CHARS - 1), "tab\tin-the-token-0123"])
def test_a_weak_or_unprintable_admin_token_is_refused_without_being_named(token: str) -> None:
    with pytest.raises(ValueError, match=f"at least {MIN_ADMIN_TOKEN_CHARS} printable characters") as refused:
        KeySlots().add_admin_token(token)
    assert not token.strip() or token not in str(refused.value)


def test_two_mocks_digest_the_same_key_differently() -> None:
    """Each registry has its own secret: a digest copied out of one mock matches nothing in another."""
    first, second = KeySlots(), KeySlots()
    first.add_key("lbk-same-key-in-both")
    second.add_key("lbk-same-key-in-both")
    assert set(vars(first)["_numbers"]).isdisjoint(vars(second)["_numbers"])


# -- nothing the mock shows holds a key --------------------------------------------------------

class _Driver:
    """Sends requests through one mock's handler and keeps every answer's text."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.handler = Handler(backend)
        self.texts: list[str] = []

    def send(self, method: str, path: str, token: str | None, body: Any = None) -> Any:
        headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
        request = HttpRequest(method=method, url=ORIGIN + path, headers=headers,
                              body=json.dumps(body).encode() if body is not None else b"")
        response = self.handler(request)
        assert isinstance(response.body, bytes)
        self.texts += [response.body.decode("utf-8", "replace"), repr(response.headers), repr(request)]
        return json.loads(response.body) if response.body.startswith((b"{", b"[")) else None

    def graphql(self, token: str | None, query: str, variables: dict[str, Any] | None = None) -> Any:
        return self.send("POST", "/graphql", token, {"query": query, "variables": variables or {}})


def _drive(driver: _Driver, found: list[str], token: str) -> dict[str, Any]:
    """Every way in: seeds, the API (with faults and failures), each admin route as a tenant and as the
    admin, refusals of near-miss keys; answers the whole mock's recording."""
    driver.send("POST", "/_mock/recording", token, {"id_seed": 11})
    for key in found:
        models = driver.send("POST", "/_mock/seed", key, SEED)["models"]
        driver.send("POST", "/_mock/recording", key, {})
        driver.graphql(key, CREATE_RUN, {"m": models[0]})
        driver.graphql(key, "query Broken { nothing }")
        driver.graphql(key, CREATE_RUN, {"m": "no-such-model"})
        driver.send("POST", "/_mock/faults", key, {"operation": "GetUserPyApi", "status": 503})
        driver.graphql(key, "query GetUserPyApi { user { id email } }")
        driver.send("POST", "/_mock/transitions", key, {"kind": "*", "progression": "immediate"})
        driver.send("POST", "/_mock/clock", key, {"advance": 5})
        driver.send("POST", "/_mock/files", key, {"url": "https://example.com/f.txt", "content": key[:3]})
        for path in ("/_mock/faults", "/_mock/requests", "/_mock/state", "/_mock/recording"):
            driver.send("GET", path, key)
        driver.send("POST", "/_mock/export-chunking", key, {"chunk_bytes": 1000})  # admin only: 403
        driver.send("POST", "/_mock/seed", key, {"no such section": []})  # refused seed: 400 naming problems
        driver.send("DELETE", "/_mock/recording", key)
        for near in (key + "x", key[:-1], key.swapcase(), " " + key + " x"):
            driver.graphql(near, "query GetUserPyApi { user { id } }")
            driver.send("GET", "/_mock/state", near)
            driver.send("GET", "/api/v1/ontologies/unused", near)
    driver.send("POST", "/_mock/clock", token, {"advance": 1})  # server-wide: recorded as ADMIN
    for path in ("/_mock/tasks", "/_mock/imports", "/_mock/transitions", "/_mock/clock", "/_mock/state",
                 "/_mock/requests", "/_mock/faults"):
        driver.send("GET", path, token)
    recording: dict[str, Any] = driver.send("GET", "/_mock/recording", token)
    driver.send("DELETE", "/_mock/recording", token)
    return recording


def _errors(found: list[str], token: str) -> list[str]:
    """The texts of errors raised in-process about keys and tokens."""
    texts = []
    for attempt in (lambda: Backend(found, admin_token=found[0]), lambda: Backend(found).seed({"x": 1}, found[1]),
                    lambda: Backend(found, admin_token=token).add_api_key(token),
                    lambda: Backend(found, admin_token=token[:8])):
        with pytest.raises((ValueError, SeedError)) as raised:
            attempt()
        texts += [str(raised.value), repr(raised.value), repr(raised.value.args)]
    return texts


def _reachable(root: object, skip: set[int]) -> Iterator[str | bytes]:
    """Every str and bytes reachable from `root` through containers, attributes, slots, bound methods and
    closures (the shared, stateless GraphQL service and modules aside)."""
    seen, pending = set(skip), [root]  # a stack of objects still to look into
    while pending:
        item = pending.pop()
        if id(item) in seen or isinstance(item, (int, float, bool, type(None), type, types.ModuleType)):
            continue
        seen.add(id(item))
        if isinstance(item, (str, bytes, bytearray)):
            yield bytes(item) if isinstance(item, bytearray) else item
        elif isinstance(item, dict):
            pending += [*item.keys(), *item.values()]
        elif isinstance(item, (list, tuple, set, frozenset, deque)):
            pending += list(item)
        elif isinstance(item, types.MethodType):
            pending.append(item.__self__)
        elif isinstance(item, types.FunctionType):
            pending += [cell.cell_contents for cell in item.__closure__ or () if cell.cell_contents is not None]
            pending += list(item.__defaults__ or ())
        else:
            pending += list(getattr(item, "__dict__", {}).values())
            for cls in type(item).__mro__:
                slots = getattr(cls, "__slots__", ())
                names = (slots,) if isinstance(slots, str) else slots
                pending += [getattr(item, name) for name in names if hasattr(item, name)]


def _tables(backend: Backend) -> list[dict[str, list[str]]]:
    """Each organisation's records by table, as ids: what a replay rebuilds (times aside)."""
    return [{name: sorted(value) for name, value in org.items() if isinstance(value, dict)}
            for org in backend.dump()["organizations"]]


def _holding(texts: list[str | bytes], secrets: list[str]) -> list[str]:
    found = []
    for text in texts:
        for secret in secrets:
            if (secret in text) if isinstance(text, str) else (secret.encode() in text):
                found.append(f"{secret!r} in {text[:200]!r}")
    return found


@settings(max_examples=12, deadline=None)
@given(keys, admin_tokens)
def test_no_dump_recording_journal_view_or_error_holds_a_raw_key(found: list[str], token: str) -> None:
    backend = Backend(found, admin_token=token)
    driver = _Driver(backend)
    recording = _drive(driver, found, token)
    assert {call["tenant_number"] for call in recording["calls"]} == {ADMIN, *range(len(found))}
    # replayed into a mock of the same keys, as the admin: every call sent as its tenant number
    fresh = Backend(found, admin_token=token)
    replayed = _Driver(fresh)
    assert replayed.send("POST", "/_mock/replay", token, recording)["failed"] == 0
    assert _tables(fresh) == _tables(backend)
    seen: list[str | bytes] = [
        *driver.texts, *replayed.texts, *_errors(found, token),
        json.dumps(recording), *[base64.b64decode(call["body"]) for call in recording["calls"]],
        json.dumps(backend.dump()), json.dumps([entry.to_json() for entry in backend.journal.entries()]),
        *[repr(item) for item in (backend, backend.store, backend.store.keys, driver.handler)],
    ]
    assert len(driver.texts) > 100
    assert not _holding(seen, [*found, token])
    # and nothing either mock holds, anywhere
    skip = {id(shared_graphql_service())}
    for mock in (backend, fresh):
        assert not _holding(list(_reachable(mock, skip)), [*found, token])


def test_a_version_2_recording_names_its_callers_tenant() -> None:
    """Recordings before version 3 called a caller's tenant number "tenant": they still replay."""
    body = base64.b64encode(json.dumps({"ontologies": [{"name": "second's"}]}).encode()).decode()
    v2 = {"version": 2, "id_seed": None, "calls": [
        {"method": "POST", "path": "/_mock/seed", "content_type": "application/json", "tenant": 1, "body": body}]}
    backend = Backend(["lbk-first-key-0001", "lbk-second-key-0002"])
    driver = _Driver(backend)
    answer = driver.send("POST", "/_mock/replay", "adm-" + "t" * 20, v2)  # no admin token here: 401
    assert answer == {"error": "Authentication failed: the API key is not valid"}
    from mockserver.http.replay import replay

    assert replay(backend, v2, driver.handler)["failed"] == 0
    first, second = backend.dump()["organizations"]
    assert not first["ontologies"] and [o["name"] for o in second["ontologies"].values()] == ["second's"]


def test_a_recording_naming_more_keys_than_the_mock_has_is_refused() -> None:
    v3 = {"version": 3, "id_seed": 1, "calls": [
        {"method": "POST", "path": "/graphql", "content_type": "application/json", "tenant_number": 2, "body": ""}]}
    from mockserver.http.replay import replay

    backend = Backend(["lbk-only-key-00001"])
    with pytest.raises(ValueError, match="uses 3 API keys; this mock has fewer"):
        replay(backend, v3, Handler(backend))
