"""Data-row metadata schemas: Labelbox's reserved ones and those an organisation makes.

`upsertCustomMetadataSchema` creates a schema (no id) or changes one (its id): a
rename, renamed or added enum options. A schema's kind never changes, an option is
never dropped, and the reserved schemas are Labelbox's to keep. Names are unique
across reserved and custom schemas. Deleting a schema takes its values off every
data row, so no row names a schema that is gone.
"""

from __future__ import annotations

from typing import Any

from ..ids import IdFactory
from .errors import InvalidInput, Malformed, NotFound
from .organization import Organization
from .records import MetadataSchema

STRING, NUMBER, DATETIME = "CustomMetadataString", "CustomMetadataNumber", "CustomMetadataDateTime"
ENUM, OPTION = "CustomMetadataEnum", "CustomMetadataEnumOption"
CUSTOM_KINDS = (STRING, NUMBER, DATETIME, ENUM)
NAME_LIMIT = 100  # characters, after stripping (the SDK checks the same bound)

# Labelbox's reserved metadata schemas, with the ids every organisation shares.
RESERVED_METADATA = (
    MetadataSchema("cko8s9r5v0001h2dk9elqdidh", "tag", STRING, reserved=True),
    MetadataSchema("cko8sbczn0002h2dkdaxb5kal", "split", ENUM, (
        MetadataSchema("cko8sbscr0003h2dk04w86hof", "train", OPTION, reserved=True),
        MetadataSchema("cko8sc2yr0004h2dk69aj5x63", "valid", OPTION, reserved=True),
        MetadataSchema("cko8scbz70005h2dkastwhgqt", "test", OPTION, reserved=True),
    ), reserved=True),
    MetadataSchema("cko8sdzv70006h2dk8jg64zvb", "captureDateTime", DATETIME, reserved=True),
)
RESERVED_IDS = frozenset(s.id for top in RESERVED_METADATA for s in (top, *top.options))


def metadata_ontology(org: Organization) -> list[MetadataSchema]:
    """Every schema the organisation's rows may carry: the reserved ones first, then its own."""
    return [*RESERVED_METADATA, *org.metadata_schemas.values()]


def schema_index(org: Organization) -> tuple[dict[str, MetadataSchema], dict[str, MetadataSchema]]:
    """(schema or option id -> schema, option id -> its enum)."""
    by_id: dict[str, MetadataSchema] = {}
    parent: dict[str, MetadataSchema] = {}
    for top in metadata_ontology(org):
        by_id[top.id] = top
        for option in top.options:
            by_id[option.id] = option
            parent[option.id] = top
    return by_id, parent


def _name(value: Any, where: str) -> str:
    name = value.strip() if isinstance(value, str) else ""
    if not name or len(name) > NAME_LIMIT:
        raise InvalidInput(f"{where}: a metadata schema name is 1 to {NAME_LIMIT} characters, got {value!r}")
    return name


def upsert_schema(org: Organization, ids: IdFactory, data: dict[str, Any]) -> MetadataSchema:
    """Creates a schema, or changes the one `data["id"]` names; checks everything before changing anything."""
    name, kind, schema_id = _name(data.get("name"), "name"), data.get("kind"), data.get("id")
    current = None
    if schema_id is not None:
        if schema_id in RESERVED_IDS:
            raise InvalidInput(f"id: metadata schema {schema_id} is reserved by Labelbox and cannot be changed")
        current = org.metadata_schemas.get(schema_id)
        if current is None:
            raise NotFound("CustomMetadataSchema", schema_id)
        if kind != current.kind:
            raise InvalidInput(f"kind: the kind of metadata schema {schema_id} is {current.kind}; it cannot change "
                               f"to {kind}")
    elif kind not in CUSTOM_KINDS:
        raise InvalidInput(f"kind: a custom metadata schema is one of {', '.join(CUSTOM_KINDS)}, got {kind!r}")
    if any(s.name == name and (current is None or s.id != current.id) for s in metadata_ontology(org)):
        # Labelbox answers a taken name as a malformed request (the SDK raises MalformedQueryException)
        raise Malformed(f"name: a metadata schema named {name!r} already exists")
    options = _options(ids, data.get("options") or [], kind, current)
    schema = MetadataSchema(current.id if current else ids.new(), name, str(kind), options)
    org.metadata_schemas[schema.id] = schema
    if current is not None:
        _rename_on_rows(org, schema)
    return schema


def _options(ids: IdFactory, given: list[dict[str, Any]], kind: Any, current: MetadataSchema | None,
             ) -> tuple[MetadataSchema, ...]:
    if given and kind != ENUM:
        raise InvalidInput(f"options: only a {ENUM} schema has options, this one is {kind}")
    existing = {option.id: option for option in current.options} if current else {}
    options: list[MetadataSchema] = []
    for index, option in enumerate(given):
        where = f"options[{index}]"
        option_name = _name(option.get("name"), f"{where}.name")
        if option.get("kind") != OPTION:
            raise InvalidInput(f"{where}.kind: an enum option's kind is {OPTION}, got {option.get('kind')!r}")
        if any(o.name == option_name for o in options):
            raise InvalidInput(f"{where}.name: option {option_name!r} is given twice")
        option_id = option.get("id")
        if option_id is not None and option_id not in existing:
            raise InvalidInput(f"{where}.id: {option_id!r} is not an option of this schema")
        options.append(MetadataSchema(option_id or ids.new(), option_name, OPTION))
    dropped = [o.name for o in existing.values() if o.id not in {kept.id for kept in options}]
    if dropped:
        raise InvalidInput(f"options: an enum keeps its options (missing {', '.join(map(repr, dropped))}); "
                           "delete the schema to drop them")
    return tuple(options)


def _rename_on_rows(org: Organization, schema: MetadataSchema) -> None:
    """Rows keep each value with its schema's name: a rename reaches them."""
    names = {option.id: option.name for option in schema.options}
    for row in org.data_rows.values():
        for field in row.metadata_fields:
            if field.get("schemaId") == schema.id:
                field["name"] = schema.name
                value = field.get("value")
                if isinstance(value, dict) and value.get("schemaId") in names:
                    value["name"] = names[value["schemaId"]]


def delete_schema(org: Organization, schema_id: str) -> MetadataSchema:
    """Deletes a custom schema and its values on every data row."""
    if schema_id in RESERVED_IDS:
        raise InvalidInput(f"metadata schema {schema_id} is reserved by Labelbox and cannot be deleted")
    schema = org.metadata_schemas.pop(schema_id, None)
    if schema is None:
        raise NotFound("CustomMetadataSchema", schema_id)
    for row in org.data_rows.values():
        if any(field.get("schemaId") == schema_id for field in row.metadata_fields):
            row.metadata_fields = [field for field in row.metadata_fields if field.get("schemaId") != schema_id]
            org.metadata_usage = None  # counted again from the rows at the next write
    return schema
