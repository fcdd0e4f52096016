"""The caller: their user and organisation, and what each relates to (projects, tasks, members)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import field

from . import documents as docs
from .comparison import Field, queryable
from .entity import Entity
from .exceptions import ResourceNotFoundError
from .fields import parse_datetime
from .pagination import PaginatedCollection

if TYPE_CHECKING:
    from .client import Client
    from .project import Project
    from .task import Task

T = TypeVar("T")


# The SDK declares User.name on the GraphQL `nickname` and User.nickname on `name`: an instance reads each
# under its own name, but `lb.User.name == "x"` filters on nickname. Kept, so a where sends what the SDK sends.
@queryable(uid="id", email="email", name="nickname", nickname="name", deleted="deleted")
class User(Entity):
    client: Client = field(repr=False)
    uid: Field[str]
    email: Field[str]
    name: Field[str]
    nickname: Field[str | None]
    created_at: datetime | None
    updated_at: datetime | None
    is_viewer: bool = False
    is_external_user: bool = False
    last_login_at: datetime | None = None  # None until the user logs in after Labelbox began recording it
    picture: str | None = None
    deleted: Field[bool] = field(default=False)  # a user read from the API is not deleted; the class attribute filters

    @classmethod
    def from_api(cls, client: Client, data: dict[str, Any]) -> User:
        return cls(
            client=client, uid=data["id"], email=data["email"], name=data["name"], nickname=data.get("nickname"),
            created_at=parse_datetime(data.get("createdAt")), updated_at=parse_datetime(data.get("updatedAt")),
            is_viewer=bool(data.get("isViewer")), is_external_user=bool(data.get("isExternalUser")),
            last_login_at=parse_datetime(data.get("lastLoginAt")), picture=data.get("picture"),
        )

    def organization(self) -> Organization:
        """The user's organisation (the SDK's `organization` relationship)."""
        data = self.client.execute(docs.GET_USER_ORGANIZATION, {"param_0": self.uid},
                                   raise_return_resource_not_found=True)
        return Organization.from_api(self.client, data["user"]["organization"])

    def created_tasks(self) -> PaginatedCollection[Task]:
        """The tasks the user started, oldest first, a page at a time."""
        return _tasks(self.client, docs.GET_USER_CREATED_TASKS, {"param_0": self.uid}, "user", "createdTasks")

    def projects(self, where: Any = None) -> PaginatedCollection[Project]:
        """The projects the user is a member of (deleted ones too, as the SDK does not filter them here), or
        those `where` selects (`lb.Project.name == "a"`)."""
        return self.client._projects_of(docs.GET_USER_PROJECTS, self.uid, "user", where, not_deleted=False)


@queryable(uid="id", name="name", deleted="deleted")
class Organization(Entity):
    client: Client = field(repr=False)
    uid: Field[str]
    name: Field[str]
    created_at: datetime | None
    updated_at: datetime | None
    deleted: Field[bool] = field(default=False)

    @classmethod
    def from_api(cls, client: Client, data: dict[str, Any]) -> Organization:
        return cls(client=client, uid=data["id"], name=data["name"], created_at=parse_datetime(data.get("createdAt")),
                   updated_at=parse_datetime(data.get("updatedAt")))

    def users(self) -> PaginatedCollection[User]:
        """The organisation's members, a page at a time."""
        def fetch(skip: int, first: int) -> list[Any]:
            data = self.client.execute(docs.GET_ORGANIZATION_USERS, {"param_0": self.uid, "skip": skip,
                                                                     "first": first},
                                       raise_return_resource_not_found=True)
            return data["organization"]["users"]  # type: ignore[no-any-return]

        return PaginatedCollection(fetch, lambda node: User.from_api(self.client, node))

    def projects(self, where: Any = None) -> PaginatedCollection[Project]:
        """The organisation's projects, deleted ones left out (as the SDK leaves them out), or those `where`
        selects (`lb.Project.name == "a"`)."""
        return self.client._projects_of(docs.GET_ORGANIZATION_PROJECTS, self.uid, "organization", where,
                                        not_deleted=True)

    def tasks(self) -> PaginatedCollection[Task]:
        """Every task of the organisation, oldest first, a page at a time; reading them is not a status read
        (as `Task.refresh` is)."""
        return _tasks(self.client, docs.GET_ORGANIZATION_TASKS, {"param_0": self.uid}, "organization", "tasks")


def related_user(client: Client, document: str, entity_id: str, root: str, key: str = "createdBy") -> User | None:
    """A `created_by` relationship as the SDK reads it: `<root>(where: {id}) {<key> {...}}`; None when
    Labelbox names no creator; ResourceNotFoundError when the entity itself is gone."""
    return _related(client, document, entity_id, root, key, User.from_api)


def related_organization(client: Client, document: str, entity_id: str, root: str) -> Organization:
    found = _related(client, document, entity_id, root, "organization", Organization.from_api)
    assert found is not None  # the API's organization of an entity is never null
    return found


def _related(client: Client, document: str, entity_id: str, root: str, key: str,
             build: Callable[[Client, dict[str, Any]], T]) -> T | None:
    data = client.execute(document, {"param_0": entity_id}, raise_return_resource_not_found=True)
    holder = (data or {}).get(root)
    if holder is None:
        raise ResourceNotFoundError(message=f"no {root} with id {entity_id!r}")
    value = holder.get(key)
    return None if value is None else build(client, value)



def _tasks(client: Client, document: str, variables: dict[str, Any], parent: str,
           key: str) -> PaginatedCollection[Task]:
    from .task import Task

    def fetch(skip: int, first: int) -> list[Any]:
        data = client.execute(document, {**variables, "skip": skip, "first": first},
                              raise_return_resource_not_found=True)
        return data[parent][key]  # type: ignore[no-any-return]

    return PaginatedCollection(fetch, lambda node: Task.from_api(client, node))

