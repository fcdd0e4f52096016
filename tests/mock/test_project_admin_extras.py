"""Resource tags, project clones, reservation extension, instructions and Foundry app bounds, over the
mock's API with the documents the SDK sends."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite.exceptions import InvalidQueryError, LabelboxError, ResourceConflict, ResourceNotFoundError
from mockserver import MockLabelbox
from mockserver.state import foundry, project_admin, resource_tags

from ..support import World

CREATE_TAG = ("mutation CreateResourceTagPyApi($text:String!,$color:String!)"
              "{createResourceTag(input:{text:$text,color:$color}){color text id}}")
ORG_TAGS = "query GetOrganizationResourceTagsPyApi{organization{resourceTag{color text id}}}"
SET_TAGS = ("mutation UpdateProjectResourceTagsPyApi($projectId:ID!,$resourceTagIds:[String!])"
            "{project(where:{id:$projectId}){updateProjectResourceTags(input:{resourceTagIds:$resourceTagIds})"
            "{color text id}}}")
PROJECT_TAGS = ("query GetProjectResourceTagsPyApi($projectId: ID!)"
                "{project(where: {id: $projectId}){name resourceTags{color text id}}}")
DELETE_TAG = "mutation deleteResourceTagPyApi($tag_id: String!){deleteResourceTag(input: {id: $tag_id}){id}}"
CLONE = "mutation CloneProjectPyApi($projectId: ID!){cloneProject(data: { projectId: $projectId }){id}}"
SET_INSTRUCTIONS = ("mutation setprojectinsructionsPyApi($projectId: ID!, $instructions_url: String!)"
                    "{setProjectInstructions(where: {id: $projectId}, data: {instructionsUrl: $instructions_url})"
                    "{id ontology{id options}}}")


def _tag(client: lb.Client, text: str, color: str = "#00ff00") -> dict[str, Any]:
    return client.execute(CREATE_TAG, {"text": text, "color": color})["createResourceTag"]  # type: ignore[no-any-return]


def _project_tags(client: lb.Client, project_id: str) -> list[str]:
    return [tag["id"] for tag in client.execute(PROJECT_TAGS, {"projectId": project_id})["project"]["resourceTags"]]


def test_tags_are_made_worn_and_deleted(client: lb.Client, world: World) -> None:
    red, blue = _tag(client, "red", "#FF0000"), _tag(client, "blue", "0000ff")
    assert (red["color"], blue["color"]) == ("ff0000", "0000ff")  # six digits, without the '#'
    assert [t["id"] for t in client.execute(ORG_TAGS)["organization"]["resourceTag"]] == [red["id"], blue["id"]]
    worn = client.execute(SET_TAGS, {"projectId": world.project_id, "resourceTagIds": [red["id"], blue["id"]]})
    assert [t["id"] for t in worn["project"]["updateProjectResourceTags"]] == [red["id"], blue["id"]]
    client.execute(DELETE_TAG, {"tag_id": red["id"]})
    assert _project_tags(client, world.project_id) == [blue["id"]]  # a deleted tag leaves every project


@given(steps=st.lists(st.lists(st.integers(0, 3), max_size=4), min_size=1, max_size=4))
def test_a_project_wears_exactly_the_tags_it_was_last_given(client: lb.Client, world: World,
                                                            steps: list[list[int]]) -> None:
    existing = {t["text"]: t["id"] for t in client.execute(ORG_TAGS)["organization"]["resourceTag"]}
    tags = [existing.get(f"t{i}") or _tag(client, f"t{i}")["id"] for i in range(4)]
    for step in steps:
        client.execute(SET_TAGS, {"projectId": world.project_id, "resourceTagIds": [tags[i] for i in step]})
    assert _project_tags(client, world.project_id) == list(dict.fromkeys(tags[i] for i in steps[-1]))


@pytest.mark.parametrize("text, color, error, message", [
    ("", "#ffffff", InvalidQueryError, "non-empty text"),
    ("x" * 257, "#ffffff", InvalidQueryError, "at most 256 bytes"),
    ("ok", "white", InvalidQueryError, "six hex digits"),
    ("ok", "#fff", InvalidQueryError, "six hex digits"),
])
def test_a_bad_tag_is_refused(client: lb.Client, mock: MockLabelbox, text: str, color: str,
                              error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        _tag(client, text, color)
    assert mock.backend.store.organizations()[0].resource_tags == {}


def test_tags_are_unique_by_text_bounded_in_number_and_refused_whole_on_a_project(
        client: lb.Client, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    kept = _tag(client, "kept")
    with pytest.raises(ResourceConflict, match="already has a resource tag with the text 'kept'"):
        _tag(client, "kept")
    client.execute(SET_TAGS, {"projectId": world.project_id, "resourceTagIds": [kept["id"]]})
    with pytest.raises(InvalidQueryError, match="no resource tag of this organisation has the id 'cnope'"):
        client.execute(SET_TAGS, {"projectId": world.project_id, "resourceTagIds": [kept["id"], "cnope"]})
    assert _project_tags(client, world.project_id) == [kept["id"]]
    monkeypatch.setattr(resource_tags, "MAX_TAGS", 2)
    _tag(client, "second")
    with pytest.raises(InvalidQueryError, match="already has 2 resource tags"):
        _tag(client, "third")


def test_a_clone_has_the_settings_and_ontology_but_nothing_of_the_work(client: lb.Client, world: World,
                                                                       mock: MockLabelbox) -> None:
    source = client.get_project(world.project_id)
    clone = client.get_project(client.execute(CLONE, {"projectId": source.uid})["cloneProject"]["id"])
    assert clone.uid != source.uid and clone.name == f"Clone of {source.name}"
    assert (clone.description, clone.media_type) == (source.description, source.media_type)
    assert clone.ontology().uid == source.ontology().uid  # type: ignore[union-attr]
    assert clone.get_label_count() == 0 and list(clone.batches()) == []
    assert [q.name for q in clone.task_queues()] == [q.name for q in source.task_queues()]
    assert all(q.data_row_count == 0 for q in clone.task_queues())
    with pytest.raises(ResourceNotFoundError):
        client.execute(CLONE, {"projectId": "cnosuchproject00000000000"}, raise_return_resource_not_found=True)


def test_reservations_extended_are_none_for_a_known_project_and_queue_type(client: lb.Client, world: World) -> None:
    document = "mutation ExtendReservationsPyApi($projectId: ID!){extendReservations(projectId:$projectId queueType:%s)}"
    assert client.execute(document % "LabelingQueue", {"projectId": world.project_id})["extendReservations"] == 0
    assert client.execute(document % "ReviewQueue", {"projectId": world.project_id})["extendReservations"] == 0
    with pytest.raises(InvalidQueryError):
        client.execute(document % "InvalidQueueType", {"projectId": world.project_id})
    with pytest.raises(ResourceNotFoundError):
        client.execute(document % "ReviewQueue", {"projectId": "cnosuchproject00000000000"},
                       raise_return_resource_not_found=True)


@pytest.mark.parametrize("url, message", [
    ("file:///etc/passwd", "must be an http\\(s\\) URL"),
    ("https://example.com/" + "a" * 5000, "at most 4096 bytes"),
])
def test_instructions_must_be_a_bounded_web_url(client: lb.Client, world: World, mock: MockLabelbox, url: str,
                                                message: str) -> None:
    with pytest.raises(InvalidQueryError, match=message):
        client.execute(SET_INSTRUCTIONS, {"projectId": world.project_id, "instructions_url": url})
    assert mock.backend.store.organizations()[0].ontologies[world.ontology_id].project_instructions is None
    assert project_admin.MAX_INSTRUCTIONS_URL_BYTES == 4096


def test_instructions_come_back_in_the_ontologys_options(client: lb.Client, world: World) -> None:
    answer = client.execute(SET_INSTRUCTIONS, {"projectId": world.project_id,
                                               "instructions_url": "https://example.com/guide.pdf"})
    assert answer["setProjectInstructions"]["ontology"]["options"] == {
        "projectInstructions": "https://example.com/guide.pdf"}


def test_foundry_apps_are_bounded_in_number_and_size(client: lb.Client, world: World,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from labelbox_lite.foundry import App, FoundryClient

    def app(**changes: Any) -> App:
        fields: dict[str, Any] = {"model_id": "c8a5b29a-cdba-408a-803a-a605a95631c2", "name": "a",
                                  "inference_params": {}, "class_to_schema_id": {}, "ontology_id": world.ontology_id}
        return FoundryClient(client)._create_app(App(**{**fields, **changes}))

    with pytest.raises(LabelboxError, match="at most 65536 bytes"):
        app(inference_params={"blob": "x" * 70_000})
    monkeypatch.setattr(foundry, "MAX_APPS", 1)
    app()
    with pytest.raises(LabelboxError, match="already has 1 apps"):
        app()



SET_SETUP = ("mutation UpdateProjectPyApi($projectId: ID!, $value: DateTime)"
             "{updateProject(where: {id: $projectId}, data: {setupComplete: $value}){setupComplete name}}")


@given(moment=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1),
                           timezones=st.one_of(st.none(), st.timezones())))
def test_setup_complete_is_kept_as_the_instant_given(client: lb.Client, world: World, moment: datetime) -> None:
    answer = client.execute(SET_SETUP, {"projectId": world.project_id, "value": moment.isoformat()})
    expected = (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)
    stored = answer["updateProject"]["setupComplete"]
    assert stored.startswith(expected.strftime("%Y-%m-%dT%H:%M:%S"))


def test_a_setup_time_that_is_no_time_changes_nothing(client: lb.Client, world: World) -> None:
    before = client.get_project(world.project_id).name
    with pytest.raises(InvalidQueryError, match="setupComplete must be an ISO 8601 date and time"):
        client.execute(SET_SETUP, {"projectId": world.project_id, "value": "next tuesday"})
    assert client.get_project(world.project_id).name == before


FEEDBACK = ("mutation UpsertAutoQaLabelFeedbackPyApi($labelId: ID!, $feedback: String!, $scores: Json!)"
            "{upsertAutoQaLabelFeedback(input: {labelId: $labelId, feedback: $feedback, scores: $scores})"
            "{id scores{id name score}}}")


def _feedback(client: lb.Client, label_id: str, scores: Any, feedback: str = "ok") -> dict[str, float]:
    answer = client.execute(FEEDBACK, {"labelId": label_id, "feedback": feedback, "scores": scores})
    return {s["name"]: s["score"] for s in answer["upsertAutoQaLabelFeedback"]["scores"]}


@given(rounds=st.lists(st.dictionaries(st.sampled_from(["overall", "fit", "class"]),
                                       st.floats(-10, 10, allow_nan=False)), min_size=1, max_size=4))
def test_label_scores_are_upserted_by_name(client: lb.Client, world: World, rounds: list[dict[str, float]]) -> None:
    label_id = world.label_ids[0]
    expected = _feedback(client, label_id, {})  # what earlier examples left
    for scores in rounds:
        expected.update(scores)
        assert _feedback(client, label_id, scores) == expected


def test_feedback_is_kept_with_the_label(client: lb.Client, world: World, mock: MockLabelbox) -> None:
    assert _feedback(client, world.label_ids[1], {"overall": 5}, "That's a great label!") == {"overall": 5.0}
    label = mock.backend.store.organizations()[0].labels[world.label_ids[1]]
    assert (label.feedback, label.scores) == ("That's a great label!", {"overall": 5.0})


@pytest.mark.parametrize("scores, message", [
    ({"overall": "five"}, "must be a finite number"),
    ({"": 1}, "must be non-empty"),
    ([5], "must be a JSON object"),
    ({f"s{i}": i for i in range(101)}, "at most 100 scores"),
])
def test_bad_scores_change_nothing(client: lb.Client, world: World, mock: MockLabelbox, scores: Any,
                                   message: str) -> None:
    with pytest.raises(InvalidQueryError, match=message):
        _feedback(client, world.label_ids[2], scores)
    assert mock.backend.store.organizations()[0].labels[world.label_ids[2]].scores == {}
    with pytest.raises(ResourceNotFoundError):
        client.execute(FEEDBACK, {"labelId": "cnosuchlabel0000000000000", "feedback": "", "scores": {}},
                       raise_return_resource_not_found=True)
