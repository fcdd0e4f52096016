"""Ontologies and feature schemas: creation from the normalized JSON the SDK sends, search, deletion.

The normalized JSON is a tree: tools and classifications at the top; a tool nests
classifications, a classification has options, and an option nests classifications
again, to any depth. Every node gets a `featureSchemaId` (reusable across
ontologies) and a `schemaNodeId` (its place in this ontology). A bad tree is
refused whole, every problem named by its path (`tools[0].classifications[1].options[0].value`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ..clock import MockClock
from ..ids import IdFactory
from .errors import Conflict, NotFound, ProblemsError
from .organization import Organization
from .records import TOOL_GEOMETRY, Classification, Ontology, Option, Tool

TOOL_KINDS = tuple(TOOL_GEOMETRY)
CLASSIFICATION_KINDS = ("radio", "checklist", "text")
WITH_OPTIONS = ("radio", "checklist")
MAX_NESTING = 20  # levels of classifications under options; keeps every walk over the tree shallow


class OntologyError(ProblemsError):
    """A normalized ontology was refused; `problems` lists every (path, message)."""

    what = "ontology"


class _Reader:
    """Reads the normalized tree into records, collecting problems instead of stopping at the first."""

    def __init__(self, org: Organization, ids: IdFactory) -> None:
        self.org = org
        self.ids = ids
        self.problems: list[tuple[str, str]] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    def nodes(self, parent: dict[str, Any], key: str, path: str) -> list[tuple[str, dict[str, Any]]]:
        raw = parent.get(key)
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.fail(f"{path}{key}", f"must be a list, got {type(raw).__name__}")
            return []
        out = []
        for index, node in enumerate(raw):
            if isinstance(node, dict):
                out.append((f"{path}{key}[{index}]", node))
            else:
                self.fail(f"{path}{key}[{index}]", f"must be an object, got {type(node).__name__}")
        return out

    def name(self, node: dict[str, Any], path: str, taken: set[str], key: str = "name") -> str:
        value = node.get(key)
        if key == "name" and value is None:
            value = node.get("instructions")  # older payloads name a classification by its instructions
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{path}.{key}", "is required" if value is None else f"must be a non-empty string, got {value!r}")
            return ""
        if value in taken:
            self.fail(f"{path}.{key}", f"{value!r} is used twice at this level; {key}s must be unique among siblings")
        taken.add(value)
        return value

    def schema_id(self, node: dict[str, Any], path: str) -> str:
        """The node's feature schema: the one it names (reused), or a new one."""
        given = node.get("featureSchemaId")
        if given is None:
            return self.ids.new()
        if not isinstance(given, str) or given not in self.org.feature_schemas:
            self.fail(f"{path}.featureSchemaId", f"no feature schema with id {given!r}")
        return str(given)

    def tool(self, node: dict[str, Any], path: str, taken: set[str]) -> Tool:
        kind = node.get("tool")
        if kind not in TOOL_KINDS:
            self.fail(f"{path}.tool", f"unknown tool type {kind!r} (the mock serves {', '.join(TOOL_KINDS)})")
        return Tool(
            feature_schema_id=self.schema_id(node, path), name=self.name(node, path, taken), tool=str(kind),
            classifications=self.classifications(node, "classifications", path + "."),
            color=node.get("color") if isinstance(node.get("color"), str) else None,
            required=bool(node.get("required", False)), schema_node_id=self.ids.new(),
        )

    def classifications(self, parent: dict[str, Any], key: str, path: str) -> list[Classification]:
        if parent.get(key) and path.count("options[") >= 2 * MAX_NESTING:
            self.fail(f"{path}{key}", f"classifications nest at most {MAX_NESTING} levels deep")
            return []
        taken: set[str] = set()
        return [self.classification(node, node_path, taken) for node_path, node in self.nodes(parent, key, path)]

    def classification(self, node: dict[str, Any], path: str, taken: set[str]) -> Classification:
        kind = node.get("type")
        if kind not in CLASSIFICATION_KINDS:
            self.fail(f"{path}.type", f"unknown classification type {kind!r}; expected one of "
                                      f"{', '.join(CLASSIFICATION_KINDS)}")
        name = self.name(node, path, taken)
        options = self.options(node, path)
        if kind in WITH_OPTIONS and not options and not any(p.startswith(f"{path}.options") for p, _ in self.problems):
            self.fail(f"{path}.options", f"a {kind} classification needs at least one option")
        if kind == "text" and options:
            self.fail(f"{path}.options", "a text classification has no options")
        instructions = node.get("instructions")
        return Classification(
            feature_schema_id=self.schema_id(node, path), name=name, type=str(kind), options=options,
            instructions=instructions if isinstance(instructions, str) else name,
            required=bool(node.get("required", False)), schema_node_id=self.ids.new(),
        )

    def options(self, node: dict[str, Any], path: str) -> list[Option]:
        taken: set[str] = set()
        out = []
        for option_path, option in self.nodes(node, "options", path + "."):
            value = self.name(option, option_path, taken, key="value")
            label = option.get("label")
            out.append(Option(
                feature_schema_id=self.schema_id(option, option_path), value=value,
                options=self.classifications(option, "options", option_path + "."),
                label=str(label) if isinstance(label, (str, int)) and not isinstance(label, bool) else value,
                schema_node_id=self.ids.new(),
            ))
        return out


def read_normalized(org: Organization, ids: IdFactory, normalized: Any) -> tuple[list[Tool], list[Classification]]:
    """The tools and classifications of a normalized ontology (a dict or its JSON text); refuses a bad one whole."""
    try:
        return _read(org, ids, json.loads(normalized) if isinstance(normalized, str) else normalized)
    except ValueError as error:
        raise OntologyError([("normalized", f"is not valid JSON ({error})")]) from None
    except RecursionError:  # a tree nested past what Python recurses through; no real ontology is
        raise OntologyError([("normalized", "is nested too deeply")]) from None


def _read(org: Organization, ids: IdFactory, normalized: Any) -> tuple[list[Tool], list[Classification]]:
    if not isinstance(normalized, dict):
        raise OntologyError([("normalized", f"must be an object with tools and classifications, "
                                            f"got {type(normalized).__name__}")])
    reader = _Reader(org, ids)
    taken: set[str] = set()  # names are unique across an ontology's top-level tools and classifications
    tools = [reader.tool(node, path, taken) for path, node in reader.nodes(normalized, "tools", "")]
    classifications = [reader.classification(node, path, taken)
                       for path, node in reader.nodes(normalized, "classifications", "")]
    if reader.problems:
        raise OntologyError(reader.problems)
    return tools, classifications


def walk(ontology: Ontology) -> Iterator[Tool | Classification | Option]:
    """Every node of the ontology's tree, depth first."""
    def classification(node: Classification) -> Iterator[Tool | Classification | Option]:
        yield node
        for option in node.options:
            yield option
            for nested in option.options:
                yield from classification(nested)

    for tool in ontology.tools:
        yield tool
        for nested in tool.classifications:
            yield from classification(nested)
    for top in ontology.classifications:
        yield from classification(top)


def register_feature_schemas(org: Organization, ontology: Ontology) -> None:
    for node in walk(ontology):
        org.feature_schemas.setdefault(node.feature_schema_id, node.value if isinstance(node, Option) else node.name)


def create_ontology(org: Organization, ids: IdFactory, clock: MockClock, name: Any, normalized: Any,
                    media_type: str | None = None) -> Ontology:
    if not isinstance(name, str) or not name.strip():
        raise OntologyError([("name", f"an ontology needs a non-empty name, got {name!r}")])
    tools, classifications = read_normalized(org, ids, normalized)
    now = clock.now()
    ontology = Ontology(id=ids.new(), name=name, tools=tools, classifications=classifications, created_at=now,
                        updated_at=now, media_type=media_type, created_by_id=org.user.id)
    register_feature_schemas(org, ontology)
    org.ontologies[ontology.id] = ontology
    return ontology


def search(org: Organization, text: str | None) -> list[Ontology]:
    """Ontologies whose name contains `text` (any case), newest first, as the ontology search lists them."""
    needle = (text or "").casefold()
    found = [o for o in org.ontologies.values() if needle in o.name.casefold()]
    return sorted(found, key=lambda o: o.created_at, reverse=True)


def users_of(org: Organization, ontology_id: str) -> list[str]:
    """What keeps an ontology in use: the projects connected to it and the models built on it."""
    projects = [f"project {p.id}" for p in org.projects.values() if p.ontology_id == ontology_id]
    return projects + [f"model {m.id}" for m in org.models.values() if m.ontology_id == ontology_id]


def delete_unused_ontology(org: Organization, ontology_id: str) -> None:
    org.ontology(ontology_id)
    users = users_of(org, ontology_id)
    if users:
        raise Conflict(f"ontology {ontology_id} is in use and cannot be deleted: used by {', '.join(users)}")
    del org.ontologies[ontology_id]


def delete_unused_feature_schema(org: Organization, feature_schema_id: str) -> None:
    if feature_schema_id not in org.feature_schemas:
        raise NotFound("FeatureSchema", feature_schema_id)
    using = [o.id for o in org.ontologies.values() if any(n.feature_schema_id == feature_schema_id for n in walk(o))]
    if using:
        raise Conflict(f"feature schema {feature_schema_id} is in use and cannot be deleted: used by ontolog"
                       f"{'y' if len(using) == 1 else 'ies'} {', '.join(using)}")
    del org.feature_schemas[feature_schema_id]
