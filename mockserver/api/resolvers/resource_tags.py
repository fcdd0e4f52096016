"""Resource tags: the organisation's, and the ones a project wears."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from ...state import resource_tags as ops
from ...state.records import ResourceTag
from .common import ctx


def tag(record: ResourceTag) -> dict[str, Any]:
    return {"id": record.id, "text": record.text, "color": record.color}


def create_tag(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:  # noqa: A002
    c = ctx(info)
    return tag(ops.create_tag(c.org, c.ids, c.clock, input["text"], input["color"]))


def delete_tag(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:  # noqa: A002
    return tag(ops.delete_tag(ctx(info).org, input["id"]))


def update_project_tags(parent: dict[str, Any], info: GraphQLResolveInfo,
                        input: dict[str, Any]) -> list[dict[str, Any]]:  # noqa: A002
    c = ctx(info)
    project = ops.set_project_tags(c.org, c.clock, parent["id"], input.get("resourceTagIds"))
    return [tag(record) for record in ops.project_tags(c.org, project)]


def project_tags(parent: dict[str, Any], info: GraphQLResolveInfo) -> list[dict[str, Any]]:
    org = ctx(info).org
    return [tag(record) for record in ops.project_tags(org, org.project(parent["id"]))]


def organization_tags(_parent: dict[str, Any], info: GraphQLResolveInfo) -> list[dict[str, Any]]:
    return [tag(record) for record in ctx(info).org.resource_tags.values()]


RESOLVERS = {
    "Mutation": {"createResourceTag": create_tag, "deleteResourceTag": delete_tag},
    "ProjectMutations": {"updateProjectResourceTags": update_project_tags},
    "Project": {"resourceTags": project_tags},
    "Organization": {"resourceTag": organization_tags},
}
