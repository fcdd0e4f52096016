"""Project.labeling_parameter_overrides, set_labeling_parameter_overrides and update_data_row_labeling_priority:
each data row's queue priority in a project, as the SDK 7.17.0 reads and sets it."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import build_schema, parse, validate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite import documents
from labelbox_lite.exceptions import (
    InvalidQueryError,
    LabelboxError,
    ResourceNotFoundError,
    TaskFailedError,
)
from labelbox_lite.schema.identifiable import GlobalKey, UniqueId
from labelbox_lite.schema.project import LabelingParameterOverride, validate_labeling_parameter_overrides
from mockserver import MockLabelbox
from mockserver.api.service import load_sdl

INT32 = st.integers(-(2**31), 2**31 - 1)
SCHEMA = build_schema(load_sdl())


def _project(client: lb.Client, mock: MockLabelbox, keys: list[str], name: str = "queue") -> tuple[lb.Project,
                                                                                                   list[str]]:
    seeded = mock.seed({"projects": [{"name": name}], "datasets": [{"name": name, "data_rows": [
        {"row_data": f"https://example.com/{i}.jpg", "global_key": key} for i, key in enumerate(keys)]}]})
    return client.get_project(seeded["projects"][0]["id"]), list(seeded["datasets"][0]["data_rows"])


def _priorities(project: lb.Project) -> dict[str, int]:
    return {o.data_row().uid: o.priority for o in project.labeling_parameter_overrides()}


def test_rows_take_their_batch_priority_until_set(client: lb.Client, mock: MockLabelbox) -> None:
    project, rows = _project(client, mock, [f"k-{i}" for i in range(4)])
    project.create_batch("first", rows[:2], priority=2)
    project.create_batch("second", global_keys=["k-2"])
    overrides = list(project.labeling_parameter_overrides())
    assert [(o.data_row().global_key, o.priority, o.number_of_labels) for o in overrides] == [
        ("k-0", 2, 1), ("k-1", 2, 1), ("k-2", 5, 1)]
    assert all(isinstance(o, LabelingParameterOverride) and isinstance(o.data_row(), lb.DataRow) for o in overrides)

    # a third item (the number of labels Labelbox no longer takes) is dropped, as the SDK drops it
    assert project.set_labeling_parameter_overrides([(UniqueId(rows[0]), -7, 3), (GlobalKey("k-2"), 2**31 - 1)])
    assert _priorities(project) == {rows[0]: -7, rows[1]: 2, rows[2]: 2**31 - 1}

    assert project.update_data_row_labeling_priority(lb.GlobalKeys(["k-1", "k-2"]), 4) is True
    assert project.update_data_row_labeling_priority(lb.UniqueIds([rows[0]]), 1) is True
    assert _priorities(project) == {rows[0]: 1, rows[1]: 4, rows[2]: 4}
    operations = [e.operation for e in mock.requests]
    assert {"GetProjectLabelingParameterOverridesPyApi", "SetLabelingParameterOverridesPyApi",
            "createQueuePriorityUpdateTaskPyApi"} <= set(operations)


def test_the_listing_reads_page_after_page(client: lb.Client, mock: MockLabelbox) -> None:
    project, rows = _project(client, mock, [f"p-{i}" for i in range(130)])
    project.create_batch("all", rows, priority=3)
    before = len(mock.requests)
    assert [o.data_row().uid for o in project.labeling_parameter_overrides()] == rows
    assert [e.operation for e in mock.requests[before:]] == ["GetProjectLabelingParameterOverridesPyApi"] * 2
    assert project.labeling_parameter_overrides().get_many(3)[2].data_row().global_key == "p-2"


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_listing_shows_exactly_the_priorities_set(client: lb.Client, mock: MockLabelbox,
                                                      data: st.DataObject) -> None:
    """Any mix of ids and global keys, any 32-bit priorities: each row named has its priority, the rest keep
    their batch's; then a bulk update sets exactly the rows it names."""
    mock.reset()
    count = data.draw(st.integers(1, 6), label="rows")
    project, rows = _project(client, mock, [f"h-{i}" for i in range(count)])
    project.create_batch("b", rows, priority=data.draw(st.integers(1, 5), label="batch priority"))
    expected = _priorities(project)
    named = data.draw(st.lists(st.integers(0, count - 1), min_size=1, unique=True), label="named")
    overrides: list[Any] = [(UniqueId(rows[i]) if data.draw(st.booleans()) else GlobalKey(f"h-{i}"), data.draw(INT32))
                            for i in named]
    assert project.set_labeling_parameter_overrides(overrides) is True
    expected.update({rows[i]: priority for i, (_key, priority) in zip(named, overrides, strict=True)})
    assert _priorities(project) == expected

    bulk = data.draw(st.sets(st.integers(0, count - 1), min_size=1), label="bulk")
    priority = data.draw(INT32, label="bulk priority")
    identifiers = (lb.UniqueIds([rows[i] for i in sorted(bulk)]) if data.draw(st.booleans())
                   else lb.GlobalKeys([f"h-{i}" for i in sorted(bulk)]))
    assert project.update_data_row_labeling_priority(identifiers, priority) is True
    expected.update({rows[i]: priority for i in bulk})
    assert _priorities(project) == expected


KEYS = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=20)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=KEYS, priority=INT32)
def test_any_global_key_reaches_the_server_as_it_is(client: lb.Client, mock: MockLabelbox, key: str,
                                                   priority: int) -> None:
    """The overrides are written into the document; a key with quotes, backslashes or line breaks is escaped."""
    mock.reset()
    project, rows = _project(client, mock, [key])
    project.create_batch("b", rows)
    assert project.set_labeling_parameter_overrides([(GlobalKey(key), priority)])
    assert _priorities(project) == {rows[0]: priority}


@settings(max_examples=50, deadline=None)
@given(entries=st.lists(st.tuples(KEYS, st.sampled_from(["ID", "GKEY"]), INT32), max_size=5))
def test_the_filled_in_document_validates_and_carries_each_entry(entries: list[tuple[str, str, int]]) -> None:
    document = documents.set_labeling_parameter_overrides(entries)
    assert not validate(SCHEMA, parse(document))
    field = parse(document).definitions[0].selection_set.selections[0].selection_set.selections[0]  # type: ignore[attr-defined]
    values = field.arguments[0].value.values
    read = [({f.name.value: f.value for f in v.fields}) for v in values]
    assert [(r["dataRowIdentifier"].fields[0].value.value, r["dataRowIdentifier"].fields[1].value.value,
             int(r["priority"].value)) for r in read] == entries


BAD_ENTRIES: list[tuple[Any, str]] = [
    ([("cnotanidentifier", 1)], "Data row identifier should be of type DataRowIdentifier. Found <class 'str'>."),
    ([(UniqueId("c1"), "a_string", 3)], "Priority must be an int. Found <class 'str'> for data_row_identifier c1"),
    ([(GlobalKey("k"), 1.0)], "Priority must be an int. Found <class 'float'> for data_row_identifier k"),
    ([(GlobalKey("k"), True)], "Priority must be an int. Found <class 'bool'> for data_row_identifier k"),
    ([(UniqueId("c1"), 1), (UniqueId("c2"),)], "Data must be a list of tuples each containing two elements: a  "
     "DataRowIdentifier and priority (int). Found 1 items. Index: 1"),
    ([UniqueId("c1")], "Data must be a list of tuples each containing two elements: a  DataRowIdentifier and "
     "priority (int). Found <class 'labelbox_lite.identifiables.UniqueId'>. Index: 0"),
]


@pytest.mark.parametrize(("data", "message"), BAD_ENTRIES)
def test_bad_overrides_raise_the_sdks_type_errors_before_sending(client: lb.Client, mock: MockLabelbox, data: Any,
                                                                 message: str) -> None:
    project, _rows = _project(client, mock, ["k"])
    sent = len(mock.requests)
    with pytest.raises(TypeError) as raised:
        project.set_labeling_parameter_overrides(data)
    assert str(raised.value) == message
    assert len(mock.requests) == sent
    with pytest.raises(TypeError):
        validate_labeling_parameter_overrides([tuple(entry[:2]) if isinstance(entry, tuple) else entry
                                               for entry in data])


def test_the_server_refuses_rows_outside_the_batches_and_nothing_changes(client: lb.Client,
                                                                         mock: MockLabelbox) -> None:
    project, rows = _project(client, mock, [f"k-{i}" for i in range(3)])
    project.create_batch("b", rows[:2])
    with pytest.raises(InvalidQueryError, match="not in the batches"):
        project.set_labeling_parameter_overrides([(UniqueId(rows[0]), 1), (UniqueId(rows[2]), 1)])
    with pytest.raises(InvalidQueryError, match="not in the batches"):
        project.update_data_row_labeling_priority(lb.GlobalKeys(["k-0", "no-such-key"]), 1)
    with pytest.raises(InvalidQueryError):  # beyond 32 bits: the document does not validate
        project.set_labeling_parameter_overrides([(UniqueId(rows[0]), 2**31)])
    with pytest.raises(InvalidQueryError):  # the variable is an Int!
        project.update_data_row_labeling_priority(lb.UniqueIds(rows[:1]), "1")  # type: ignore[arg-type]
    with pytest.raises(InvalidQueryError, match="more than once"):
        project.set_labeling_parameter_overrides([(UniqueId(rows[0]), 1), (GlobalKey("k-0"), 2)])
    with pytest.raises(TypeError, match="data_rows must be a DataRowIdentifiers object"):
        project.update_data_row_labeling_priority([rows[0]], 1)  # type: ignore[arg-type]
    assert _priorities(project) == {rows[0]: 5, rows[1]: 5}


def test_a_failed_priority_task_raises_the_sdks_error(client: lb.Client, mock: MockLabelbox) -> None:
    project, rows = _project(client, mock, ["k"])
    project.create_batch("b", rows)
    mock.set_transition("queue-priority-update", outcome="FAILED", error="queue busy")
    with pytest.raises(TaskFailedError, match="^Priority was not updated successfully: .*queue busy") as raised:
        project.update_data_row_labeling_priority(lb.UniqueIds(rows), 1)
    assert isinstance(raised.value, LabelboxError) and raised.value.task_id
    assert _priorities(project) == {rows[0]: 5}


def test_a_deleted_project_has_no_overrides(client: lb.Client, mock: MockLabelbox) -> None:
    project, _rows = _project(client, mock, ["k"])
    project.delete()
    with pytest.raises(ResourceNotFoundError):
        list(project.labeling_parameter_overrides())
    with pytest.raises(ResourceNotFoundError):
        project.set_labeling_parameter_overrides([(GlobalKey("k"), 1)])
