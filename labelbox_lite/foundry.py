"""Foundry apps (a Foundry model with inference settings and a target ontology) and their runs over data
rows, which predict into a new model run."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from attrs import asdict, define, field

from . import documents as docs
from .exceptions import InvalidQueryError, LabelboxError, ResourceNotFoundError
from .identifiables import GlobalKeys, UniqueIds

if TYPE_CHECKING:
    from .client import Client
    from .task import Task


@define
class App:
    """A Foundry app as the SDK's `App` holds it (snake_case fields; `id` and `created_by` come from the server)."""

    model_id: str
    name: str
    inference_params: dict[str, Any]
    class_to_schema_id: dict[str, str]
    ontology_id: str
    id: str | None = None
    description: str | None = None
    created_by: str | None = None

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> App:
        return cls(model_id=data["modelId"], name=data["name"], inference_params=data["inferenceParams"],
                   class_to_schema_id=data["classToSchemaId"], ontology_id=data["ontologyId"], id=data["id"],
                   description=data.get("description"), created_by=data.get("createdBy"))

    def model_dump(self, exclude: set[str] | None = None) -> dict[str, Any]:
        """The fields by name, as the SDK's pydantic model dumps them."""
        return {key: value for key, value in asdict(self).items() if key not in (exclude or set())}


@define
class FoundryClient:
    """The SDK's FoundryClient: apps by id, and running one over data rows."""

    client: Client = field(repr=False)

    def _create_app(self, app: App) -> App:
        variables = {"name": app.name, "modelId": app.model_id, "ontologyId": app.ontology_id,
                     "description": app.description, "inferenceParams": app.inference_params,
                     "classToSchemaId": app.class_to_schema_id}
        try:
            data = self.client.execute(docs.CREATE_FOUNDRY_APP, variables, raise_return_resource_not_found=True)
        except LabelboxError as error:
            raise LabelboxError("Unable to create app", error) from error
        return App.from_api(data["createModelFoundryApp"])

    def _get_app(self, id: str) -> App:  # noqa: A002 - the SDK's parameter name
        """The app `id`; ResourceNotFoundError when there is none (Labelbox's app service answers a missing
        app with a plain error saying so)."""
        try:
            data = self.client.execute(docs.GET_FOUNDRY_APP, {"id": id})
        except InvalidQueryError as error:
            raise ResourceNotFoundError(App, {"id": id}) from error
        except LabelboxError as error:
            if "not found" in str(error).lower():
                raise ResourceNotFoundError(App, {"id": id}) from error
            raise LabelboxError(f"Unable to get app with id {id}", error) from error
        if data is None or data.get("findModelFoundryApp") is None:
            raise ResourceNotFoundError(App, {"id": id})
        return App.from_api(data["findModelFoundryApp"])

    def _delete_app(self, id: str) -> None:  # noqa: A002 - the SDK's parameter name
        try:
            self.client.execute(docs.DELETE_FOUNDRY_APP, {"id": id}, raise_return_resource_not_found=True)
        except LabelboxError as error:
            raise LabelboxError(f"Unable to delete app with id {id}", error) from error

    def run_app(self, model_run_name: str, data_rows: UniqueIds | GlobalKeys, app_id: str) -> Task:
        """Starts the app over `data_rows`; answers the task, whose `metadata["modelRunId"]` names the model
        run the predictions go to (it exists at once)."""
        from .task import Task

        if not isinstance(data_rows, (UniqueIds, GlobalKeys)):
            raise ValueError(f"data_rows must be DataRowIds or GlobalKeys, got {type(data_rows).__name__}")
        app = self._get_app(app_id)
        key = "globalKeys" if isinstance(data_rows, GlobalKeys) else "dataRowIds"
        payload = {"modelId": app.model_id, "name": model_run_name, "classToSchemaId": app.class_to_schema_id,
                   "inferenceParams": app.inference_params, "ontologyId": app.ontology_id,
                   "modelAppId": app.id or "", key: list(data_rows)}
        try:
            data = self.client.execute(docs.CREATE_MODEL_JOB, {"input": payload}, raise_return_resource_not_found=True)
        except LabelboxError as error:
            raise LabelboxError("Unable to run foundry app", error) from error
        return Task.get_task(self.client, data["createModelJobForDataRows"]["taskId"])
