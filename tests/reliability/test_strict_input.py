"""Input a shared mock must answer cleanly and cheaply (issue 15): costly fragment spreads, numbers JSON
cannot carry, ambiguous HTTP framing, a reflected Host header, multipart bodies that are not one request."""

from __future__ import annotations

import json
from typing import Any

import pytest
from graphql import FragmentDefinitionNode, OperationDefinitionNode, parse
from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.api.limits import MAX_FIELDS, measure
from mockserver.api.service import GraphQLService
from mockserver.backend import shared_graphql_service
from mockserver.http.messages import HttpResponse

from .conftest import Target
from .test_hostile_input import _multipart, _raw, _status

GET_USER = json.dumps({"query": "query GetUserPyApi { user { id } }"}).encode()
UPLOAD = ("mutation UploadFile($file: Upload!, $contentLength: Int!) "
          "{ uploadFile(file: $file, contentLength: $contentLength) { url filename } }")


def _fragment_chain(length: int, fanout: int = 2) -> str:
    """F_i spreads F_{i+1} `fanout` times: expanded path by path, the cost is fanout**length."""
    spreads = " ".join(["...F{next}"] * fanout)
    return ("query Chain { ...F0 }\n"
            + "".join(f"fragment F{i} on Query {{ {spreads.format(next=i + 1)} }}\n" for i in range(length))
            + f"fragment F{length} on Query {{ __typename }}")


# -- the cost limit: spreads counted, each fragment measured once ------------------------------------

@pytest.mark.parametrize("length", [11, 20, 60])
def test_a_fragment_chain_is_refused_by_its_cost(length: int) -> None:
    # 2**60 selections expanded; memoised, the rule walks each fragment once, so this returns at all
    errors = GraphQLService(shared_graphql_service().schema).prepare(_fragment_chain(length)).errors
    assert errors == [{"message": "Query complexity limit exceeded",
                       "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"}}]


@pytest.mark.parametrize("length", [200, 2000])
def test_a_very_deep_fragment_chain_is_refused(length: int) -> None:
    # the measure's recursion runs out first, and counts as over every limit
    errors = GraphQLService(shared_graphql_service().schema).prepare(_fragment_chain(length)).errors
    assert errors and errors[0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


def test_a_small_fragment_chain_still_runs() -> None:
    prepared = shared_graphql_service().prepare(_fragment_chain(5))
    assert prepared.errors == [] and prepared.document is not None


def _expanded(document: str) -> int:
    """The cost by brute force: every spread expanded where it stands (the model to compare with)."""
    ast = parse(document)
    fragments = {d.name.value: d for d in ast.definitions if isinstance(d, FragmentDefinitionNode)}

    def count(selection_set: Any) -> int:
        total = 0
        for selection in selection_set.selections:
            if selection.kind == "field":
                total += 1 + (count(selection.selection_set) if selection.selection_set else 0)
            elif selection.kind == "fragment_spread":
                total += 1 + count(fragments[selection.name.value].selection_set)
            else:
                total += count(selection.selection_set)
        return total

    operation = next(d for d in ast.definitions if isinstance(d, OperationDefinitionNode))
    return count(operation.selection_set)


@settings(max_examples=60, deadline=None)
@given(length=st.integers(0, 12), fanout=st.integers(1, 3))
def test_the_memoised_cost_is_the_expanded_cost(length: int, fanout: int) -> None:
    document = _fragment_chain(length, fanout)
    refused = measure(shared_graphql_service().schema, parse(document)) is None
    assert refused == (_expanded(document) > MAX_FIELDS)


# -- the document cache: only what validated, bounded in bytes --------------------------------------

def test_refused_documents_are_not_cached() -> None:
    service = GraphQLService(shared_graphql_service().schema)
    for i in range(50):
        assert service.prepare(f"query Q{i} {{ user {{ password{i} }} }}").errors
    assert service.cache.size == (0, 0)
    assert not service.prepare("query Ok { user { id } }").errors
    assert service.cache.size[0] == 1


def test_the_cache_is_bounded_in_bytes() -> None:
    service = GraphQLService(shared_graphql_service().schema, cache_size=10_000, cache_bytes=2_000_000)
    for i in range(200):
        aliases = " ".join(f"a{i}_{j}: user {{ id }}" for j in range(20))
        assert not service.prepare(f"query Q{i} {{ {aliases} }}").errors
        entries, held = service.cache.size
        assert held <= 2_000_000
    assert 0 < entries < 200


def test_a_large_valid_document_is_not_cached() -> None:
    """Issue 24, finding 6: the cache is bounded by the memory a parsed document takes, not its text."""
    from mockserver.api.service import AST_BYTES_PER_CHAR, DEFAULT_CACHE_BYTES

    service = GraphQLService(shared_graphql_service().schema)
    aliases = " ".join(f"an_alias_with_a_long_name_{j}: user {{ id }}" for j in range(600))
    query = f"query Big {{ {aliases} }}"
    assert len(query) * AST_BYTES_PER_CHAR > DEFAULT_CACHE_BYTES // 8
    assert not service.prepare(query).errors
    assert service.cache.size == (0, 0)


# -- numbers JSON cannot carry ------------------------------------------------------------------------

@pytest.mark.parametrize(("number", "words"), [
    (b"1" * 5000, "an integer of 5000 digits is too long"),
    (b"1e400", "out of range"),
    (b"-1e400", "out of range"),
])
def test_numbers_json_cannot_carry_get_a_400(target: Target, number: bytes, words: str) -> None:
    body = b'{"query": "query GetUserPyApi { user { id } }", "variables": {"x": ' + number + b"}}"
    response = target.post_graphql(body)  # in-process this raised ValueError; standalone it was a 500
    assert response.status_code == 400
    assert words in response.json()["errors"][0]["message"]


@pytest.mark.parametrize("literal", ["1e400", "-1e400", "1" * 5000])
def test_a_json_scalar_refuses_non_finite_literals(target: Target, literal: str) -> None:
    query = 'mutation { updateModelRunConfig(modelRun: {id: "x"}, data: {config: {lr: LITERAL}}) { id } }'
    query = query.replace("LITERAL", literal)
    payload = target.post_graphql(json.dumps({"query": query}).encode()).json()
    assert payload.get("data") is None
    assert payload["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "Json cannot represent" in payload["errors"][0]["message"]


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan")])
def test_a_non_finite_number_is_never_answered(value: float) -> None:
    with pytest.raises(ValueError, match="not JSON compliant"):
        HttpResponse.json(200, {"data": {"x": value}})


# -- one strict Content-Length ------------------------------------------------------------------------

@pytest.mark.parametrize("lengths", [
    [b"22", b"22"], [b"22", b"0"], [b"+22"], [b"2_2"], [b"22 "], [b"0x16"], [b"22.0"], [b"\xd9\xa2\xd9\xa2"],
], ids=["twice", "two values", "plus sign", "underscore", "trailing space", "hex", "decimal point",
        "arabic-indic digits"])
def test_a_doubtful_content_length_is_refused(standalone: Target, lengths: list[bytes]) -> None:
    body = b'{"query":"{ user { id } }"}'[:22]
    headers = b"".join(b"Content-Length: " + value + b"\r\n" for value in lengths)
    raw = _raw(standalone, b"POST /graphql HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer test-key\r\n"
                           + headers + b"Connection: close\r\n\r\n" + body)
    assert _status(raw) == 400


def test_an_absolute_request_target_is_refused(standalone: Target) -> None:
    raw = _raw(standalone, b"GET http://attacker.example/_mock/state HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert _status(raw) == 400


# -- signed URLs name the server's own address ------------------------------------------------------

def test_signed_urls_ignore_the_host_header(standalone: Target) -> None:
    body, content_type = _multipart({
        "operations": json.dumps({"query": UPLOAD, "variables": {"file": None, "contentLength": 4}}).encode(),
        "map": b'{"0": ["variables.file"]}',
        "0": b"rows",
    })
    response = standalone.http.post(standalone.endpoint, data=body, timeout=10, headers={
        "Content-Type": content_type, "Authorization": "Bearer test-key",
        # another name of this server (a foreign one is refused: test_connections): still not used
        "Host": standalone.origin.replace("http://127.0.0.1", "localhost")})
    url = response.json()["data"]["uploadFile"]["url"]
    assert url.startswith(standalone.origin + "/_files/")
    assert standalone.http.get(url, timeout=5).content == b"rows"


def test_the_public_url_can_be_configured() -> None:
    from mockserver import RunningServer
    from mockserver.backend import Backend
    from mockserver.transports.server import MockHTTPServer

    server = MockHTTPServer(Backend(), public_url="http://mock.internal:9000/")
    try:
        assert server.public_url == "http://mock.internal:9000"
    finally:
        server.server_close()
    assert RunningServer is not None  # the context-managed server takes the same default: its bound address


# -- multipart bodies that are not one request --------------------------------------------------------

def _upload_parts() -> dict[str, bytes]:
    return {"operations": json.dumps({"query": UPLOAD, "variables": {"file": None, "contentLength": 4}}).encode(),
            "map": b'{"0": ["variables.file"]}', "0": b"rows"}


def test_two_operations_parts_are_refused(target: Target) -> None:
    body, content_type = _multipart(_upload_parts())
    second = (b'--b0undary\r\nContent-Disposition: form-data; name="operations"\r\n\r\n'
              + json.dumps({"query": "mutation { deleteModels(where: {ids: []}) }"}).encode() + b"\r\n")
    closing = b"--b0undary--\r\n"
    response = target.post_graphql(body[: -len(closing)] + second + closing, content_type)
    assert response.status_code == 400
    assert "'operations' appears more than once" in response.json()["errors"][0]["message"]


def test_a_multipart_body_without_its_closing_boundary_is_refused(target: Target) -> None:
    body, content_type = _multipart(_upload_parts())
    response = target.post_graphql(body[: -len(b"--b0undary--\r\n")], content_type)
    assert response.status_code == 400
    assert "closing boundary" in response.json()["errors"][0]["message"]


def test_a_whole_multipart_body_still_uploads(target: Target) -> None:
    body, content_type = _multipart(_upload_parts())
    response = target.post_graphql(body, content_type)
    assert response.status_code == 200 and response.json()["data"]["uploadFile"]["filename"] == "0.bin"


def test_the_user_query_still_answers(target: Target) -> None:
    assert target.post_graphql(GET_USER).status_code == 200


@settings(max_examples=100, deadline=None)
@given(contents=st.dictionaries(st.text("abcxyz019", min_size=1, max_size=8),
                                st.binary(max_size=200).filter(lambda data: b"--b0undary" not in data),
                                min_size=1, max_size=5))
def test_multipart_parts_round_trip(contents: dict[str, bytes]) -> None:
    from mockserver.http.multipart import MultipartError, split_parts

    body, content_type = _multipart(contents)
    parts = split_parts(content_type, body)
    assert {name: part.content for name, part in parts.items()} == contents
    for cut in (len(body) - len(b"--b0undary--\r\n"), len(body) // 2):
        with pytest.raises(MultipartError):
            split_parts(content_type, body[:cut])
