"""The SDK's relationships and read-only fields of projects, ontologies, users and organisations, and the
Client's users, headers, session and SDK-method header, through the in-process mock."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite.exceptions import (
    InvalidQueryError,
    LabelboxError,
    OperationNotAllowedException,
    ResourceNotFoundError,
)
from labelbox_lite.schema.ontology_kind import EditorTaskType, UploadType
from mockserver import MockLabelbox

from ..support import World, standard_seed, world_from


def _client(mock: MockLabelbox) -> lb.Client:
    return lb.Client(api_key=mock.api_key, enable_experimental=True)


def test_a_projects_relationships_and_settings(client: lb.Client, world: World) -> None:
    project = client.get_project(world.project_id)
    assert project.created_by() == client.get_user()
    assert project.organization() == client.get_organization()
    assert (project.editor_task_type, project.upload_type) == (EditorTaskType.Missing, UploadType.Missing)
    assert project.model_setup_complete is False and project.setup_complete is None
    assert project.last_activity_time is not None
    assert not project.is_chat_evaluation() and not project.is_auto_data_generation()
    assert not project.is_empty_ontology()  # the seeded project has the standard ontology
    bare = client.create_project("bare", media_type=lb.MediaType.Image)
    assert bare.is_empty_ontology()
    assert bare.deleted is False
    bare.delete()
    assert bare.deleted is True


def test_relationships_of_the_user_the_organisation_and_an_ontology(client: lb.Client, world: World) -> None:
    user, organization = client.get_user(), client.get_organization()
    assert user.organization() == organization
    assert list(organization.users()) == [user]
    seeded = client.get_project(world.project_id)
    made = client.create_project("made", media_type=lb.MediaType.Image)
    gone = client.create_project("gone", media_type=lb.MediaType.Image)
    gone.delete()
    assert [p.uid for p in organization.projects()] == [seeded.uid, made.uid]
    assert [p.uid for p in user.projects()] == [seeded.uid, made.uid]
    assert [p.uid for p in organization.projects(where=lb.Project.name == "made")] == [made.uid]

    ontology = client.get_ontology(world.ontology_id)
    assert [p.uid for p in ontology.projects()] == [seeded.uid]
    made.connect_ontology(ontology)
    assert [p.uid for p in ontology.projects()] == [seeded.uid, made.uid]
    mine = client.create_ontology("mine", {"tools": [], "classifications": []}, media_type=lb.MediaType.Image)
    assert mine.created_by() == user and list(mine.projects()) == []

    dataset = client.create_dataset(name="rows")
    task = dataset.create_data_rows([{"row_data": "https://storage.example.com/a.jpg", "global_key": "a"}])
    task.wait_till_done()
    assert task.uid in [t.uid for t in organization.tasks()]
    assert task.uid in [t.uid for t in user.created_tasks()]


@settings(max_examples=15, deadline=None)
@given(made=st.integers(0, 4), deleted=st.sets(st.integers(0, 3)), page=st.integers(1, 3))
def test_an_organisations_projects_are_those_not_deleted_in_creation_order(made: int, deleted: set[int],
                                                                          page: int) -> None:
    with MockLabelbox() as mock:
        client = _client(mock)
        projects = [client.create_project(f"p{i}", media_type=lb.MediaType.Image) for i in range(made)]
        for index in deleted & set(range(made)):
            projects[index].delete()
        kept = [p.uid for i, p in enumerate(projects) if i not in deleted]
        organization = client.get_organization()
        listed = organization.projects()
        listed._page_size = page  # pages of every size read the same projects
        assert [p.uid for p in listed] == kept
        assert [p.uid for p in client.get_user().projects()] == kept


@settings(max_examples=20, deadline=None)
@given(email=st.one_of(st.just("user1@example.com"), st.emails()), negate=st.booleans())
def test_get_users_filters_by_email(email: str, negate: bool) -> None:
    with MockLabelbox() as mock:
        client = _client(mock)
        user = client.get_user()
        where = lb.User.email != email if negate else lb.User.email == email
        matches = (user.email != email) if negate else (user.email == email)
        assert list(client.get_users(where=where)) == ([user] if matches else [])


def test_get_users_filters_names_as_the_sdk_does(client: lb.Client) -> None:
    user = client.get_user()
    assert list(client.get_users()) == [user]
    # the SDK's User.name compares the nickname, User.nickname the name
    assert list(client.get_users(where=lb.User.name == user.nickname)) == [user]
    assert list(client.get_users(where=lb.User.nickname == user.name)) == [user]
    assert list(client.get_users(where=(lb.User.email == user.email) & (lb.User.name == "someone else"))) == []


@pytest.mark.parametrize("where, error", [
    (lb.Project.name == "x", TypeError),  # a field of another entity
    (lb.User.email < "x", TypeError),
    ((lb.User.email == "a") | (lb.User.name == "b"), TypeError),
    ((lb.User.email == "a") & (lb.User.email == "b"), InvalidQueryError),
])
def test_get_users_refuses_a_clause_it_cannot_send(client: lb.Client, where: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        client.get_users(where=where)


def test_relationships_of_what_is_gone_are_not_found(client: lb.Client) -> None:
    project = client.create_project("short-lived", media_type=lb.MediaType.Image)
    project.delete()
    for call in (project.created_by, project.organization, project.clone):
        with pytest.raises(ResourceNotFoundError):
            call()
    stranger = lb.Organization(client=client, uid="another-organisation", name="x", created_at=None,
                               updated_at=None)
    with pytest.raises(ResourceNotFoundError):
        list(stranger.users())


def test_clone_copies_settings_and_ontology_not_rows(client: lb.Client, world: World) -> None:
    source = client.get_project(world.project_id)
    clone = source.clone()
    assert clone.uid != source.uid and clone.name == f"Clone of {source.name}"
    assert clone.media_type == source.media_type and clone.get_label_count() == 0
    assert clone.ontology() == source.ontology() and clone.data_row_count == 0


def test_extend_reservations_takes_the_sdks_queue_types(client: lb.Client, world: World) -> None:
    project = client.get_project(world.project_id)
    assert project.extend_reservations("LabelingQueue") == 0
    assert project.extend_reservations("ReviewQueue") == 0
    with pytest.raises(InvalidQueryError, match="Unsupported queue type: Done"):
        project.extend_reservations("Done")


@settings(max_examples=10, deadline=None)
@given(picked=st.sets(st.integers(0, 2), min_size=1), queue=st.sampled_from([0, 1, 2, None]),
       by_key=st.booleans())
def test_moved_rows_are_counted_in_the_queue_they_were_moved_to(picked: set[int], queue: int | None,
                                                                by_key: bool) -> None:
    with MockLabelbox() as mock:
        world = world_from(mock.seed(standard_seed(6)), 6)
        project = _client(mock).get_project(world.project_id)
        queues = project.task_queues()
        # the seed labels its first half of rows (0-2 of 6) in the project: they are in the Done step
        assert {q.data_row_count for q in queues} == {0}
        rows = (lb.GlobalKeys([world.global_keys[i] for i in picked]) if by_key
                else lb.UniqueIds([world.data_row_ids[i] for i in picked]))
        target = None if queue is None else queues[queue].uid
        project.move_data_rows_to_task_queue(rows, target)
        counts = {q.uid: q.data_row_count for q in project.task_queues()}
        assert counts == {q.uid: len(picked) if q.uid == target else 0 for q in queues}
        project.move_data_rows_to_task_queue(rows, None)  # and back to Done
        assert {q.data_row_count for q in project.task_queues()} == {0}


def test_move_data_rows_refuses_what_is_not_an_identifier_list(client: lb.Client, world: World) -> None:
    project = client.get_project(world.project_id)
    with pytest.raises(TypeError, match="data_rows must be a DataRowIdentifiers object"):
        project.move_data_rows_to_task_queue(world.data_row_ids[:1], None)  # type: ignore[arg-type]
    with pytest.raises(LabelboxError):
        project.move_data_rows_to_task_queue(lb.UniqueIds(["no-such-row"]), None)


def test_headers_connection_and_the_sdk_method_header(mock: MockLabelbox) -> None:
    seen: list[requests.PreparedRequest] = []
    session = requests.Session()
    session.hooks["response"].append(lambda response, **_: seen.append(response.request))
    client = lb.Client(api_key=mock.api_key, session=session)
    assert client.connection is session
    assert client.headers["Authorization"] == f"Bearer {mock.api_key}"
    with pytest.raises(TypeError):
        client.headers["Authorization"] = "changed"  # type: ignore[index]
    client.get_user()
    assert "X-SDK-Method" not in seen[-1].headers
    client.set_sdk_method("my_pipeline.step")
    client.get_user()
    assert seen[-1].headers["X-SDK-Method"] == "my_pipeline.step"
    client.unset_sdk_method()
    client.get_organization()
    assert "X-SDK-Method" not in seen[-1].headers
    own = lb.Client(api_key=mock.api_key)
    assert own.headers["Authorization"] == f"Bearer {mock.api_key}" and own.connection.headers["Accept"]


def test_entity_classes_filter_on_deleted_as_the_sdk_writes_it(client: lb.Client, world: World) -> None:
    gone = client.create_project("gone", media_type=lb.MediaType.Image)
    gone.delete()
    assert [p.uid for p in client.get_projects(where=lb.Project.deleted == False)] == [world.project_id]  # noqa: E712
    for entity in (lb.Project, lb.User, lb.Organization, lb.Ontology, lb.FeatureSchema, lb.TaskQueue,
                   lb.ModelSlice):
        assert repr(entity.deleted == False) == f"{entity.__name__}.deleted EQ False"  # noqa: E712
    assert lb.LabelingFrontend(uid="x", name="Editor").deleted is False


def test_clearing_a_queues_reservations_counts_none_held(client: lb.Client, world: World) -> None:
    project = client.get_project(world.project_id)
    for queue in project.task_queues():
        assert project.clear_queue_reservations(queue.uid) == 0
    other = client.create_project("other", media_type=lb.MediaType.Image)
    with pytest.raises(ResourceNotFoundError):
        project.clear_queue_reservations(other.task_queues()[0].uid)
    with pytest.raises(ResourceNotFoundError):
        project.clear_queue_reservations("no-such-queue")


def test_model_setup_completes_only_on_live_chat_evaluation_projects(client: lb.Client, world: World) -> None:
    project = client.get_project(world.project_id)
    with pytest.raises(OperationNotAllowedException, match="Only live model chat evaluation projects can complete"):
        project.set_project_model_setup_complete()
    assert project.model_setup_complete is False and client.get_project(project.uid).model_setup_complete is False
    project.delete()
    with pytest.raises(ResourceNotFoundError):
        project.set_project_model_setup_complete()
