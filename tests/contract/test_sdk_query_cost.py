"""The query cost limit (mockserver/api/limits.py) leaves room for what the real SDK reads."""

from __future__ import annotations

from graphql import parse

from mockserver.api import limits
from mockserver.backend import shared_graphql_service

from .conftest import labelbox  # noqa: F401 - skips this module without the SDK


def test_the_sdks_largest_read_is_within_the_limit() -> None:
    """Dataset.data_rows() at the SDK's fixed page size of 500 (labelbox/schema/dataset.py), the largest
    estimate in the contract suite, is well within MAX_COST."""
    from labelbox.orm import query
    from labelbox.orm.db_object import Entity

    sdk_query = ("query DatasetDataRowsPyApi($id: ID!, $from: ID, $first: Int, $where: DatasetDataRowWhereInput) "
                 "{ datasetDataRows(id: $id, from: $from, first: $first, where: $where) { nodes { "
                 + query.results_query_part(Entity.DataRow) + " } pageInfo { hasNextPage startCursor } } }")
    costs = limits.measure(shared_graphql_service().schema, parse(sdk_query))
    assert costs is not None
    assert 20_000 < costs.estimate(None, {"id": "d", "first": 500}) < limits.MAX_COST
