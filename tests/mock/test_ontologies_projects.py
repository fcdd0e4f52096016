"""Ontologies with nested classifications and project administration, in the mock's state and over its API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite.exceptions import LabelboxError
from mockserver import MockLabelbox
from mockserver.cli import main
from mockserver.state import project_admin
from mockserver.state.errors import Conflict
from mockserver.state.records import Label
from mockserver.state.seed import SeedError
from mockserver.strategies import PredictionTarget, as_normalized, ontologies, predictions

NESTED_SEED = {"name": "o", "tools": [{"tool": "rectangle", "name": "box", "classifications": [
    {"type": "radio", "name": "quality", "options": ["good", {"value": "bad", "classifications": [
        {"type": "text", "name": "why"}]}]}]}]}


def _shape(ontology: dict[str, Any]) -> Any:
    """Names, kinds and options of an ontology's tree, as seeds give it (what a round trip must keep)."""
    def classification(c: dict[str, Any]) -> Any:
        options: list[dict[str, Any]] = [{"value": o} if isinstance(o, str) else o for o in c.get("options", [])]
        return (c["type"], c["name"], [(o["value"], [classification(n) for n in o.get("classifications", [])])
                                       for o in options])

    return ([(t["tool"], t["name"], [classification(c) for c in t.get("classifications", [])])
             for t in ontology["tools"]], [classification(c) for c in ontology["classifications"]])


def _from_normalized(normalized: dict[str, Any]) -> dict[str, Any]:
    def classification(c: dict[str, Any]) -> dict[str, Any]:
        return {"type": c["type"], "name": c["name"], "options": [
            {"value": o["value"], "classifications": [classification(n) for n in o["options"]]} for o in c["options"]]}

    return {"tools": [{"tool": t["tool"], "name": t["name"], "classifications": [classification(c)
                                                                               for c in t["classifications"]]}
                      for t in normalized["tools"]],
            "classifications": [classification(c) for c in normalized["classifications"]]}


def _node_ids(normalized: dict[str, Any]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []

    def visit(node: dict[str, Any]) -> None:
        out.append((node["featureSchemaId"], node["schemaNodeId"]))
        for child in node.get("classifications", []) + node.get("options", []):
            visit(child)

    for node in normalized["tools"] + normalized["classifications"]:
        visit(node)
    return out


@given(ontology=ontologies())
def test_any_drawn_ontology_round_trips_through_create_and_read(mock: MockLabelbox, client: lb.Client,
                                                                ontology: dict[str, Any]) -> None:
    mock.reset()
    created = client.create_ontology(ontology["name"], as_normalized(ontology), media_type=lb.MediaType.Image)
    read = client.get_ontology(created.uid)
    assert read.normalized == created.normalized
    assert _shape(_from_normalized(read.normalized)) == _shape(ontology)
    rebuilt = lb.OntologyBuilder.from_ontology(read).asdict()
    assert _shape(_from_normalized(rebuilt)) == _shape(ontology)
    ids = _node_ids(read.normalized)
    assert all(a and b for a, b in ids) and len({b for _, b in ids}) == len(ids) == len({a for a, _ in ids})
    # the same tree again reuses its feature schemas: a root node is its feature schema's root schema
    # node wherever it is placed; the nodes under it are the new ontology's own
    again = client.create_ontology("again", lb.OntologyBuilder.from_ontology(read).asdict())
    assert [a for a, _ in _node_ids(again.normalized)] == [a for a, _ in ids]
    roots = {node["schemaNodeId"] for node in read.normalized["tools"] + read.normalized["classifications"]}
    assert {node["schemaNodeId"] for node in again.normalized["tools"] + again.normalized["classifications"]} == roots
    assert not ({b for _, b in _node_ids(again.normalized)} - roots) & ({b for _, b in ids} - roots)


def _nested_lists(row: dict[str, Any]) -> list[tuple[list[dict[str, Any]], str]]:
    found = [(row["classifications"], "classifications")] if row.get("classifications") else []
    for key in ("answer", "answers"):
        answer = row.get(key)
        options = [(key, answer)] if isinstance(answer, dict) else [
            (f"{key}[{i}]", a) for i, a in enumerate(answer)] if isinstance(answer, list) else []
        found += [(o["classifications"], f"{path}.classifications") for path, o in options if o.get("classifications")]
    return found


_ALWAYS_NESTED = {"tool": "rectangle", "name": "Nested Box!", "classifications": [
    {"type": "radio", "name": "Side?", "options": ["left", "right"]}]}


@given(ontology=ontologies(max_depth=3), data=st.data())
def test_nested_predictions_pass_and_a_broken_nested_answer_fails_naming_its_path(
        mock: MockLabelbox, client: lb.Client, tmp_path: Path, ontology: dict[str, Any], data: st.DataObject) -> None:
    mock.reset()
    # one tool that always nests (its name is outside the drawn alphabet), and rows drawn only for features
    # that nest: drawing from every feature and discarding flat rows rejected too many examples
    ontology = {**ontology, "name": "o", "tools": [_ALWAYS_NESTED, *ontology["tools"]]}
    created = mock.seed({"ontologies": [ontology], "datasets": [{"name": "d", "data_rows": [
        {"row_data": "https://example.com/0.jpg", "global_key": "k"}]}], "models": [{"name": "m", "ontology": "o"}]})
    run = client.get_model(created["models"][0]).create_model_run("run")
    run.upsert_data_rows(global_keys=["k"])
    nesting = {**ontology, "tools": [t for t in ontology["tools"] if t.get("classifications")],
               "classifications": [c for c in ontology["classifications"]
                                   if any(isinstance(o, dict) and o.get("classifications") for o in c.get("options", []))]}
    target = PredictionTarget.from_seed(nesting, created["ontologies"][0], global_keys=["k"])
    valid = data.draw(predictions(target))
    assume(_nested_lists(valid))  # a chosen option may leave what it nests unanswered
    broken = json.loads(json.dumps(valid))
    broken["uuid"] += "-broken"
    nested, path = data.draw(st.sampled_from(_nested_lists(broken)))
    index = data.draw(st.integers(0, len(nested) - 1))
    nested[index]["name"] = "not-nested-here"
    file = tmp_path / "rows.ndjson"
    file.write_text(json.dumps(valid) + "\n" + json.dumps(broken) + "\n")
    job = run.add_predictions("nested", file)
    ok, failed = job.statuses
    assert ok["status"] == "SUCCESS", ok
    assert failed["status"] == "FAILURE"
    assert failed["errors"][0]["message"].startswith(f"{path}[{index}].name: no nested classification named "
                                                     "'not-nested-here'"), failed


def test_seeds_nest_classifications_and_check_seed_names_a_bad_nested_path(mock: MockLabelbox, tmp_path: Path,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    created = mock.seed({"ontologies": [NESTED_SEED]})
    ontology = mock.backend.store.organizations()[0].ontologies[created["ontologies"][0]["id"]]
    assert ontology.tools[0].classifications[0].options[1].options[0].name == "why"
    bad = {"ontologies": [{"name": "o", "tools": [{"tool": "rectangle", "name": "box", "classifications": [
        {"type": "radio", "name": "quality", "options": [{"value": "bad", "classifications": [
            {"type": "radio", "name": "why", "options": []}]}]}]}]}]}
    file = tmp_path / "seed.json"
    file.write_text(json.dumps(bad))
    assert main(["check-seed", str(file)]) == 1
    assert ("ontologies[0].tools[0].classifications[0].options[0].classifications[0].options"
            in capsys.readouterr().err)


def test_seed_labels_are_checked_against_nested_classifications(mock: MockLabelbox) -> None:
    label = {"data_row": "k", "annotations": [{"name": "box", "bbox": {"top": 0, "left": 0, "height": 1, "width": 1},
                                               "classifications": [{"name": "quality", "answer": {
                                                   "name": "bad", "classifications": [{"name": "how"}]}}]}]}
    seed = {"ontologies": [NESTED_SEED], "datasets": [{"name": "d", "data_rows": [
        {"row_data": "https://example.com/0.jpg", "global_key": "k"}]}],
        "projects": [{"name": "p", "ontology": "o", "labels": [label]}]}
    with pytest.raises(SeedError, match=r"annotations\[0\].classifications\[0\].answer.classifications\[0\].name: "
                             r"no nested classification named 'how' under option 'bad'"):
        mock.seed(seed)


def test_a_batch_whose_rows_have_labels_is_not_deleted(mock: MockLabelbox, client: lb.Client) -> None:
    mock.seed({"datasets": [{"name": "d", "data_rows": [{"row_data": "https://example.com/0.jpg", "global_key": "k"}]}]})
    project = client.create_project(name="p", media_type=lb.MediaType.Image)
    batch = project.create_batch("b", global_keys=["k"])
    org = mock.backend.store.organizations()[0]
    row_id = org.data_rows_by_global_key["k"]
    org.labels["label-1"] = Label(id="label-1", project_id=project.uid, data_row_id=row_id, created_at=0.0,
                                  updated_at=0.0)
    org.projects[project.uid].label_ids.append("label-1")
    with pytest.raises(LabelboxError, match=f"batch {batch.uid} cannot be deleted: its data rows have labels"):
        batch.delete()
    assert [b.uid for b in project.batches()] == [batch.uid]
    with pytest.raises(Conflict):
        project_admin.delete_batch(org, project.uid, batch.uid)


def test_create_project_refuses_bad_input(client: lb.Client) -> None:
    with pytest.raises(ValueError, match="valid string"):
        client.create_project(name=" ", media_type=lb.MediaType.Image)
    with pytest.raises(LabelboxError, match="is required|non-empty name"):
        client.execute("mutation {createProject(data: {name: \"\", allowedMediaType: IMAGE}) {id}}")


_text = st.text(alphabet="abcdefghij klmnop-_", min_size=1, max_size=12).filter(str.strip)
_media = st.sampled_from([lb.MediaType.Image, lb.MediaType.Video, lb.MediaType.Text, lb.MediaType.Html])


@given(specs=st.lists(st.tuples(_text, st.none() | _text, _media), min_size=1, max_size=5), data=st.data())
def test_projects_round_trip_and_deleted_ones_are_gone(mock: MockLabelbox, client: lb.Client,
                                                       specs: list[tuple[str, str | None, lb.MediaType]],
                                                       data: st.DataObject) -> None:
    mock.reset()
    projects = [client.create_project(name=name, description=description, media_type=media)
                for name, description, media in specs]
    for project, (name, description, media) in zip(projects, specs, strict=True):
        read = client.get_project(project.uid)
        assert (read.name, read.description, read.media_type) == (name, description or "", media)
        assert project.get_label_count() == 0 and project.ontology() is None
        assert len(project.task_queues()) == 3  # the default workflow's queues (Done is not one)
    doomed = data.draw(st.lists(st.sampled_from(projects), unique_by=lambda p: p.uid))
    for project in doomed:
        project.delete()
    assert {p.uid for p in client.get_projects()} == {p.uid for p in projects} - {p.uid for p in doomed}


_UPSERT_ONTOLOGY = """mutation UpsertOntology($data: UpsertOntologyInput!) {
  upsertOntology(data: $data) { id mediaType normalized } }"""


@given(kind=st.sampled_from(["radio", "checklist", "text"]), likert=st.booleans(), nested=st.booleans())
def test_a_likert_scale_is_kept_as_sent_on_a_radio_or_checklist_at_any_depth(
        mock: MockLabelbox, client: lb.Client, kind: str, likert: bool, nested: bool) -> None:
    mock.reset()
    question: dict[str, Any] = {"type": kind, "name": "q", "isLikertScale": likert,
                                "options": [] if kind == "text" else [{"value": "a"}]}
    top = ({"type": "radio", "name": "outer", "options": [{"value": "o", "options": [question]}]} if nested
           else question)
    read = client.get_ontology(client.create_ontology("o", {"tools": [], "classifications": [top]}).uid).normalized
    node = read["classifications"][0]["options"][0]["options"][0] if nested else read["classifications"][0]
    assert node.get("isLikertScale") == (None if kind == "text" else likert)  # a text has no scale to keep


def test_a_likert_scale_that_is_not_a_boolean_is_refused_naming_it(client: lb.Client) -> None:
    question = {"type": "radio", "name": "q", "isLikertScale": "yes", "options": [{"value": "a"}]}
    with pytest.raises(LabelboxError, match=r"classifications\[0\]\.isLikertScale: must be true or false"):
        client.create_ontology("o", {"tools": [], "classifications": [question]})


def test_a_chat_evaluation_ontology_without_a_media_type_is_conversational(client: lb.Client) -> None:
    """The SDK's create_ontology(ontology_kind=ModelEvaluation) sends mediaType null; another media type is refused."""
    normalized = json.dumps({"tools": [], "classifications": [{"type": "text", "name": "why"}]})
    data = {"name": "chat", "normalized": normalized, "mediaType": None, "editorTaskType": "MODEL_CHAT_EVALUATION"}
    assert client.execute(_UPSERT_ONTOLOGY, {"data": data})["upsertOntology"]["mediaType"] == "CONVERSATIONAL"
    plain = client.execute(_UPSERT_ONTOLOGY, {"data": {"name": "plain", "normalized": normalized, "mediaType": None}})
    assert plain["upsertOntology"]["mediaType"] is None
    with pytest.raises(LabelboxError, match="a chat-evaluation ontology is CONVERSATIONAL, got 'IMAGE'"):
        client.execute(_UPSERT_ONTOLOGY, {"data": {**data, "mediaType": "IMAGE"}})
