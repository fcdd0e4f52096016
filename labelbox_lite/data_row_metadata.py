"""The organisation's data-row metadata ontology: Labelbox's reserved schemas and its own, and the
metadata values on data rows.

`client.get_data_row_metadata_ontology()` reads it; `create_schema`, `update_schema`,
`update_enum_option` and `delete_schema` change the custom schemas (the SDK's names and
checks), and re-read the ontology after each change, as the SDK does. `bulk_upsert`,
`bulk_export` and `bulk_delete` write, read and delete rows' values in batches of 50, and
`parse_metadata` reads values as `DataRowMetadataField`s (an enum as its option's id and name).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define, field

from . import documents as docs
from .data_row_upload import MetadataOntology
from .identifiables import GlobalKey, Identifiables, UniqueId, UniqueIds
from .not_ported import members

if TYPE_CHECKING:
    from .client import Client

NAME_LIMIT = 100  # characters, after stripping
BATCH_SIZE = 50  # rows per request of the bulk operations, as the SDK sends them
T = TypeVar("T")
R = TypeVar("R")


class DataRowMetadataKind(Enum):
    number = "CustomMetadataNumber"
    datetime = "CustomMetadataDateTime"
    enum = "CustomMetadataEnum"
    string = "CustomMetadataString"
    option = "CustomMetadataEnumOption"
    embedding = "CustomMetadataEmbedding"


@define(frozen=True)
class DataRowMetadataSchema:
    uid: str
    name: str
    reserved: bool
    kind: DataRowMetadataKind
    options: list[DataRowMetadataSchema] | None = field(default=None, hash=False)
    parent: str | None = None

    @classmethod
    def from_api(cls, data: dict[str, Any], reserved: bool | None = None) -> DataRowMetadataSchema:
        is_reserved = bool(data.get("reserved")) if reserved is None else reserved
        options = [cls(uid=o["id"], name=o["name"], reserved=is_reserved, kind=DataRowMetadataKind(o["kind"]),
                       parent=data["id"]) for o in data.get("options") or []]
        return cls(uid=data["id"], name=data["name"], reserved=is_reserved, kind=DataRowMetadataKind(data["kind"]),
                   options=options or None)


@define(kw_only=True)
class DataRowMetadataField:
    """One metadata value: its schema by `schema_id` or by `name`, and its value (an enum's: the option's
    id, or its name)."""

    schema_id: str | None = None
    name: str | None = None
    value: Any = None


@define(kw_only=True)
class DataRowMetadata:
    """A data row's metadata values; the row by `data_row_id` or `global_key`."""

    fields: list[DataRowMetadataField]
    global_key: str | None = None
    data_row_id: str | None = None


def _row_given(value: object) -> None:
    if value is None:
        raise ValueError("DeleteDataRowMetadata needs data_row_id: a data row id, a UniqueId or a GlobalKey")


@define(kw_only=True)
class DeleteDataRowMetadata:
    """The schemas whose values to delete from one row (a str is a data row id)."""

    # optional in the SDK's signature, so a call spelled for it is taken; without it there is no row to delete from
    data_row_id: str | UniqueId | GlobalKey | None = field(default=None, validator=lambda _i, _a, v: _row_given(v))
    fields: list[str]


@define(kw_only=True)
class DataRowMetadataBatchResponse:
    """A row a bulk operation could not (wholly) apply, with why."""

    fields: list[Any]
    global_key: str | None = None
    data_row_id: str | None = None
    error: str | None = None


def _name(value: object) -> str:
    name = str(value).strip()
    if not 1 <= len(name) <= NAME_LIMIT:
        raise ValueError(f"a metadata schema name is 1 to {NAME_LIMIT} characters, got {value!r}")
    return name


class DataRowMetadataOntology:
    """The schemas, indexed as the SDK indexes them: by id, and by name (an enum by name answers
    its options by name)."""
    __getattr__ = members()  # an SDK member not ported names itself (docs/porting.md)

    def __init__(self, client: Client) -> None:
        self._client = client
        self.refresh_ontology()

    def refresh_ontology(self) -> None:
        raw = self._client.execute(docs.GET_METADATA_ONTOLOGY)["customMetadataOntology"]
        self._raw: list[dict[str, Any]] = raw
        self.fields = [DataRowMetadataSchema.from_api(schema) for schema in raw]
        self.fields_by_id = _by_id(self.fields)
        self.reserved_fields = [f for f in self.fields if f.reserved]
        self.reserved_by_id = _by_id(self.reserved_fields)
        self.reserved_by_name = _by_name(self.reserved_fields)
        self.reserved_by_name_normalized = {f.name: f for f in self.reserved_fields}
        self.custom_fields = [f for f in self.fields if not f.reserved]
        self.custom_by_id = _by_id(self.custom_fields)
        self.custom_by_name = _by_name(self.custom_fields)
        self.custom_by_name_normalized = {f.name: f for f in self.custom_fields}

    def get_by_name(self, name: str) -> DataRowMetadataSchema | dict[str, DataRowMetadataSchema]:
        """A schema by name, reserved names first; an enum answers {option name: option schema}."""
        for index in (self.reserved_by_name, self.custom_by_name):
            if name in index:
                return index[name]
        raise KeyError(f"There is no metadata with name '{name}'")

    def create_schema(self, name: str, kind: DataRowMetadataKind,
                      options: list[str] | None = None) -> DataRowMetadataSchema:
        """A new custom schema: string, number, datetime, or an enum with `options`."""
        if not isinstance(kind, DataRowMetadataKind):
            raise ValueError(f"kind '{kind}' must be a `DataRowMetadataKind`")
        data: dict[str, Any] = {"name": _name(name), "kind": kind.value}
        if options:
            if kind is not DataRowMetadataKind.enum:
                raise ValueError(f"Kind '{kind}' must be an Enum, if Enum options are provided")
            data["options"] = [{"name": _name(o), "kind": DataRowMetadataKind.option.value} for o in options]
        return self._upsert(data)

    def update_schema(self, name: str, new_name: str) -> DataRowMetadataSchema:
        """Renames the custom schema `name`."""
        schema = self._custom(name)
        return self._upsert({"id": schema.uid, "name": _name(new_name), "kind": schema.kind.value,
                             **_options_input(schema, {})})

    def update_enum_option(self, name: str, option: str, new_option: str) -> DataRowMetadataSchema:
        """Renames option `option` of the custom enum `name`."""
        schema = self._custom(name)
        if schema.kind is not DataRowMetadataKind.enum:
            raise ValueError("Updating Enum option is only supported for Enum metadata schema")
        valid = [o.name for o in schema.options or []]
        if option not in valid:
            raise ValueError(f"Enum option '{option}' is not a valid option for Enum '{name}', "
                             f"valid options are: {valid}")
        return self._upsert({"id": schema.uid, "name": schema.name, "kind": schema.kind.value,
                             **_options_input(schema, {option: _name(new_option)})})

    def delete_schema(self, name: str) -> bool:
        """Deletes the custom schema `name`; Labelbox takes its values off every data row."""
        schema = self._custom(name)
        answer = self._client.execute(docs.DELETE_METADATA_SCHEMA, {"where": {"id": schema.uid}},
                                      raise_return_resource_not_found=True)
        self.refresh_ontology()
        return bool(answer["deleteCustomMetadataSchema"]["success"])

    # -- values on data rows --------------------------------------------------------------------
    def bulk_upsert(self, metadata: Sequence[DataRowMetadata]) -> list[DataRowMetadataBatchResponse]:
        """Upserts each row's values (a schema given replaces its value; the others stay). Answers the rows
        refused; empty when every row took its values."""
        if not metadata:
            raise ValueError("Empty list passed")
        items = [{"dataRowId": m.data_row_id, "globalKey": m.global_key,
                  "fields": self._upsert_fields(m.fields)} for m in metadata]

        def send(batch: list[dict[str, Any]]) -> list[DataRowMetadataBatchResponse]:
            answer = self._client.execute(docs.UPSERT_DATA_ROW_METADATA, {"metadata": batch})
            return [DataRowMetadataBatchResponse(global_key=r["globalKey"], data_row_id=r["dataRowId"],
                                                 error=r["error"], fields=self.parse_metadata_fields(r["fields"]))
                    for r in answer["upsertDataRowCustomMetadata"]]

        return _in_batches(send, items)

    def bulk_export(self, data_row_ids: Sequence[str] | Identifiables) -> list[DataRowMetadata]:
        """Every value of each row (by id, or by global key through `GlobalKeys`), one entry per row asked."""
        if not len(data_row_ids):
            raise ValueError("Empty list passed")
        ids = data_row_ids if isinstance(data_row_ids, Identifiables) else UniqueIds(data_row_ids)

        def send(batch: list[str]) -> list[DataRowMetadata]:
            answer = self._client.execute(docs.EXPORT_DATA_ROW_METADATA,
                                          {"dataRowIdentifiers": {"ids": batch, "idType": ids.id_type}})
            return self.parse_metadata(answer["dataRowCustomMetadata"])

        return _in_batches(send, list(ids))

    def bulk_delete(self, deletes: Sequence[DeleteDataRowMetadata]) -> list[DataRowMetadataBatchResponse]:
        """Deletes the named schemas' values from each row. Answers, per row, what could not be deleted: a
        schema the row held no value of ("Schema did not exist"), or a row that is not there."""
        if not deletes:
            raise ValueError("The 'deletes' list cannot be empty.")
        items = []
        for delete in deletes:
            key = delete.data_row_id
            identifier = UniqueId(key) if isinstance(key, str) else key
            if not isinstance(identifier, (UniqueId, GlobalKey)):
                raise ValueError(f"Invalid data row identifier type '{type(key)}' for '{key}'")
            if not delete.fields:
                raise ValueError(f"No fields specified for {key}")
            for schema_id in delete.fields:
                self._schema(schema_id)
            items.append({"dataRowIdentifier": {"id": identifier.key, "idType": identifier.id_type},
                          "schemaIds": list(delete.fields)})

        def send(batch: list[dict[str, Any]]) -> list[DataRowMetadataBatchResponse]:
            answer = self._client.execute(docs.DELETE_DATA_ROW_METADATA, {"deletes": batch})
            return [DataRowMetadataBatchResponse(data_row_id=r["dataRowId"], error=r["error"],
                                                 fields=[f["schemaId"] for f in r["fields"]])
                    for r in answer["deleteDataRowCustomMetadata"]]

        return _in_batches(send, items)

    def parse_metadata(self, unparsed: Sequence[dict[str, Any]]) -> list[DataRowMetadata]:
        """Rows' values as the API lists them ({dataRowId, globalKey, fields}) as DataRowMetadata."""
        if isinstance(unparsed, dict):
            raise ValueError("Pass a list of dictionaries")
        return [DataRowMetadata(data_row_id=row["dataRowId"], global_key=row.get("globalKey"),
                                fields=self.parse_metadata_fields(row.get("fields") or [])) for row in unparsed]

    def parse_metadata_fields(self, unparsed: Sequence[dict[str, Any]]) -> list[DataRowMetadataField]:
        """Values as the API lists them ({schemaId, value}; an enum as its schema, then its option)."""
        if isinstance(unparsed, dict):
            raise ValueError("Pass a list of dictionaries")
        parsed = []
        for entry in unparsed:
            schema = self._schema(entry["schemaId"])
            if schema.kind is DataRowMetadataKind.enum:
                continue  # its option follows, and names it
            if schema.kind is DataRowMetadataKind.option:
                parsed.append(DataRowMetadataField(schema_id=schema.parent, name=schema.name, value=schema.uid))
            elif schema.kind is DataRowMetadataKind.datetime:
                parsed.append(DataRowMetadataField(schema_id=schema.uid, name=schema.name,
                                                   value=_parse_datetime(entry["value"])))
            else:
                parsed.append(DataRowMetadataField(schema_id=schema.uid, name=schema.name, value=entry["value"]))
        return parsed

    def parse_upsert_metadata(self, metadata_fields: Sequence[DataRowMetadataField | dict[str, Any]]
                              ) -> list[dict[str, Any]]:
        """Metadata values (DataRowMetadataFields, or dicts with `value` and `schema_id` or `name`) checked
        against their schemas and flattened as an upsert sends them: `{"schemaId", "value"}` each, an enum as
        its schema then its option. ValueError names a value that does not fit its schema."""
        return self._upsert_fields(metadata_fields)

    def _schema(self, schema_id: str) -> DataRowMetadataSchema:
        if schema_id not in self.fields_by_id:
            self.refresh_ontology()  # made elsewhere since this was read?
        if schema_id not in self.fields_by_id:
            raise ValueError(f"Schema Id `{schema_id}` not found in ontology")
        return self.fields_by_id[schema_id]

    def _upsert_fields(self, fields: Sequence[DataRowMetadataField | dict[str, Any]]) -> list[dict[str, Any]]:
        try:
            return MetadataOntology(None, self._raw).upsert_fields(fields)
        except (KeyError, ValueError):
            self.refresh_ontology()  # a schema made elsewhere since this was read?
            return MetadataOntology(None, self._raw).upsert_fields(fields)

    def _custom(self, name: str) -> DataRowMetadataSchema:
        if name not in self.custom_by_name_normalized:
            self.refresh_ontology()  # made elsewhere since this was read?
        if name not in self.custom_by_name_normalized:
            raise KeyError(f"'{name}' is not a valid custom metadata")
        return self.custom_by_name_normalized[name]

    def _upsert(self, data: dict[str, Any]) -> DataRowMetadataSchema:
        answer = self._client.execute(docs.UPSERT_METADATA_SCHEMA, {"data": data},
                                      raise_return_resource_not_found=True)["upsertCustomMetadataSchema"]
        self.refresh_ontology()
        return DataRowMetadataSchema.from_api(answer, reserved=False)


def _parse_datetime(value: Any) -> Any:
    """An ISO time as the SDK reads it: a datetime, UTC when the text names no offset."""
    if not isinstance(value, str):
        return value
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _in_batches(send: Callable[[list[T]], list[R]], items: Sequence[T]) -> list[R]:
    answers: list[R] = []
    for start in range(0, len(items), BATCH_SIZE):
        answers.extend(send(list(items[start:start + BATCH_SIZE])))
    return answers


def _options_input(schema: DataRowMetadataSchema, renamed: dict[str, str]) -> dict[str, Any]:
    if not schema.options:
        return {}
    return {"options": [{"id": o.uid, "name": renamed.get(o.name, o.name), "kind": o.kind.value}
                        for o in schema.options]}


def _by_id(fields: list[DataRowMetadataSchema]) -> dict[str, DataRowMetadataSchema]:
    index = {}
    for schema in fields:
        index[schema.uid] = schema
        for option in schema.options or []:
            index[option.uid] = option
    return index


def _by_name(fields: list[DataRowMetadataSchema]) -> dict[str, DataRowMetadataSchema | dict[str, DataRowMetadataSchema]]:
    return {schema.name: ({o.name: o for o in schema.options} if schema.options else schema) for schema in fields}
