"""The Client: sends GraphQL documents and maps answers to the exception hierarchy."""

from __future__ import annotations

import json
import logging
import mimetypes
import os
import re
import urllib.parse
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import requests

from . import documents as docs
from . import exceptions as exc
from .not_ported import members
from .operation import Operation, operation_of
from .pagination import CursorCollection, PaginatedCollection
from .polling import Poller
from .quality_mode import DEFAULT_QUALITY_MODES, QualityMode, project_quality
from .retry import RetryPolicy
from .transport import Transport

if TYPE_CHECKING:
    from .batch import Batch
    from .data_row import DataRow
    from .data_row_metadata import DataRowMetadataOntology
    from .dataset import Dataset
    from .feature_schema import DeleteFeatureFromOntologyResult, FeatureSchema
    from .identifiables import GlobalKeys, UniqueIds
    from .media_type import MediaType
    from .model import Model
    from .model_run import ModelRun
    from .ontology import Ontology, OntologyKind
    from .project import Project
    from .send_to_annotate import SendToAnnotateFromCatalogParams
    from .slice import ModelSlice
    from .task import Task
    from .user import Organization, User

logger = logging.getLogger(__name__)

DEFAULT_ENDPOINT = "https://api.labelbox.com/graphql"


class Client:
    """A synchronous Labelbox client for the model-run surface.

    `retry` bounds how hard a call tries (see retry.py, and docs/reliability.md for what is
    retried and why);
    `poller` supplies the clock and sleep every wait uses, so tests can replace them.
    """
    __getattr__ = members()  # an SDK member not ported names itself (docs/porting.md)

    def __init__(
        self,
        api_key: str | None = None,
        endpoint: str = DEFAULT_ENDPOINT,
        enable_experimental: bool = False,
        app_url: str = "https://app.labelbox.com",
        rest_endpoint: str = "https://api.labelbox.com/api/v1",
        *,
        retry: RetryPolicy | None = None,
        timeout: float = 60.0,
        poller: Poller | None = None,
        session: requests.Session | None = None,
    ) -> None:
        """`session`: a requests Session of your own (mount adapters on it for a proxy, a CA bundle or
        retries of your own); the client's key, headers, timeouts and retries still apply to every call,
        and `close()` leaves it open. Without one the client makes its own."""
        api_key = api_key if api_key is not None else os.environ.get("LABELBOX_API_KEY")
        if not api_key:
            raise exc.AuthenticationError("Labelbox API key not provided: pass api_key or set LABELBOX_API_KEY")
        self.endpoint = endpoint
        self.enable_experimental = enable_experimental
        self.app_url = app_url
        self.rest_endpoint = rest_endpoint
        self.retry = retry or RetryPolicy()
        self.poller = poller or Poller()
        self._transport = Transport(api_key, self.retry, timeout, session)
        self._user_id: str | None = None
        self._data_row_metadata_ontology: DataRowMetadataOntology | None = None
        self._cancelable_task_types: list[str] | None = None

    def __repr__(self) -> str:  # the key is deliberately absent
        return f"<Client endpoint={self.endpoint!r}>"

    @property
    def headers(self) -> Mapping[str, str]:
        """The headers every API call carries, read-only (they hold the API key: do not log them)."""
        return self._transport.headers

    @property
    def connection(self) -> requests.Session:
        """The requests Session API calls go through: the one passed as `session=`, else the client's own."""
        return self._transport.session

    def set_sdk_method(self, sdk_method: str) -> None:
        """Names the calls that follow in their X-SDK-Method header, as the SDK does (Labelbox's usage logs)."""
        self._transport.sdk_method = sdk_method

    def unset_sdk_method(self) -> None:
        self._transport.sdk_method = None

    def close(self) -> None:
        self._transport.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- execution ----------------------------------------------------------------
    def execute(
        self,
        query: str | None = None,
        params: Mapping[str, Any] | None = None,
        data: Any = None,
        files: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        experimental: bool = False,
        error_log_key: str = "message",
        raise_return_resource_not_found: bool = False,
        error_handlers: Mapping[str, Callable[[requests.Response], None]] | None = None,
        operation_name: str | None = None,
    ) -> Any:
        """Sends one document and answers its `data`; the SDK's arguments, in the SDK's order.

        `data` is the request body when `query` is None: the GraphQL JSON (str, bytes or a
        dict), or with `files` the multipart fields (`operations`, `map`). `timeout` overrides
        the client's for this call. As the Labelbox SDK does, a RESOURCE_NOT_FOUND answer gives
        None unless `raise_return_resource_not_found` is set; every other error raises, its
        message read from each error's `error_log_key`. `error_handlers` maps MALFORMED_REQUEST or
        INTERNAL_SERVER_ERROR to a function called with the response instead of raising (the
        call then answers None), as in the SDK. `operation_name` picks the operation to run from a
        document holding several.
        """
        url = self.endpoint.replace("/graphql", "/_gql") if experimental else self.endpoint
        if query is not None:
            body: dict[str, Any] = {"query": query, "variables": _wire_params(params)}
            if operation_name is not None:
                body["operationName"] = operation_name
            fields = _multipart_fields(body, files) if files else None
        elif data is None:
            raise ValueError("execute needs a query or a data body; both are None")
        elif files:
            fields, body = dict(data), _body_of(data)
        else:
            body, fields = _body_of(data), None
        document = str(body.get("query") or "")
        operation = operation_of(document, body.get("operationName"))
        # only a query is retried where it may have landed; a document we cannot read counts as a mutation
        idempotent = (operation is not None and operation.type == "query") or document in docs.IDEMPOTENT_MUTATIONS
        what = f"{_describe(operation)} at {url}"
        # transport failures (refused, dropped, timed out, retries spent) arrive as this library's exceptions
        if files:
            response = self._transport.post(url, idempotent=idempotent, data=fields, files=files, what=what,
                                            timeout=timeout)
        else:
            response = self._transport.post(url, idempotent=idempotent, json_body=body, what=what, timeout=timeout)
        return _read_response(response, raise_return_resource_not_found, what, idempotent, error_log_key,
                              error_handlers)

    def _get_one(self, query: str, params: Mapping[str, Any], key: str, kind: str) -> dict[str, Any]:
        try:
            data = self.execute(query, params, raise_return_resource_not_found=True)
        except exc.ResourceNotFoundError as error:
            raise exc.ResourceNotFoundError(kind, dict(params), message=error.message) from None
        if not data or data.get(key) is None:
            raise exc.ResourceNotFoundError(kind, dict(params))
        return data[key]  # type: ignore[no-any-return]

    def _project_imports(self, project_id: str, pre_labels: bool) -> PaginatedCollection[Any]:
        """A project's label imports, or its MAL prediction imports. Built here rather than in the project
        module: the import classes use that module, and labelbox_lite's modules keep no import cycle."""
        from .annotation_import import LabelImport, MALPredictionImport

        kind = MALPredictionImport if pre_labels else LabelImport
        document, key = ((docs.GET_MAL_PROJECT_IMPORTS, "modelAssistedLabelingPredictionImports") if pre_labels
                         else (docs.GET_LABEL_IMPORTS, "labelImports"))

        def fetch(skip: int, first: int) -> list[Any]:
            data = self.execute(document, {"projectId": project_id, "skip": skip, "first": first},
                                raise_return_resource_not_found=True)
            return data[key]  # type: ignore[no-any-return]

        return PaginatedCollection(fetch, lambda node: kind._from_node(self, node))

    def _require_experimental(self, what: str) -> None:
        if not self.enable_experimental:
            raise RuntimeError(
                f"{what} uses an experimental Labelbox API; create the Client with enable_experimental=True"
            )

    def download(self, url: str, timeout: float = 30.0) -> bytes:
        """GETs a signed file URL without the API key (signed URLs carry their own authorisation)."""
        response = self._transport.get(url, timeout=timeout)
        try:
            response.raise_for_status()
        except requests.exceptions.HTTPError as error:
            raise exc.LabelboxError(f"cannot download {url}: {_status_of(error)}", error) from error
        return response.content

    def iter_download(self, url: str, timeout: float = 30.0, piece_bytes: int = 64 * 1024) -> Iterator[bytes]:
        """Like `download`, but yields the body `piece_bytes` at a time, so a large file is never held whole."""
        try:
            with self._transport.get(url, timeout=timeout, stream=True) as response:
                response.raise_for_status()
                yield from response.iter_content(piece_bytes)
        except requests.exceptions.HTTPError as error:
            raise exc.LabelboxError(f"cannot download {url}: {_status_of(error)}", error) from error
        except requests.exceptions.RequestException as error:
            raise exc.NetworkError(error) from error

    # -- the caller -----------------------------------------------------------------
    def get_user(self) -> User:
        from .user import User

        user = User.from_api(self, self._get_one(docs.GET_USER, {}, "user", "User"))
        self._user_id = user.uid
        return user

    def get_organization(self) -> Organization:
        from .user import Organization

        return Organization.from_api(self, self._get_one(docs.GET_ORGANIZATION, {}, "organization", "Organization"))

    def get_users(self, where: Any = None) -> PaginatedCollection[User]:
        """The organisation's users, or those `where` selects (`lb.User.email == "a@b.c"`, `!=`, `&`, or a dict).
        As in the SDK, `lb.User.name` filters on the nickname and `lb.User.nickname` on the name."""
        from .comparison import where_input
        from .user import User

        clause = where_input(User, where)

        def fetch(skip: int, first: int) -> list[Any]:
            return self.execute(docs.GET_USERS, {"where": clause, "skip": skip, "first": first})["users"]  # type: ignore[no-any-return]

        return PaginatedCollection(fetch, lambda item: User.from_api(self, item))

    def _user(self, data: dict[str, Any]) -> User:
        """A User from its fields, for entities that read one through a relation (Project.created_by)."""
        from .user import User

        return User.from_api(self, data)

    def _organization(self, data: dict[str, Any]) -> Organization:
        from .user import Organization

        return Organization.from_api(self, data)

    def _projects_of(self, document: str, parent_id: str, parent: str, where: Any,
                     not_deleted: bool) -> PaginatedCollection[Project]:
        """A relation's projects (an organisation's, a user's, an ontology's), a page at a time; `document`
        selects `<parent>(where: {id: $param_0}){projects(...)}`. With `not_deleted`, deleted projects are
        left out, where the SDK's relationship leaves them out."""
        from .comparison import where_input
        from .project import Project

        clause = where_input(Project, where)
        if not_deleted:
            clause = {"AND": [{"deleted": False}, clause]} if clause else {"deleted": False}

        def fetch(skip: int, first: int) -> list[Any]:
            data = self.execute(document, {"param_0": parent_id, "where": clause, "skip": skip, "first": first},
                                raise_return_resource_not_found=True)
            return data[parent]["projects"]  # type: ignore[no-any-return]

        return PaginatedCollection(fetch, lambda item: Project.from_api(self, item))

    def _current_user_id(self) -> str:
        if self._user_id is None:
            self.get_user()
        assert self._user_id is not None
        return self._user_id

    # -- models ------------------------------------------------------------------------
    def create_model(self, name: str, ontology_id: str) -> Model:
        from .model import Model

        data = self.execute(docs.CREATE_MODEL, {"name": name, "ontologyId": ontology_id},
                            raise_return_resource_not_found=True)
        return Model.from_api(self, data["createModel"])

    def get_model(self, model_id: str) -> Model:
        from .model import Model

        return Model.from_api(self, self._get_one(docs.GET_MODEL, {"id": model_id}, "model", "Model"))

    def get_models(self, where: Any = None) -> PaginatedCollection[Model]:
        """Every model of the organisation, or those `where` selects: the SDK's clause
        (`lb.Model.name == "a"`, `!=`, joined with `&`) or a dict of field -> value."""
        from .comparison import where_input
        from .model import Model

        clause = where_input(Model, where)

        def fetch(skip: int, first: int) -> list[Any]:
            return self.execute(docs.GET_MODELS, {"where": clause, "skip": skip, "first": first})["models"]  # type: ignore[no-any-return]

        return PaginatedCollection(fetch, lambda item: Model.from_api(self, item))

    def get_model_run(self, model_run_id: str) -> ModelRun:
        from .model_run import ModelRun

        return ModelRun.from_api(self, self._get_one(docs.GET_MODEL_RUN, {"id": model_run_id}, "modelRun", "ModelRun"))

    # -- other entities the model-run surface touches ------------------------------------
    def get_project(self, project_id: str) -> Project:
        return self._project(self._get_one(docs.GET_PROJECT, {"id": project_id}, "project", "Project"))

    def _project(self, data: dict[str, Any]) -> Project:
        """A Project from its fields; entities that read a project through a relation (Label.project)
        build it here, since project.py already imports them (no import cycle between entities)."""
        from .project import Project

        return Project.from_api(self, data)

    def _data_row(self, data: dict[str, Any]) -> DataRow:
        """A DataRow from its fields, for Label.data_row(): data_row.py imports label.py, not the reverse."""
        from .data_row import DataRow

        return DataRow.from_api(self, data)

    def get_data_row(self, data_row_id: str) -> DataRow:
        from .data_row import DataRow

        return DataRow.from_api(self, self._get_one(docs.GET_DATA_ROW, {"id": data_row_id}, "dataRow", "DataRow"))

    def get_batch(self, project_id: str, batch_id: str) -> Batch:
        from .batch import Batch

        data = self.execute(docs.GET_PROJECT_BATCH, {"projectId": project_id, "batchId": batch_id},
                            raise_return_resource_not_found=True)
        nodes = data["project"]["batches"]["nodes"]
        if not nodes:
            raise exc.ResourceNotFoundError(Batch, {"project_id": project_id, "batch_id": batch_id})
        return Batch.from_api(self, project_id, nodes[0])

    def upload_data(self, content: bytes | str, filename: str | None = None, content_type: str | None = None,
                    sign: bool = False) -> str:
        """Uploads a file to Labelbox's storage; answers its URL (signed, so it works without the API key)."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        upload = (filename or "upload", data, content_type or "application/octet-stream")
        answer = self.execute(docs.UPLOAD_FILE, {"file": None, "contentLength": len(data), "sign": sign},
                              files={"file": upload})
        return answer["uploadFile"]["url"]  # type: ignore[no-any-return]

    def upload_file(self, path: str) -> str:
        """Uploads the local file at `path` (its type guessed from its name); answers its URL."""
        content_type, _ = mimetypes.guess_type(path)
        with open(path, "rb") as file:
            return self.upload_data(file.read(), filename=os.path.basename(path), content_type=content_type)

    def send_to_annotate_from_catalog(self, destination_project_id: str, task_queue_id: str | None,
                                      batch_name: str, data_rows: UniqueIds | GlobalKeys,
                                      params: SendToAnnotateFromCatalogParams | dict[str, Any]) -> Task:
        """Sends catalog data rows to a project as a batch, into the task queue `task_queue_id` (Done when
        None), with a source model run's predictions or a source project's labels as their labels (see
        SendToAnnotateFromCatalogParams). Answers the server's task."""
        from .send_to_annotate import build_catalog_input
        from .task import Task

        payload = build_catalog_input(destination_project_id, task_queue_id, batch_name, data_rows, params)
        data = self.execute(docs.SEND_TO_ANNOTATE_FROM_CATALOG, {"input": payload},
                            raise_return_resource_not_found=True)
        return Task.get_task(self, data["sendToAnnotateFromCatalog"]["taskId"])

    def run_foundry_app(self, model_run_name: str, data_rows: UniqueIds | GlobalKeys, app_id: str) -> Task:
        """Runs the Foundry app `app_id` over `data_rows` into a new model run named `model_run_name`; the
        task's `metadata["modelRunId"]` names the run."""
        from .foundry import FoundryClient

        return FoundryClient(self).run_app(model_run_name, data_rows, app_id)

    def get_model_slice(self, slice_id: str) -> ModelSlice:
        """The model slice `slice_id`; ResourceNotFoundError when there is none."""
        from .slice import get_model_slice

        return get_model_slice(self, slice_id)

    def get_task_by_id(self, task_id: str) -> Task:
        from .task import Task

        return Task.fetch(self, task_id)

    def cancel_task(self, task_id: str) -> bool:
        """Cancels the task `task_id` if its type is cancelable and it is in progress; True when cancelled.
        LabelboxError names why not (a type that cannot be cancelled, a task that is not running)."""
        from .task import TaskStatus

        task = self.get_task_by_id(task_id)
        cancelable = self._get_cancelable_task_types()
        if task.type not in cancelable:
            raise exc.LabelboxError(f"Task type '{task.type}' cannot be cancelled. Cancelable types are: {cancelable}")
        if task.status_as_enum != TaskStatus.In_Progress:
            raise exc.LabelboxError(
                f"Task cannot be cancelled because it is not in progress. Current status: {task.status}")
        return bool(self.execute(docs.CANCEL_TASK, {"id": task_id})["cancelBulkOperationJob"]["success"])

    def _get_cancelable_task_types(self) -> list[str]:
        """The task types cancel_task may cancel, read once per client: the API names them in PascalCase
        (ExportDataRows), Task.type in kebab-case (export-data-rows)."""
        if self._cancelable_task_types is None:
            names = self.execute(docs.GET_CANCELABLE_TASK_TYPES).get("cancelableTaskTypes") or []
            self._cancelable_task_types = [_kebab_case(name) for name in names]
        return self._cancelable_task_types

    # -- ontologies and projects ------------------------------------------------------------
    def create_ontology(self, name: str, normalized: dict[str, Any], media_type: MediaType | None = None,
                        ontology_kind: OntologyKind | None = None) -> Ontology:
        """An ontology from its normalized JSON (`OntologyBuilder(...).asdict()`), nested classifications included;
        `ontology_kind=OntologyKind.ModelEvaluation` makes a chat-evaluation one (media type Conversational)."""
        from .media_type import MediaType, media_type_error
        from .ontology import Ontology, editor_task_type

        if media_type is not None and not MediaType.is_supported(media_type):
            raise media_type_error(media_type)
        task_type, media_type = editor_task_type(ontology_kind, media_type)
        data = {"name": name, "normalized": json.dumps(normalized),
                "mediaType": media_type.value if media_type is not None else None}
        if task_type is not None:
            data["editorTaskType"] = task_type
        answer = self.execute(docs.CREATE_ONTOLOGY, {"data": data})
        return Ontology.from_api(self, answer["upsertOntology"])

    def create_ontology_from_feature_schemas(self, name: str, feature_schema_ids: Iterable[str],
                                             media_type: MediaType | None = None,
                                             ontology_kind: OntologyKind | None = None) -> Ontology:
        """An ontology placing existing root feature schemas (tools and classifications), in that order."""
        from . import feature_schema

        return feature_schema.create_ontology(self, name, feature_schema_ids, media_type, ontology_kind)

    # -- feature schemas -----------------------------------------------------------------------
    def create_feature_schema(self, normalized: dict[str, Any]) -> FeatureSchema:
        """A root feature schema from one tool or classification (`Tool(...).asdict()`)."""
        from . import feature_schema

        return feature_schema.create(self, normalized)

    def get_feature_schema(self, feature_schema_id: str) -> FeatureSchema:
        from . import feature_schema

        return feature_schema.get(self, feature_schema_id)

    def get_feature_schemas(self, name_contains: str | None) -> CursorCollection[FeatureSchema]:
        """Root feature schemas whose name contains `name_contains` (any case; None: all), a page at a time."""
        from . import feature_schema

        return feature_schema.search(self, name_contains)

    def upsert_feature_schema(self, feature_schema: dict[str, Any]) -> FeatureSchema:
        """Makes a feature schema, or replaces the definition of the one its `featureSchemaId` names
        (in every ontology placing it)."""
        from . import feature_schema as module

        return module.upsert(self, feature_schema)

    def update_feature_schema_title(self, feature_schema_id: str, title: str) -> FeatureSchema:
        from . import feature_schema

        return feature_schema.update_title(self, feature_schema_id, title)

    def insert_feature_schema_into_ontology(self, feature_schema_id: str, ontology_id: str, position: int) -> None:
        """Places a root feature schema at `position` among the ontology's tools (or classifications),
        moving it if it is there already."""
        from . import feature_schema

        feature_schema.insert_into_ontology(self, feature_schema_id, ontology_id, position)

    def delete_feature_schema_from_ontology(self, ontology_id: str,
                                            feature_schema_id: str) -> DeleteFeatureFromOntologyResult:
        """Removes a feature schema from an ontology; a top-level one labels use is archived instead."""
        from . import feature_schema

        return feature_schema.delete_from_ontology(self, ontology_id, feature_schema_id)

    def unarchive_feature_schema_node(self, ontology_id: str, root_feature_schema_id: str) -> None:
        from . import feature_schema

        feature_schema.unarchive(self, ontology_id, root_feature_schema_id)

    def is_feature_schema_archived(self, ontology_id: str, feature_schema_id: str) -> bool:
        from . import feature_schema

        return feature_schema.is_archived(self, ontology_id, feature_schema_id)

    def get_unused_ontologies(self, after: str | None = None) -> list[str]:
        """Up to 100 ids of ontologies no project or model uses, after the id `after`."""
        from . import feature_schema

        return feature_schema.unused(self, "ontologies", after)

    def get_unused_feature_schemas(self, after: str | None = None) -> list[str]:
        """Up to 100 ids of root feature schemas no ontology places, after the id `after`."""
        from . import feature_schema

        return feature_schema.unused(self, "feature-schemas", after)

    def rest(self, method: str, path: str, body: Any = None, idempotent: bool = True) -> requests.Response:
        """One call to a REST path under `rest_endpoint` with a JSON body, answered as it came;
        `idempotent=False` (a call that makes something) is retried only as a mutation is."""
        return self._transport.request(method, f"{self.rest_endpoint}/{path}", json_body=body, idempotent=idempotent)

    def get_ontology(self, ontology_id: str) -> Ontology:
        from .ontology import Ontology

        return Ontology.from_api(self, self._get_one(docs.GET_ONTOLOGY, {"param_0": ontology_id}, "ontology",
                                                     "Ontology"))

    def get_ontologies(self, name_contains: str) -> CursorCollection[Ontology]:
        """Ontologies whose name contains `name_contains` (any case), a page at a time."""
        from .ontology import Ontology

        def fetch(cursor: str | None) -> tuple[list[Any], str | None]:
            params = {"search": name_contains, "filter": {"status": "ALL"}, "from": cursor, "first": 100}
            page = self.execute(docs.GET_ONTOLOGIES, params)["ontologies"]
            return page["nodes"], page["nextCursor"]

        return CursorCollection(fetch, lambda node: Ontology.from_api(self, node))

    def delete_unused_ontology(self, ontology_id: str) -> None:
        """Deletes an ontology no project or model uses; refused (LabelboxError) otherwise."""
        self._rest_delete("ontologies", ontology_id, "ontology")

    def delete_unused_feature_schema(self, feature_schema_id: str) -> None:
        """Deletes a feature schema no ontology uses; refused (LabelboxError) otherwise."""
        self._rest_delete("feature-schemas", feature_schema_id, "feature schema")

    def _rest_delete(self, collection: str, key: str, what: str) -> None:
        url = f"{self.rest_endpoint}/{collection}/{urllib.parse.quote(key)}"
        response = self._transport.delete(url)
        if response.status_code != 204:
            try:
                message = response.json().get("message")
            except ValueError:
                message = None
            raise exc.LabelboxError(f"Failed to delete the {what}, message: "
                                    f"{message or f'HTTP {response.status_code}'}")

    def create_project(self, name: str, media_type: MediaType, description: str | None = None,
                       quality_modes: Collection[QualityMode] | None = DEFAULT_QUALITY_MODES,
                       is_benchmark_enabled: bool | None = None, is_consensus_enabled: bool | None = None) -> Project:
        """A new project with Labelbox's default workflow; connect an ontology to it with `connect_ontology`."""
        from .media_type import MediaType, media_type_error
        from .project import Project

        if not isinstance(media_type, MediaType) or not MediaType.is_supported(media_type):
            raise media_type_error(media_type)
        if not name or not name.strip():
            raise ValueError("project name must be a valid string")
        # quality modes decide the benchmark and consensus flags when given, as in the SDK
        params = {"name": name, "description": description, "allowedMediaType": media_type.value,
                  **project_quality(quality_modes, is_benchmark_enabled, is_consensus_enabled)}
        return Project.from_api(self, self.execute(docs.CREATE_PROJECT, params)["createProject"])

    def get_projects(self, where: Any = None) -> PaginatedCollection[Project]:
        """The organisation's projects, or those `where` selects (`lb.Project.name == "a"`, `!=`, `&`, or a dict);
        deleted projects are left out, as the SDK leaves them out."""
        from .comparison import where_input
        from .project import Project

        clause = where_input(Project, where)
        not_deleted = {"deleted": False}
        combined = {"AND": [not_deleted, clause]} if clause else not_deleted

        def fetch(skip: int, first: int) -> list[Any]:
            return self.execute(docs.GET_PROJECTS, {"where": combined, "skip": skip, "first": first})["projects"]  # type: ignore[no-any-return]

        return PaginatedCollection(fetch, lambda item: Project.from_api(self, item))

    # -- catalog: datasets and global keys (labelbox_lite/dataset.py) ------------------------------
    def create_dataset(self, iam_integration: Any = "DEFAULT", *, name: str, description: str | None = None,
                       **kwargs: Any) -> Dataset:
        """Creates an empty dataset. `iam_integration` (first, as in the SDK) may be left at the organisation's
        default or None: IAM integrations are not ported (docs/porting.md), so no dataset gets one."""
        from .dataset import create_dataset

        if iam_integration not in ("DEFAULT", None):
            raise ValueError("labelbox_lite does not port IAM integrations (labelbox.IAMIntegration is out of "
                             "scope, docs/porting.md 'Not ported'): leave iam_integration at its default or None")
        if kwargs:
            raise TypeError(f"create_dataset sets name and description; not {sorted(kwargs)}")
        return create_dataset(self, name, description)

    def get_dataset(self, dataset_id: str) -> Dataset:
        from .dataset import get_dataset

        return get_dataset(self, dataset_id)

    def _dataset(self, data: dict[str, Any]) -> Dataset:
        """A Dataset from its fields, for DataRow.dataset(): dataset.py imports data_row.py, not the reverse."""
        from .dataset import Dataset

        return Dataset.from_api(self, data)

    def get_datasets(self, where: Any = None) -> PaginatedCollection[Dataset]:
        """The organisation's datasets, or those `where` selects (`lb.Dataset.name == "a"`, `!=`, `&`, or a dict)."""
        from .dataset import get_datasets

        return get_datasets(self, where)

    def get_data_row_metadata_ontology(self) -> DataRowMetadataOntology:
        """The organisation's metadata schemas, read once per client as the SDK reads them
        (its create/update/delete methods re-read it)."""
        from .data_row_metadata import DataRowMetadataOntology

        if self._data_row_metadata_ontology is None:
            self._data_row_metadata_ontology = DataRowMetadataOntology(self)
        return self._data_row_metadata_ontology

    def get_data_row_by_global_key(self, global_key: str) -> DataRow:
        from .dataset import get_data_row_by_global_key

        return get_data_row_by_global_key(self, global_key)

    def get_data_row_ids_for_global_keys(self, global_keys: list[str], timeout_seconds: float = 60) -> dict[str, Any]:
        from .dataset import get_data_row_ids_for_global_keys

        return get_data_row_ids_for_global_keys(self, global_keys, timeout_seconds)

    def get_data_row_ids_for_external_ids(self, external_ids: list[str]) -> dict[str, list[str]]:
        """External id -> the ids of the rows that have it (an external id need not be unique); ids nothing has
        are left out."""
        from .dataset import get_data_row_ids_for_external_ids

        return get_data_row_ids_for_external_ids(self, external_ids)

    def assign_global_keys_to_data_rows(self, global_key_to_data_row_inputs: list[dict[str, str]],
                                        timeout_seconds: float = 60) -> dict[str, Any]:
        """Gives rows global keys, from `{"data_row_id", "global_key"}` dicts: {"status", "results", "errors"}."""
        from .dataset import assign_global_keys_to_data_rows

        return assign_global_keys_to_data_rows(self, global_key_to_data_row_inputs, timeout_seconds)

    def clear_global_keys(self, global_keys: list[str], timeout_seconds: float = 60) -> dict[str, Any]:
        """Takes the keys off the rows that hold them: {"status", "results" (keys cleared), "errors"}."""
        from .dataset import clear_global_keys

        return clear_global_keys(self, global_keys, timeout_seconds)


def _kebab_case(name: str) -> str:
    """ExportDataRows -> export-data-rows, as the SDK turns the API's task type names into Task.type's."""
    return "-".join(part.lower() for part in re.findall(r"[A-Z][a-z0-9]*|[a-z][a-z0-9]*", name))


def _describe(operation: Operation | None) -> str:
    """The operation, for error messages."""
    if operation is None:
        return "an operation that could not be read (sent as a mutation)"
    return operation.name or f"an anonymous {operation.type}"


def _wire_params(params: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Variables as the SDK sends them: datetimes as UTC strings."""
    if params is None:
        return None
    return {key: value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if isinstance(value, datetime)
            else value for key, value in params.items()}


def _body_of(data: Any) -> dict[str, Any]:
    """A raw `data` body as the GraphQL request it holds (multipart fields carry it in `operations`)."""
    if isinstance(data, Mapping):
        operations = data.get("operations")
        body = json.loads(operations) if operations is not None else data
    elif isinstance(data, (str, bytes, bytearray)):
        body = json.loads(data)
    else:
        raise TypeError(f"execute's data is a JSON body (str, bytes or dict); got {type(data).__name__}")
    if not isinstance(body, dict):
        raise TypeError(f"execute's data holds {type(body).__name__}, not a GraphQL request object")
    return body


def _multipart_fields(body: dict[str, Any], files: Mapping[str, Any]) -> dict[str, str]:
    """The GraphQL multipart request spec: operations, then a map from file part to variable."""
    mapping = {name: [f"variables.{name}"] for name in files}
    return {"operations": json.dumps(body), "map": json.dumps(mapping)}


def _first_error(errors: list[dict[str, Any]], code: str) -> dict[str, Any] | None:
    for error in errors:
        if isinstance(error, dict) and (error.get("extensions") or {}).get("code") == code:
            return error
    return None


def _payload(response: requests.Response, what: str, idempotent: bool) -> dict[str, Any]:
    """The response's JSON object; a server error, or a body that is not one, raises."""
    status = response.status_code
    if 500 <= status < 600:
        why = "" if idempotent else " (a mutation is not retried on a server error: it may have taken effect)"
        raise exc.InternalServerError(f"{what}: Labelbox answered HTTP {status}{why}")
    try:
        payload = response.json()
    except ValueError:
        raise exc.LabelboxError(
            f"Labelbox answered HTTP {status} with a body that is not JSON: {response.text[:200]!r}"
        ) from None
    if not isinstance(payload, dict):
        raise exc.LabelboxError(f"Labelbox answered HTTP {status} with unexpected JSON: {str(payload)[:200]}")
    return payload


def _read_response(response: requests.Response, raise_not_found: bool, what: str = "the request",
                   idempotent: bool = True, error_log_key: str = "message",
                   error_handlers: Mapping[str, Callable[[requests.Response], None]] | None = None) -> Any:
    status = response.status_code
    payload = _payload(response, what, idempotent)
    errors = payload.get("errors") or []

    def message_of(error: dict[str, Any]) -> str:
        return str(error.get(error_log_key, error.get("message", "no message")))

    if _first_error(errors, "AUTHENTICATION_ERROR") or status == 401:
        raise exc.AuthenticationError("Invalid API key: Labelbox refused it")
    if (error := _first_error(errors, "AUTHORIZATION_ERROR")) is not None:
        raise exc.AuthorizationError(message_of(error))
    if (error := _first_error(errors, "GRAPHQL_VALIDATION_FAILED")) is not None:
        if message_of(error) == "Query complexity limit exceeded":
            raise exc.ValidationFailedError(message_of(error))
        raise exc.InvalidQueryError(message_of(error))
    if (error := _first_error(errors, "GRAPHQL_PARSE_FAILED")) is not None:
        raise exc.InvalidQueryError(message_of(error))
    if status == 429 or str(payload.get("message", "")).startswith("You have exceeded"):
        raise exc.ApiLimitError(str(payload.get("message") or "rate limit exceeded (HTTP 429)"))
    if (error := _first_error(errors, "RESOURCE_NOT_FOUND")) is not None:
        if raise_not_found:
            raise exc.ResourceNotFoundError(message=message_of(error))
        return None
    if (error := _first_error(errors, "RESOURCE_CONFLICT")) is not None:
        raise exc.ResourceConflict(message_of(error))
    if (error := _first_error(errors, "MALFORMED_REQUEST")) is not None:
        if error_handlers and "MALFORMED_REQUEST" in error_handlers:
            error_handlers["MALFORMED_REQUEST"](response)
            return None
        raise exc.MalformedQueryException(message_of(error))
    if (error := _first_error(errors, "INTERNAL_SERVER_ERROR")) is not None:
        if error_handlers and "INTERNAL_SERVER_ERROR" in error_handlers:
            error_handlers["INTERNAL_SERVER_ERROR"](response)
            return None
        code = ((error.get("extensions") or {}).get("exception") or {}).get("status", 500)
        raise {
            400: exc.InvalidQueryError,
            422: exc.UnprocessableEntityError,
            426: exc.OperationNotAllowedException,
            500: exc.LabelboxError,
        }.get(code, exc.InternalServerError)(message_of(error))
    if (error := _first_error(errors, "OPERATION_NOT_ALLOWED")) is not None:
        raise exc.OperationNotAllowedException(message_of(error))
    if errors:
        raise exc.LabelboxError(f"Unknown error: {[message_of(e) for e in errors]}")
    if status != 200:
        raise exc.LabelboxError(f"Labelbox answered HTTP {status}", None)
    if "data" not in payload:
        raise exc.LabelboxError("Labelbox answered without data or errors")
    return payload["data"]


def _status_of(error: requests.exceptions.HTTPError) -> str:
    """`HTTP <status>` of a raise_for_status error (which always carries its response)."""
    return f"HTTP {error.response.status_code}" if error.response is not None else "HTTP error"
