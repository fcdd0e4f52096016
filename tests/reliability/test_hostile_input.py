"""Hostile and broken input: each gets a clean 4xx or GraphQL error, the mock stays up, state stays as it was."""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mockserver.api.limits import MAX_QUERY_CHARS, MAX_TEXT_NESTING, text_is_too_costly
from mockserver.backend import shared_graphql_service
from mockserver.clock import tenant_scope

from ..support import World
from .conftest import Target

GET_USER = {"query": "query GetUserPyApi { user { id } }", "variables": {}}


def _json(doc: Any) -> bytes:
    return json.dumps(doc).encode()


def _multipart(parts: dict[str, bytes], boundary: str = "b0undary") -> tuple[bytes, str]:
    chunks = []
    for name, content in parts.items():
        filename = f'; filename="{name}.bin"' if name not in ("operations", "map") else ""
        chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"{filename}\r\n\r\n'.encode()
                      + content + b"\r\n")
    return b"".join(chunks) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def _nested(depth: int) -> str:
    return "query Deep {" + "user {" * depth + "id" + "}" * depth + "}"


UPLOAD_OPS = _json({"query": "mutation Up($file: Upload) { createModel(data: {name: \"m\", ontologyId: \"o\"}) "
                             "{ id } }", "variables": {"file": None}})

# name -> (body, content type, status, words in the error message)
BODY_CASES: dict[str, tuple[bytes, str, int, str]] = {
    "malformed JSON": (b'{"query": "{ user { id } }"', "application/json", 400, "not valid JSON"),
    "non-UTF-8 body": (b'{"query": "\xff\xfe { user { id } }"}', "application/json", 400, "not valid UTF-8"),
    "latin-1 body": ('{"query": "query Caf\u00e9 { user { id } }"}'.encode("latin-1"), "application/json", 400,
                     "not valid UTF-8"),
    "NaN in variables": (b'{"query": "{ user { id } }", "variables": {"x": NaN}}', "application/json", 400,
                         "NaN is not a JSON value"),
    "JSON nested 10000 deep": (b'{"query": "{ user { id } }", "variables": {"x": ' + b"[" * 10_000 + b"]" * 10_000
                               + b"}}", "application/json", 400, "nested more than 64 levels"),
    "JSON nested 200 deep": (_json({"query": "{ user { id } }", "variables": {"x": json.loads("[" * 200 + "]" * 200)}}),
                             "application/json", 400, "nested more than 64 levels"),
    "body not an object": (b"[1, 2]", "application/json", 400, "must be a JSON object"),
    "no query": (b"{}", "application/json", 400, "no query string"),
    "query not a string": (b'{"query": 5}', "application/json", 400, "no query string"),
    "variables not an object": (_json({"query": "{ user { id } }", "variables": [1]}), "application/json", 400,
                                "variables must be a JSON object"),
    "operationName not a string": (_json({"query": "{ user { id } }", "operationName": 3}), "application/json", 400,
                                   "operationName must be a string"),
    "text/plain": (_json(GET_USER), "text/plain", 415, "unsupported content type 'text/plain'"),
    "application/xml": (b"<query/>", "application/xml", 415, "unsupported content type"),
    "form encoded": (b"query=%7Buser%7Bid%7D%7D", "application/x-www-form-urlencoded", 415,
                     "unsupported content type"),
    "multipart without map": (*_multipart({"operations": UPLOAD_OPS, "0": b"data"}), 400, "no 'map' part"),
    "multipart map pointing nowhere": (*_multipart({"operations": UPLOAD_OPS, "map": b'{"0": ["variables.nope"]}',
                                                    "0": b"data"}), 400, "points nowhere"),
    "multipart map naming a missing file": (*_multipart({"operations": UPLOAD_OPS, "map": b'{"7": ["variables.file"]}'}),
                                            400, "does not carry"),
    "multipart map outside variables": (*_multipart({"operations": UPLOAD_OPS, "map": b'{"0": ["query"]}',
                                                     "0": b"data"}), 400, "must start with 'variables.'"),
    "multipart map not JSON": (*_multipart({"operations": UPLOAD_OPS, "map": b"{", "0": b"x"}), 400, "not valid JSON"),
    "multipart without operations": (*_multipart({"map": b"{}"}), 400, "no 'operations' part"),
    "multipart without boundary": (b"--x\r\n\r\n--x--", "multipart/form-data", 400, "no boundary"),
}

# name -> (document, variables, error code, words)
DOCUMENT_CASES: dict[str, tuple[str, dict[str, Any] | None, str, str]] = {
    "selections nested 300 deep": (_nested(300), None, "GRAPHQL_VALIDATION_FAILED", "Query complexity limit exceeded"),
    "selections nested 20 deep": (_nested(20), None, "GRAPHQL_VALIDATION_FAILED", "Query complexity limit exceeded"),
    "list literal nested 2000 deep": ("{ model(where: {id: " + "[" * 2000 + "]" * 2000 + "}) { id } }", None,
                                      "GRAPHQL_VALIDATION_FAILED", "Query complexity limit exceeded"),
    "variable type nested 500 deep": ("query Q($x: " + "[" * 500 + "ID" + "]" * 500 + ") { user { id } }", None,
                                      "GRAPHQL_VALIDATION_FAILED", "Query complexity limit exceeded"),
    "3000 aliased fields": ("{" + " ".join(f"a{i}: user {{ id }}" for i in range(3000)) + "}", None,
                            "GRAPHQL_VALIDATION_FAILED", "Query complexity limit exceeded"),
    "fragment bomb": ("{ ...F0 }\n" + "".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}\n"
                                              for i in range(30)) + "fragment F30 on Query { user { id } }",
                      None, "GRAPHQL_VALIDATION_FAILED", "Query complexity limit exceeded"),
    "document over the size limit": ("{ user { id } }" + "#" * MAX_QUERY_CHARS, None, "GRAPHQL_VALIDATION_FAILED",
                                     "Query complexity limit exceeded"),
    "unparsable document": ("query { user { id ", None, "GRAPHQL_PARSE_FAILED", "Syntax Error"),
    "string ending in a backslash": ('"\\', None, "GRAPHQL_PARSE_FAILED", "Syntax Error"),
    "unknown field": ("{ user { password } }", None, "GRAPHQL_VALIDATION_FAILED", "Cannot query field 'password'"),
    "ID given an object": ("query M($id: ID!) { model(where: {id: $id}) { id } }", {"id": {"$ne": None}},
                           "GRAPHQL_VALIDATION_FAILED", "ID cannot represent"),
    "Int given a string": ("query M($first: Int) { models(first: $first) { id } }", {"first": "ten"},
                           "GRAPHQL_VALIDATION_FAILED", "Int cannot represent"),
    "Int out of range": ("query M($first: Int) { models(first: $first) { id } }", {"first": 2**40},
                         "GRAPHQL_VALIDATION_FAILED", "Int cannot represent"),
    "required variable missing": ("query M($id: ID!) { model(where: {id: $id}) { id } }", {},
                                  "GRAPHQL_VALIDATION_FAILED", "was not provided"),
    "list where an input object goes": ("mutation D($w: DeleteByIdsInput!) { deleteModels(where: $w) }",
                                        {"w": ["x"]}, "GRAPHQL_VALIDATION_FAILED", "to be a mapping"),
}


@st.composite
def _towers(draw: st.DrawFn) -> tuple[str, int]:
    """A syntactically valid document nested up to 300 deep (selections, arguments, lists, objects),
    and its bracket depth."""
    text, closers, in_value = ["query Q {"], ["}"], False
    depth = draw(st.integers(0, 300))
    for step in draw(st.lists(st.integers(0, 1), min_size=depth, max_size=depth)):
        if in_value:
            text.append("[" if step else "{k: ")
            closers.append("]" if step else "}")
        else:
            text.append("a { " if step else "a(x: ")
            closers.append("}" if step else ")")
            in_value = not step
        if draw(st.booleans()):
            text.append(" # ([{\n")  # brackets in a comment do not nest
        if in_value and step and draw(st.booleans()):
            text.append('"}]" ')  # nor in a string (a list item here)
    text.append("1" if in_value else "id")
    return "".join(text) + "".join(reversed(closers)), depth + 1


@settings(max_examples=40, deadline=None)
@given(tower=_towers())
def test_deep_documents_are_refused_before_parsing(tower: tuple[str, int]) -> None:
    text, depth = tower
    assert text_is_too_costly(text) == (depth > MAX_TEXT_NESTING)
    errors = shared_graphql_service().prepare(text).errors
    if depth > MAX_TEXT_NESTING:
        assert errors == [{"message": "Query complexity limit exceeded",
                           "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"}}]


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet='{}[]()a:"#\n \\$.@!', max_size=800))
@example(text='"\\')  # graphql-core 3.2.8's lexer raised IndexError on a string ending in a backslash
def test_any_document_text_gets_errors_never_a_crash(text: str) -> None:
    prepared = shared_graphql_service().prepare(text)  # an exception here would be a 500
    assert prepared.document is not None or prepared.errors


@pytest.fixture
def unchanged(target: Target, seeded: World) -> Iterator[Target]:
    """The mock's state before the test equals its state after, and it still answers."""
    before = target.state()
    yield target
    assert target.state() == before
    response = target.post_graphql(_json(GET_USER))
    assert response.status_code == 200 and response.json()["data"]["user"]["id"]


@pytest.mark.parametrize("case", BODY_CASES.values(), ids=BODY_CASES.keys())
def test_broken_bodies_get_a_clean_4xx(unchanged: Target, case: tuple[bytes, str, int, str]) -> None:
    body, content_type, status, words = case
    response = unchanged.post_graphql(body, content_type)
    assert response.status_code == status
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "MALFORMED_REQUEST"
    assert words in error["message"]


@pytest.mark.parametrize("case", DOCUMENT_CASES.values(), ids=DOCUMENT_CASES.keys())
def test_hostile_documents_get_a_graphql_error(unchanged: Target, case: tuple[str, Any, str, str]) -> None:
    document, variables, code, words = case
    response = unchanged.post_graphql(_json({"query": document, "variables": variables}))
    assert response.status_code == 200
    payload = response.json()
    assert payload.get("data") is None
    assert payload["errors"][0]["extensions"]["code"] == code
    assert words in payload["errors"][0]["message"]


def test_an_oversized_body_gets_413_naming_the_limit(unchanged: Target) -> None:
    unchanged.backend.max_body_bytes = 4096
    try:
        response = unchanged.post_graphql(_json({"query": "{ user { id } }", "variables": {"x": "y" * 10_000}}))
        assert response.status_code == 413
        assert "exceeds the limit of 4096 bytes" in response.json()["errors"][0]["message"]
    finally:
        unchanged.backend.max_body_bytes = 64 * 1024 * 1024


def test_a_refused_mutation_changes_nothing(unchanged: Target, seeded: World) -> None:
    for document, variables in [
        ("mutation { createModel(data: {name: \"m\", ontologyId: \"no-such-ontology\"}) { id } }", None),
        ("mutation D($ids: [ID!]!) { deleteModels(where: {ids: $ids}) }", {"ids": [seeded.model_id, "missing"]}),
        ("mutation M($o: ID!) { createModel(data: {name: \"  \", ontologyId: $o}) { id } }", {"o": seeded.ontology_id}),
    ]:
        payload = unchanged.post_graphql(_json({"query": document, "variables": variables})).json()
        assert payload["errors"][0]["extensions"]["code"] in ("RESOURCE_NOT_FOUND", "INTERNAL_SERVER_ERROR")


@pytest.mark.parametrize("api_key", ["", "wrong-key", "TEST-KEY", "test-key-but-longer"])
def test_a_bad_key_is_refused_without_echoing_it(unchanged: Target, api_key: str) -> None:
    response = unchanged.post_graphql(_json(GET_USER), api_key=api_key)
    assert response.status_code == 401
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "AUTHENTICATION_ERROR"
    assert not api_key or api_key not in response.text


def test_only_post_reaches_graphql(unchanged: Target) -> None:
    response = unchanged.http.get(unchanged.endpoint, timeout=5)
    assert response.status_code == 405


# -- files behind signed URLs ----------------------------------------------------------------------

def _signed(target: Target, content: bytes = b"secret rows") -> str:
    """A file signed as a request of the test-key organisation would sign it (on its clock)."""
    org = target.backend.store.org_for_key("test-key")
    assert org is not None
    with tenant_scope(org.id):
        return target.backend.files.sign(target.origin, content)


def test_a_signed_url_serves_its_file(target: Target) -> None:
    response = target.http.get(_signed(target), timeout=5)
    assert response.status_code == 200 and response.content == b"secret rows"


@pytest.mark.parametrize("token", [
    "A" * 43, "short", "", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "..%2F..%2Fetc%2Fpasswd", "x" * 1000,
    "%00", "..\\..\\windows\\win.ini",
], ids=["forged", "too short", "empty", "encoded traversal", "half-encoded traversal", "overlong", "NUL",
        "backslashes"])
def test_forged_tokens_and_traversal_are_refused(unchanged: Target, token: str) -> None:
    signed = _signed(unchanged)
    response = unchanged.http.get(f"{unchanged.origin}/_files/{token}", timeout=5)
    assert response.status_code == 403
    assert b"secret rows" not in response.content
    assert unchanged.http.get(signed, timeout=5).status_code == 200


def test_an_expired_token_is_refused(target: Target) -> None:
    url = _signed(target)
    target.admin("POST", "/_mock/clock", {"advance": 3601})
    response = target.http.get(url, timeout=5)
    assert response.status_code == 403 and b"expired" in response.content


def test_files_cannot_be_written_through_their_route(target: Target) -> None:
    url = _signed(target)
    assert target.http.put(url, data=b"overwrite", timeout=5).status_code == 405
    assert target.http.get(url, timeout=5).content == b"secret rows"


# -- below HTTP: the standalone server's socket --------------------------------------------------

def _raw(target: Target, payload: bytes) -> bytes:
    host, port = target.origin.removeprefix("http://").split(":")
    # the server answers only requests that name it (DNS rebinding): "Host: x" stands for its own address
    payload = payload.replace(b"\r\nHost: x\r\n", b"\r\nHost: %s:%s\r\n" % (host.encode(), port.encode()))
    with socket.create_connection((host, int(port)), timeout=5) as connection:
        connection.sendall(payload)
        chunks = []
        while True:
            chunk = connection.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def _status(raw: bytes) -> int:
    if raw.startswith(b"HTTP/"):
        return int(raw.split(b" ", 2)[1])
    # an HTTP/0.9-style request gets a bare error page, without a status line
    match = re.search(rb"Error code: (\d+)", raw)
    assert match, raw[:200]
    return int(match.group(1))


@pytest.mark.parametrize("path", [
    "/_files/../../../../etc/passwd", "/_files/..%2f..%2f..%2fetc%2fpasswd", "/_files/%2e%2e/%2e%2e/etc/passwd",
    "/_files//etc/passwd", "/_mock/../../etc/passwd", "/../../etc/passwd", "/_files/....//....//etc/passwd",
])
def test_path_traversal_reaches_no_file(standalone: Target, path: str) -> None:
    raw = _raw(standalone, f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    assert _status(raw) in (403, 404)
    assert b"root:" not in raw


@pytest.mark.parametrize(("payload", "status"), [
    (b"\x00\x01\x02 garbage\r\n\r\n", 400),
    (b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\nConnection: close\r\n\r\n", 400),
    (b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\nConnection: close\r\n\r\n", 400),
    (b"POST /graphql HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 411),
    (b"GET / HTTP/1.1\r\n" + b"".join(b"X-%d: y\r\n" % i for i in range(150)) + b"\r\n", 431),
    (b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n", 414),
    (b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999999\r\nConnection: close\r\n\r\n", 413),
], ids=["garbage", "bad length", "negative length", "chunked", "header flood", "long request line",
        "huge announced length"])
def test_broken_http_gets_a_4xx_and_the_server_stays_up(standalone: Target, payload: bytes, status: int) -> None:
    standalone.backend.seed({"ontologies": [{"name": "o"}]})
    before = standalone.state()
    assert _status(_raw(standalone, payload)) == status
    assert standalone.state() == before
    assert standalone.post_graphql(_json(GET_USER)).status_code == 200
