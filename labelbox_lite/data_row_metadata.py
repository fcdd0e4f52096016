"""The organisation's data-row metadata ontology: Labelbox's reserved schemas and its own.

`client.get_data_row_metadata_ontology()` reads it; `create_schema`, `update_schema`,
`update_enum_option` and `delete_schema` change the custom schemas (the SDK's names and
checks), and re-read the ontology after each change, as the SDK does.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Any

from attrs import define, field

from . import documents as docs

if TYPE_CHECKING:
    from .client import Client

NAME_LIMIT = 100  # characters, after stripping


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


def _name(value: object) -> str:
    name = str(value).strip()
    if not 1 <= len(name) <= NAME_LIMIT:
        raise ValueError(f"a metadata schema name is 1 to {NAME_LIMIT} characters, got {value!r}")
    return name


class DataRowMetadataOntology:
    """The schemas, indexed as the SDK indexes them: by id, and by name (an enum by name answers
    its options by name)."""

    def __init__(self, client: Client) -> None:
        self._client = client
        self.refresh_ontology()

    def refresh_ontology(self) -> None:
        raw = self._client.execute(docs.GET_METADATA_ONTOLOGY)["customMetadataOntology"]
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
