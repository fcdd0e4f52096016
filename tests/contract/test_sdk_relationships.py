"""The SDK's relationships, project settings, users, clone and queue moves against the mock, beside
labelbox_lite's: both clients read the same entities, fields and listings from one mock."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import labelbox_lite as lb
from mockserver import MockLabelbox

from ..support import standard_seed, world_from
from .conftest import labelbox

PROJECT_FIELDS = ("name", "description", "setup_complete", "last_activity_time", "model_setup_complete",
                  "is_consensus_enabled", "created_at", "updated_at", "data_row_count")
USER_FIELDS = ("uid", "email", "name", "nickname", "picture", "last_login_at", "is_viewer", "is_external_user",
               "created_at", "updated_at")


def _both(mock: MockLabelbox) -> tuple[lb.Client, Any]:
    return lb.Client(api_key=mock.api_key, enable_experimental=True), labelbox.Client(api_key=mock.api_key)


def _uids(items: Any) -> list[str]:
    return [item.uid for item in items]


def test_relationships_read_the_same_through_both_clients() -> None:
    with MockLabelbox() as mock:
        world = world_from(mock.seed(standard_seed(4)), 4)
        ours, theirs = _both(mock)
        extra = theirs.create_project(name="extra", media_type=labelbox.MediaType.Image)
        theirs.create_project(name="gone", media_type=labelbox.MediaType.Image).delete()
        mine, sdks = ours.get_project(world.project_id), theirs.get_project(world.project_id)
        for name in PROJECT_FIELDS:
            assert getattr(mine, name) == getattr(sdks, name), name
        assert (mine.editor_task_type.value, mine.upload_type.value) == (sdks.editor_task_type.value,
                                                                         sdks.upload_type.value)
        for check in ("is_chat_evaluation", "is_auto_data_generation", "is_empty_ontology"):
            assert getattr(mine, check)() == getattr(sdks, check)(), check
        assert ours.get_project(extra.uid).is_empty_ontology() == extra.is_empty_ontology() is True

        creator = mine.created_by()
        assert creator is not None and creator.uid == sdks.created_by().uid
        assert mine.organization().uid == sdks.organization().uid
        user, sdk_user = ours.get_user(), theirs.get_user()
        for name in USER_FIELDS:
            assert getattr(user, name) == getattr(sdk_user, name), name
        organization, sdk_organization = ours.get_organization(), theirs.get_organization()
        assert user.organization().uid == sdk_user.organization().uid == organization.uid
        assert _uids(organization.users()) == _uids(sdk_organization.users())
        assert _uids(organization.projects()) == _uids(sdk_organization.projects()) == [world.project_id, extra.uid]
        assert _uids(user.projects()) == _uids(sdk_user.projects())
        assert _uids(organization.tasks()) == _uids(sdk_organization.tasks())
        assert _uids(user.created_tasks()) == _uids(sdk_user.created_tasks())

        ontology, sdk_ontology = ours.get_ontology(world.ontology_id), theirs.get_ontology(world.ontology_id)
        assert _uids(ontology.projects()) == _uids(sdk_ontology.projects()) == [world.project_id]
        made = theirs.create_ontology("made", {"tools": [], "classifications": []})
        made_by = ours.get_ontology(made.uid).created_by()
        assert made_by is not None and made_by.uid == made.created_by().uid == user.uid
        assert (ontology.created_by() is None) == (sdk_ontology.created_by() is None)


@settings(max_examples=20, deadline=None)
@given(email=st.sampled_from(["user1@example.com", "someone@example.com"]),
       name=st.sampled_from([None, "Mock", "Mock User 1"]), nickname=st.sampled_from([None, "Mock", "Mock User 1"]))
def test_get_users_selects_the_same_users(email: str, name: str | None, nickname: str | None) -> None:
    with MockLabelbox() as mock:
        ours, theirs = _both(mock)
        clauses: list[tuple[Any, Any]] = [(lb.User.email == email, labelbox.User.email == email)]
        if name is not None:
            clauses.append((lb.User.name == name, labelbox.User.name == name))
        if nickname is not None:
            clauses.append((lb.User.nickname == nickname, labelbox.User.nickname == nickname))
        mine, sdks = clauses[0]
        for lite_clause, sdk_clause in clauses[1:]:
            mine, sdks = mine & lite_clause, sdks & sdk_clause
        assert _uids(ours.get_users(where=mine)) == _uids(theirs.get_users(where=sdks))


def test_clone_reservations_and_queue_moves_agree() -> None:
    with MockLabelbox() as mock:
        world = world_from(mock.seed(standard_seed(6)), 6)
        ours, theirs = _both(mock)
        mine, sdks = ours.get_project(world.project_id), theirs.get_project(world.project_id)
        clones = [ours.get_project(mine.clone().uid), theirs.get_project(sdks.clone().uid)]
        assert [(p.name, p.media_type.value, p.ontology().uid) for p in clones[:1]] == [
            (c.name, c.media_type.value, c.ontology().uid) for c in clones[1:]]
        assert mine.extend_reservations("ReviewQueue") == sdks.extend_reservations("ReviewQueue") == 0

        queues = sdks.task_queues()
        sdks.move_data_rows_to_task_queue(labelbox.UniqueIds(world.data_row_ids[:1]), queues[0].uid)
        mine.move_data_rows_to_task_queue(lb.GlobalKeys(world.global_keys[1:3]), queues[1].uid)
        counts = [(q.uid, q.data_row_count) for q in mine.task_queues()]
        assert counts == [(q.uid, q.data_row_count) for q in sdks.task_queues()]
        assert [c for _, c in counts] == [1, 2, 0]


def test_sdk_method_and_headers_name_the_same_things() -> None:
    with MockLabelbox() as mock:
        ours, theirs = _both(mock)
        assert {k for k in theirs.headers if k.startswith("X-") or k in ("Authorization", "Accept")} <= set(
            ours.headers)
        assert ours.headers["Authorization"] == theirs.headers["Authorization"]
        ours.set_sdk_method("step")
        theirs.set_sdk_method("step")
        assert ours.get_user().uid == theirs.get_user().uid
        ours.unset_sdk_method()
        theirs.unset_sdk_method()


@pytest.mark.parametrize("entity", ["Project", "User", "Organization", "Ontology", "TaskQueue", "ModelSlice"])
def test_deleted_filters_as_the_sdks_field_does(entity: str) -> None:
    assert getattr(lb, entity).deleted.graphql_name == getattr(labelbox, entity).deleted.graphql_name == "deleted"


def test_clear_queue_reservations_answers_both_clients_alike() -> None:
    lbox_exceptions = pytest.importorskip("lbox.exceptions")
    with MockLabelbox() as mock:
        world = world_from(mock.seed(standard_seed(4)), 4)
        ours, theirs = _both(mock)
        mine, sdks = ours.get_project(world.project_id), theirs.get_project(world.project_id)
        queue = sdks.task_queues()[0].uid
        assert mine.clear_queue_reservations(queue) == sdks.clear_queue_reservations(queue) == 0
        with pytest.raises(lbox_exceptions.ResourceNotFoundError):
            sdks.clear_queue_reservations("no-such-queue")


def test_model_setup_is_refused_to_both_clients_alike() -> None:
    lbox_exceptions = pytest.importorskip("lbox.exceptions")
    with MockLabelbox() as mock:
        ours, theirs = _both(mock)
        sdks = theirs.create_project(name="plain", media_type=labelbox.MediaType.Image)
        message = "Only live model chat evaluation projects can complete model setup"
        with pytest.raises(lbox_exceptions.OperationNotAllowedException, match=message):
            sdks.set_project_model_setup_complete()
        with pytest.raises(lb.exceptions.OperationNotAllowedException, match=message):
            ours.get_project(sdks.uid).set_project_model_setup_complete()
