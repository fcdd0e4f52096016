"""The caller's user and organisation, data rows, projects and the metadata ontology."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from ...state.errors import InvalidInput, NotFound
from . import shapes
from .common import ctx, listing, page


def resolve_user(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any] | None = None) -> dict[str, Any]:
    org = ctx(info).org
    if where and where.get("id") != org.user.id:
        raise NotFound("User", where.get("id", ""))
    return shapes.member(org)


def resolve_organization(_root: Any, info: GraphQLResolveInfo,
                         where: dict[str, Any] | None = None) -> dict[str, Any]:
    org = ctx(info).org
    if where and where.get("id") != org.id:  # the SDK's relationships name the organisation by id
        raise NotFound("Organization", where.get("id", ""))
    return shapes.organization(org)


def resolve_users(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any] | None = None,
                  skip: int | None = None, first: int | None = None) -> list[dict[str, Any]]:
    org = ctx(info).org
    return listing([org.user], lambda _user: shapes.member(org), where, skip, first)


def member_projects(_parent: Any, info: GraphQLResolveInfo, where: dict[str, Any] | None = None,
                    skip: int | None = None, first: int | None = None) -> list[dict[str, Any]]:
    """Organization.projects and User.projects: the key's user is the organisation's one member, in every project."""
    org = ctx(info).org
    return listing(org.projects.ordered(), lambda p: shapes.project(org, p), where, skip, first)


def resolve_data_row(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any]) -> dict[str, Any]:
    org = ctx(info).org
    if where.get("id") is not None:
        return shapes.data_row(org, org.data_row(where["id"]))
    if where.get("globalKey") is not None:
        return shapes.data_row(org, org.data_row_by_global_key(where["globalKey"]))
    raise InvalidInput("dataRow needs where.id or where.globalKey")


def resolve_project(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any]) -> dict[str, Any]:
    org = ctx(info).org
    return shapes.project(org, org.project(where["id"]))


def resolve_projects(
    _root: Any, info: GraphQLResolveInfo, where: dict[str, Any] | None = None, skip: int | None = None,
    first: int | None = None,
) -> list[dict[str, Any]]:
    org = ctx(info).org
    return listing(org.projects.ordered(), lambda p: shapes.project(org, p), where, skip, first)


RESOLVERS = {
    "Query": {
        "user": resolve_user,
        "organization": resolve_organization,
        "users": resolve_users,
        "dataRow": resolve_data_row,
        "project": resolve_project,
        "projects": resolve_projects,
    },
    # the request's organisation is the only one its key sees, so these need no lookup by parent id
    "Organization": {"users": lambda _parent, info, skip=None, first=None: page([shapes.member(ctx(info).org)],
                                                                               skip, first),
                     "projects": member_projects},
    "User": {"organization": lambda _parent, info: shapes.organization(ctx(info).org), "projects": member_projects},
}
