"""Models: an ontology's predictions live in a model's runs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from attrs import field

from . import documents as docs
from .comparison import Field, queryable
from .entity import Entity
from .pagination import PaginatedCollection

if TYPE_CHECKING:
    from .client import Client
    from .model_run import ModelRun


# `lb.Model.name == "a"` builds a where clause, as in the SDK
@queryable(uid="id", name="name", ontology_id="ontologyId", deleted="deleted")
class Model(Entity):
    client: Client = field(repr=False)
    uid: Field[str]
    name: Field[str]
    ontology_id: Field[str]
    # False as read (Labelbox lists no deleted model), True once deleted through this object
    deleted: Field[bool] = field(default=False, kw_only=True)

    @classmethod
    def from_api(cls, client: Client, data: dict[str, Any]) -> Model:
        return cls(client=client, uid=data["id"], name=data["name"], ontology_id=data["ontologyId"])

    def create_model_run(self, name: str, config: dict[str, Any] | None = None) -> ModelRun:
        """A new run of this model; `config` becomes its training metadata."""
        from .model_run import ModelRun, check_config

        if config is not None:
            check_config(config)
        data = self.client.execute(
            docs.CREATE_MODEL_RUN, {"name": name, "config": config, "modelId": self.uid},
            raise_return_resource_not_found=True,
        )
        return ModelRun.from_api(self.client, data["createModelRun"])

    def model_runs(self) -> PaginatedCollection[ModelRun]:
        from .model_run import ModelRun

        def fetch(skip: int, first: int) -> list[Any]:
            data = self.client.execute(docs.GET_MODEL_RUNS, {"id": self.uid, "skip": skip, "first": first},
                                       raise_return_resource_not_found=True)
            return data["model"]["modelRuns"]  # type: ignore[no-any-return]

        return PaginatedCollection(fetch, lambda item: ModelRun.from_api(self.client, item))

    def delete(self) -> None:
        """Deletes the model and its runs."""
        self.client.execute(docs.DELETE_MODEL, {"ids": self.uid}, raise_return_resource_not_found=True)
        self.deleted = True
