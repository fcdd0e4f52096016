"""Project.labels(datasets=, created_by=, order_by=): the SDK's filters, end to end through the mock.

Labels are made one by one on rows of several datasets, the mock's clock moved
between them; whatever is drawn, the labels that come back are exactly those
the filters select, in the order asked for.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite.exceptions import InvalidAttributeError
from mockserver import MockLabelbox

from ..support.ontologies import BOX

DATASETS = ("north", "south", "east")
ORDERABLE = {"uid": "uid", "created_at": "created_at", "updated_at": "updated_at", "label": "label"}


def _world(mock: MockLabelbox, placements: list[tuple[int, int]]) -> tuple[str, dict[str, str], list[str]]:
    """A project whose labels sit on rows of DATASETS[i], made `seconds` apart; answers the project id, the
    dataset ids by name and the label ids in the order they were made."""
    datasets = [{"name": name, "data_rows": [{"row_data": f"https://example.com/{name}/{n}.jpg",
                                              "global_key": f"{name}-{n}"} for n in range(len(placements))]}
                for name in DATASETS]
    created = mock.seed({"datasets": datasets, "ontologies": [{"name": "o", "tools": [
        {"tool": "rectangle", "name": "box"}]}], "projects": [{"name": "p", "ontology": "o"}]})
    project_id = created["projects"][0]["id"]
    label_ids: list[str] = []
    for n, (dataset, seconds) in enumerate(placements):
        mock.advance_clock(seconds)
        box = {**BOX, "top": n}  # each label's text differs
        added = mock.seed({"projects": [{"id": project_id, "labels": [
            {"data_row": f"{DATASETS[dataset]}-{n}", "annotations": [{"name": "box", "bbox": box}]}]}]})
        label_ids += added["projects"][0]["labels"]
    return project_id, dict(zip(DATASETS, (d["id"] for d in created["datasets"]), strict=True)), label_ids


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(placements=st.lists(st.tuples(st.integers(0, len(DATASETS) - 1), st.integers(1, 100)), max_size=6),
       chosen=st.none() | st.sets(st.sampled_from(DATASETS)), by=st.sampled_from(["none", "me", "my id", "someone"]),
       order=st.none() | st.tuples(st.sampled_from(sorted(ORDERABLE)), st.booleans()))
def test_labels_come_back_filtered_and_in_order(placements: list[tuple[int, int]], chosen: set[str] | None, by: str,
                                                order: tuple[str, bool] | None) -> None:
    with MockLabelbox() as mock:
        project_id, dataset_ids, made = _world(mock, placements)
        client = lb.Client(api_key=mock.api_key)
        project = client.get_project(project_id)
        user = client.get_user()
        created_by = {"none": None, "me": user, "my id": user.uid, "someone": "cnotauser000000000000000000"}[by]
        datasets = None if chosen is None else [client.get_dataset(dataset_ids[name]) for name in sorted(chosen)]
        order_by = None if order is None else (getattr(lb.Label, order[0]).asc if order[1]
                                               else getattr(lb.Label, order[0]).desc)
        deprecated = datasets or order_by
        with pytest.warns(DeprecationWarning, match="datasets and order_by") if deprecated else nullcontext():
            labels = list(project.labels(datasets=datasets, order_by=order_by, created_by=created_by))

    selected = [label_id for label_id, (dataset, _) in zip(made, placements, strict=True)
                if (chosen is None or DATASETS[dataset] in chosen) and by != "someone"]
    assert sorted(label.uid for label in labels) == sorted(selected)
    if order is None:
        assert [label.uid for label in labels] == selected  # the order they were made in
    else:
        keys = [getattr(label, ORDERABLE[order[0]]) for label in labels]
        assert keys == sorted(keys, reverse=not order[1])


def test_order_by_takes_a_label_field_and_a_direction(mock: MockLabelbox, client: lb.Client) -> None:
    project = client.create_project(name="p", media_type=lb.MediaType.Image)
    with pytest.warns(DeprecationWarning), pytest.raises(InvalidAttributeError, match="Project.name"):
        project.labels(order_by=lb.Project.name.asc)
    with pytest.warns(DeprecationWarning), pytest.raises(TypeError, match=r"order_by takes \(Label.<field>"):
        project.labels(order_by="created_at")  # type: ignore[arg-type]
    assert lb.Label.created_at.desc == (lb.Label.created_at, lb.Label.created_at.Order.Desc)


def test_the_filters_are_sent_as_the_sdk_sends_them(mock: MockLabelbox, client: lb.Client) -> None:
    created = mock.seed({"datasets": [{"name": "d", "data_rows": [{"row_data": "https://example.com/a.jpg"}]}],
                         "projects": [{"name": "p"}]})
    project = client.get_project(created["projects"][0]["id"])
    dataset = client.get_dataset(created["datasets"][0]["id"])
    with pytest.warns(DeprecationWarning):
        assert list(project.labels(datasets=[dataset], created_by="someone", order_by=lb.Label.label.desc)) == []
    sent: dict[str, Any] = mock.requests[-1].variables
    assert sent["where"] == {"dataRow": {"dataset": {"id_in": [dataset.uid]}}, "createdBy": {"id": "someone"}}
    assert sent["orderBy"] == "label_DESC"
