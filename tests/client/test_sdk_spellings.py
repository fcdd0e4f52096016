"""The SDK's spellings that scripts use: `where=` comparisons, `Client.execute`'s arguments, return types."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite.exceptions import InvalidQueryError, MalformedQueryException
from mockserver import MockLabelbox

from ..support import World

NAMES = st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=0, max_size=5)


@given(names=NAMES, wanted=st.sampled_from(["a", "b", "z"]))
def test_where_clauses_select_what_python_would(client: lb.Client, mock: MockLabelbox, world: World,
                                               names: list[str], wanted: str) -> None:
    made = [client.create_model(name, world.ontology_id) for name in names]
    try:
        everything = list(client.get_models())
        assert {m.uid for m in client.get_models(where=lb.Model.name == wanted)} == {
            m.uid for m in everything if m.name == wanted}
        assert {m.uid for m in client.get_models(where=lb.Model.name != wanted)} == {
            m.uid for m in everything if m.name != wanted}
        both = (lb.Model.name != wanted) & (lb.Model.ontology_id == world.ontology_id)
        assert {m.uid for m in client.get_models(where=both)} == {m.uid for m in everything if m.name != wanted}
        assert {m.uid for m in client.get_models(where={"name": wanted})} == {
            m.uid for m in everything if m.name == wanted}
        if made:
            assert [m.uid for m in client.get_models(where=lb.Model.uid == made[0].uid)] == [made[0].uid]
            assert {m.uid for m in client.get_models(where=lb.Model.ontology_id == world.ontology_id)} == {
                m.uid for m in everything}
    finally:
        for model in made:
            model.delete()


@pytest.mark.parametrize("where, named", [
    (False, "got bool False"),
    ("name", "got str 'name'"),
    (lb.Model.name < "b", "Model.name LT 'b'"),
    ((lb.Model.name == "a") | (lb.Model.uid == "b"), "OR is not supported"),
    (~(lb.Model.name == "a"), "NOT is not supported"),
    ({"nickname": "a"}, "'nickname' is not a field"),
])
def test_a_where_the_service_cannot_take_is_refused_naming_it(client: lb.Client, mock: MockLabelbox,
                                                              where: object, named: str) -> None:
    before = len(mock.requests)
    with pytest.raises(TypeError, match=named.replace("(", r"\(").replace("|", r"\|")):
        client.get_models(where=where)
    assert len(mock.requests) == before  # refused before anything is sent


def test_a_field_compared_twice_is_refused_as_the_sdk_does(client: lb.Client) -> None:
    with pytest.raises(InvalidQueryError, match="multiple comparisons for the same field"):
        client.get_models(where=(lb.Model.name != "a") & (lb.Model.name != "b"))


def test_model_fields_still_read_as_values_on_instances(client: lb.Client, world: World) -> None:
    model = client.get_model(world.model_id)
    assert isinstance(model.name, str) and model.ontology_id == world.ontology_id and isinstance(model.uid, str)
    assert repr(lb.Model.name) == "Model.name"


def test_get_models_returns_a_paginated_collection_as_the_sdk_does(client: lb.Client) -> None:
    # the SDK annotates List[Model] but returns its PaginatedCollection (Client._get_all)
    assert isinstance(client.get_models(), lb.PaginatedCollection)


QUERY = "query GetUserPyApi {user {id email}}"


def test_execute_takes_the_sdks_arguments_in_the_sdks_order(client: lb.Client, mock: MockLabelbox) -> None:
    expected = client.execute(QUERY)
    assert client.execute(QUERY, None, None, None, 30.0, False, "message", False) == expected
    assert client.execute(query=QUERY, timeout=5, experimental=True) == expected
    assert client.execute(data=json.dumps({"query": QUERY, "variables": None})) == expected
    assert client.execute(None, None, json.dumps({"query": QUERY}).encode()) == expected
    assert [r.path for r in mock.requests[-3:]] == ["/_gql", "/graphql", "/graphql"]


def test_execute_sends_datetimes_as_utc_strings(client: lb.Client, mock: MockLabelbox) -> None:
    moment = datetime(2024, 5, 1, 12, 30, tzinfo=timezone.utc)
    with pytest.raises(InvalidQueryError, match="never used"):  # the journal keeps what was sent regardless
        client.execute("query GetUserPyApi($at: DateTime) {user {id}}", {"at": moment})
    assert mock.requests[-1].variables == {"at": "2024-05-01T12:30:00Z"}


def test_execute_uploads_through_data_and_files_as_the_sdk_does(client: lb.Client) -> None:
    operations = {"query": "mutation UploadFile($file: Upload!, $contentLength: Int!, $sign: Boolean) "
                           "{uploadFile(file: $file, contentLength: $contentLength, sign: $sign) {url filename}}",
                  "variables": {"file": None, "contentLength": 3, "sign": False}}
    data = {"operations": json.dumps(operations), "map": json.dumps({"1": ["variables.file"]})}
    answer = client.execute(data=data, files={"1": ("a.txt", b"abc", "text/plain")})
    assert client.download(answer["uploadFile"]["url"]) == b"abc"


def test_execute_refuses_no_body_and_bodies_it_cannot_read(client: lb.Client) -> None:
    with pytest.raises(ValueError, match="needs a query or a data body"):
        client.execute()
    with pytest.raises(TypeError, match="got int"):
        client.execute(data=3)
    with pytest.raises(TypeError, match="holds list"):
        client.execute(data="[1]")


def test_execute_reads_messages_from_error_log_key(client: lb.Client, mock: MockLabelbox) -> None:
    with pytest.raises(InvalidQueryError, match="'Broken' is not implemented by the mock"):
        client.execute("query Broken {nope}", error_log_key="message")
    mock.inject_fault("GetUserPyApi", graphql_error="MALFORMED_REQUEST")
    with pytest.raises(MalformedQueryException):
        client.execute(QUERY, error_log_key="nowhere")  # falls back to `message`


@given(names=NAMES, wanted=st.sampled_from(["a", "b", "z"]))
def test_project_where_clauses_select_what_python_would(client: lb.Client, mock: MockLabelbox, names: list[str],
                                                        wanted: str) -> None:
    made = [client.create_project(name=name, media_type=lb.MediaType.Image) for name in names]
    try:
        everything = list(client.get_projects())
        assert {p.uid for p in client.get_projects(where=lb.Project.name == wanted)} == {
            p.uid for p in everything if p.name == wanted}
        assert {p.uid for p in client.get_projects(where=lb.Project.name != wanted)} == {
            p.uid for p in everything if p.name != wanted}
    finally:
        for project in made:
            project.delete()
    assert not {p.uid for p in client.get_projects()} & {p.uid for p in made}  # deleted ones are left out


def test_a_project_where_of_another_entity_is_refused(client: lb.Client) -> None:
    with pytest.raises(TypeError, match="Model.name is a field of Model, not of Project"):
        client.get_projects(where=lb.Model.name == "a")
    with pytest.raises(TypeError, match="got bool"):
        client.get_projects(where=lb.Project.media_type == "IMAGE")
