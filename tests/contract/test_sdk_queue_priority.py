"""The real SDK's labeling parameter overrides against the mock: Project.labeling_parameter_overrides,
set_labeling_parameter_overrides and update_data_row_labeling_priority (a task)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockserver.engines.tasks import Transition

from .conftest import SdkTarget, labelbox

lbox_exceptions = pytest.importorskip("lbox.exceptions")
identifiable = pytest.importorskip("labelbox.schema.identifiable")

ROWS = 5


def _project(sdk: SdkTarget) -> tuple[Any, list[str]]:
    seeded = sdk.seed({"projects": [{"name": "p"}], "datasets": [{"name": "d", "data_rows": [
        {"row_data": f"https://example.com/{i}.jpg", "global_key": f"k-{i}"} for i in range(ROWS)]}]})
    return sdk.client.get_project(seeded["projects"][0]["id"]), seeded["datasets"][0]["data_rows"]


def _priorities(project: Any) -> dict[str, int]:
    return {o.data_row().uid: o.priority for o in project.labeling_parameter_overrides()}


def test_overrides_through_the_sdk(sdk: SdkTarget) -> None:
    project, rows = _project(sdk)
    project.create_batch("a", rows[:3], priority=2)
    overrides = list(project.labeling_parameter_overrides())
    assert [(o.data_row().global_key, o.priority, o.number_of_labels) for o in overrides] == [
        ("k-0", 2, 1), ("k-1", 2, 1), ("k-2", 2, 1)]
    assert isinstance(overrides[0].data_row(), labelbox.DataRow)

    # the SDK drops a third item (the number of labels Labelbox no longer takes)
    assert project.set_labeling_parameter_overrides(
        [(identifiable.UniqueId(rows[0]), -5, 3), (identifiable.GlobalKey("k-1"), 2**31 - 1)]) is True
    assert _priorities(project) == {rows[0]: -5, rows[1]: 2**31 - 1, rows[2]: 2}

    assert project.update_data_row_labeling_priority(labelbox.GlobalKeys(["k-1", "k-2"]), 4) is True
    assert _priorities(project) == {rows[0]: -5, rows[1]: 4, rows[2]: 4}


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(picked=st.sets(st.integers(0, ROWS - 1), min_size=1), priority=st.integers(-(2**31), 2**31 - 1))
def test_a_bulk_update_sets_exactly_the_rows_named(sdk: SdkTarget, picked: set[int], priority: int) -> None:
    sdk.backend.reset()
    project, rows = _project(sdk)
    project.create_batch("a", rows, priority=3)
    assert project.update_data_row_labeling_priority(labelbox.UniqueIds([rows[i] for i in sorted(picked)]), priority)
    assert _priorities(project) == {row: priority if i in picked else 3 for i, row in enumerate(rows)}


@pytest.mark.sdk_reports_row_errors  # the failed task's
def test_refusals_reach_the_sdk_as_its_errors(sdk: SdkTarget) -> None:
    project, rows = _project(sdk)
    project.create_batch("a", rows[:2])
    with pytest.raises(lbox_exceptions.InvalidQueryError, match="not in the batches"):
        project.set_labeling_parameter_overrides([(identifiable.UniqueId(rows[4]), 1)])
    with pytest.raises(lbox_exceptions.InvalidQueryError, match="not in the batches"):
        project.update_data_row_labeling_priority(labelbox.GlobalKeys(["k-0", "no-such-key"]), 1)
    with pytest.raises(lbox_exceptions.InvalidQueryError):  # beyond 32 bits: the document does not validate
        project.set_labeling_parameter_overrides([(identifiable.UniqueId(rows[0]), 2**31)])
    sdk.backend.tasks.set_transition("queue-priority-update", Transition(outcome="FAILED", error="queue busy"))
    with pytest.raises(lbox_exceptions.LabelboxError, match="Priority was not updated successfully"):
        project.update_data_row_labeling_priority(labelbox.UniqueIds(rows[:2]), 1)
    assert _priorities(project) == {rows[0]: 5, rows[1]: 5}
