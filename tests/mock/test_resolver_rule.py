"""The resolver rule's visible edges: one page-size bound for every cursor page, and reads that leave dumps clean."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite.exceptions import LabelboxError
from mockserver import MockLabelbox
from mockserver.api.resolvers.common import MAX_PAGE, page_size
from mockserver.state.errors import InvalidInput

from ..support import World

GROUPS = ("query Groups($id: ID!, $first: Int) {annotationGroups(where: {modelRunId: {id: $id}}, first: $first)"
          "{nodes{id} pageInfo{endCursor}}}")
BATCHES = "query Batches($id: ID!, $first: PageSize) {project(where: {id: $id}) {batches(first: $first) {nodes{id}}}}"


@given(first=st.one_of(st.none(), st.integers(-5, MAX_PAGE + 5), st.booleans(), st.text(max_size=3)))
def test_page_size_takes_1_to_max_page_and_refuses_the_rest(first: Any) -> None:
    fits = first is None or (type(first) is int and 1 <= first <= MAX_PAGE)
    if fits:
        assert page_size(first) == (100 if first is None else first)
    else:
        with pytest.raises(InvalidInput, match=f"first must be an integer from 1 to {MAX_PAGE}"):
            page_size(first)


@pytest.mark.parametrize("first", [0, MAX_PAGE + 1])
def test_every_cursor_page_refuses_the_same_sizes(client: lb.Client, world: World, first: int) -> None:
    run = client.get_model(world.model_id).create_model_run("run")
    for query, variables in ((GROUPS, {"id": run.uid}), (BATCHES, {"id": world.project_id})):
        with pytest.raises(LabelboxError, match=f"first must be an integer from 1 to {MAX_PAGE}"):
            client.execute(query, {**variables, "first": first})


def test_paging_a_run_leaves_its_index_out_of_the_dump(mock: MockLabelbox, client: lb.Client, world: World) -> None:
    run = client.get_model(world.model_id).create_model_run("run")
    run.upsert_data_rows(data_row_ids=world.data_row_ids[:3])
    page = client.execute(GROUPS, {"id": run.uid, "first": 2})["annotationGroups"]
    assert len(page["nodes"]) == 2 and page["pageInfo"]["endCursor"]
    (org,) = mock.state()["organizations"]
    assert "run_row_order" not in org
    assert set(org["model_runs"][run.uid]) >= {"rows", "rows_version"}
    assert all("effect" not in task for task in org["tasks"].values())
