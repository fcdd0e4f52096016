"""A project's label and MAL prediction imports, listed (`Project.get_label_imports`,
`get_mal_prediction_imports`: `labelImports`, `modelAssistedLabelingPredictionImports` paged by
skip/first), and a MAL import deleted (`MALPredictionImport.delete`)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite import types as lb_types
from labelbox_lite.exceptions import ResourceNotFoundError
from mockserver import MockLabelbox

from ..support import ONTOLOGY

LIST = """query($p: ID!, $s: Int, $f: Int) { %s(skip: $s, first: $f, where: {projectId: $p}) {
  id name state progress inputFileUrl errorFileUrl statusFileUrl project { id } } }"""
DELETE = """mutation($id: ID!) { deleteModelAssistedLabelingPredictionImport(where: {id: $id}) { id } }"""


def _project_with_rows(mock: MockLabelbox, client: lb.Client) -> str:
    project_id: str = mock.seed({"ontologies": [ONTOLOGY], "projects": [
        {"name": "imports", "ontology": "everything"}]})["projects"][0]["id"]
    client.create_dataset(name="d").create_data_rows(
        [{"row_data": "https://example.com/0.jpg", "global_key": "k0"}]).wait_till_done()
    client.get_project(project_id).create_batch("b", global_keys=["k0"])
    return project_id


def _labels() -> list[lb_types.Label]:
    box = lb_types.ObjectAnnotation(name="box", value=lb_types.Rectangle(
        start=lb_types.Point(x=1, y=2), end=lb_types.Point(x=5, y=8)))
    return [lb_types.Label(data={"global_key": "k0"}, annotations=[box])]


def _list(client: lb.Client, field: str, project_id: str, skip: int = 0, first: int = 100) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = client.execute(LIST % field, {"p": project_id, "s": skip, "f": first},
                                                 raise_return_resource_not_found=True)[field]
    return found


def _delete(client: lb.Client, import_id: str) -> Any:
    return client.execute(DELETE, {"id": import_id}, raise_return_resource_not_found=True)


def test_a_project_lists_its_label_and_mal_imports_apart_oldest_first(mock: MockLabelbox, client: lb.Client) -> None:
    project_id = _project_with_rows(mock, client)
    for name in ("gt-a", "gt-b"):
        lb.LabelImport.create_from_objects(client, project_id, name, _labels()).wait_till_done()
    mal = lb.MALPredictionImport.create_from_objects(client, project_id, "pre", _labels())
    mal.wait_till_done()

    project = client.get_project(project_id)
    labels = list(project.get_label_imports())
    assert [(i.name, i.state, i.project_id) for i in labels] == [
        ("gt-a", lb.AnnotationImportState.FINISHED, project_id), ("gt-b", lb.AnnotationImportState.FINISHED, project_id)]
    assert labels[0].statuses and labels[0].input_file_url
    assert [i.uid for i in project.get_mal_prediction_imports()] == [mal.uid]
    assert [i["name"] for i in _list(client, "labelImports", project_id, skip=1, first=5)] == ["gt-b"]
    assert _list(client, "labelImports", project_id, skip=2) == []


def test_deleting_a_mal_import_drops_it_and_frees_its_name(mock: MockLabelbox, client: lb.Client) -> None:
    project_id = _project_with_rows(mock, client)
    mal = lb.MALPredictionImport.create_from_objects(client, project_id, "pre", _labels())
    mal.wait_till_done()
    project = mock.backend.store.organizations()[0].projects[project_id]
    prelabels = dict(project.prelabels)

    assert _delete(client, mal.uid) == {"deleteModelAssistedLabelingPredictionImport": {"id": mal.uid}}
    assert list(client.get_project(project_id).get_mal_prediction_imports()) == []
    mal.delete()  # gone already: as in the SDK, no error
    assert project.prelabels == prelabels  # what it wrote stays
    with pytest.raises(ResourceNotFoundError):
        lb.MALPredictionImport.from_name(client, project_id, "pre")
    again = lb.MALPredictionImport.create_from_objects(client, project_id, "pre", _labels())
    assert [i["id"] for i in _list(client, "modelAssistedLabelingPredictionImports", project_id)] == [again.uid]


def test_unknown_projects_and_imports_are_not_found(mock: MockLabelbox, client: lb.Client) -> None:
    project_id = _project_with_rows(mock, client)
    label = lb.LabelImport.create_from_objects(client, project_id, "gt", _labels())
    with pytest.raises(ResourceNotFoundError):
        _list(client, "labelImports", "no-such-project")
    with pytest.raises(ResourceNotFoundError):
        _delete(client, "no-such-import")
    with pytest.raises(ResourceNotFoundError):  # a label import is not a MAL import: nothing deleted
        _delete(client, label.uid)
    assert [i["id"] for i in _list(client, "labelImports", project_id)] == [label.uid]


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(skip=st.integers(-2, 6), first=st.integers(-1, 6))
def test_pages_are_slices_of_the_oldest_first_list(mock: MockLabelbox, client: lb.Client, skip: int,
                                                    first: int) -> None:
    org = mock.backend.store.organizations()
    if not org or not org[0].annotation_imports:
        project_id = _project_with_rows(mock, client)
        for i in range(4):
            lb.MALPredictionImport.create_from_objects(client, project_id, f"m{i}", _labels())
    project_id = next(iter(mock.backend.store.organizations()[0].projects))
    names = [f"m{i}" for i in range(4)]
    page = _list(client, "modelAssistedLabelingPredictionImports", project_id, skip, first)
    assert [i["name"] for i in page] == names[max(skip, 0):max(skip, 0) + max(first, 0)]
