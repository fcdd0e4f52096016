"""Ontologies and feature schemas: creation from the normalized JSON the SDK sends, search, deletion.

The normalized JSON is a tree: tools and classifications at the top; a tool nests
classifications, a classification has options, and an option nests classifications
again, to any depth. Every node gets a `featureSchemaId` (reusable across
ontologies) and a `schemaNodeId` (its place in this ontology). A bad tree is
refused whole, every problem named by its path (`tools[0].classifications[1].options[0].value`).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from ..clock import MockClock
from ..ids import IdFactory
from .errors import Conflict, ProblemsError, QuotaExceeded
from .organization import Organization
from .records import TOOL_GEOMETRY, Classification, FeatureSchema, Ontology, Option, Tool

TOOL_KINDS = tuple(TOOL_GEOMETRY)  # the tools whose objects carry a geometry (what seeds and predictions draw)
RELATIONSHIP = "edge"
# tools only a chat-evaluation ontology (editor task type MODEL_CHAT_EVALUATION) holds, and only they
CHAT_TOOLS = ("message-single-selection", "message-multi-selection", "message-ranking",
              "step-reasoning", "fact-checking", "prompt-issue")
TOOL_TYPES = (*TOOL_KINDS, "superpixel", RELATIONSHIP, "marker", *CHAT_TOOLS)
CLASSIFICATION_KINDS = ("radio", "checklist", "text")
# every classification type the SDK sends: its own, Labelbox's group, and the prompt/response kinds
CLASSIFICATION_TYPES = (*CLASSIFICATION_KINDS, "group", "prompt", "response-text", "response-checklist",
                        "response-radio")
WITH_OPTIONS = ("radio", "checklist", "response-radio", "response-checklist")
WITHOUT_OPTIONS = ("text", "prompt", "response-text")
WITH_CHARACTER_LIMITS = ("prompt", "response-text")
MODEL_CHAT_EVALUATION = "MODEL_CHAT_EVALUATION"
EDITOR_TASK_TYPES = (MODEL_CHAT_EVALUATION, "OFFLINE_MODEL_CHAT_EVALUATION")
SCOPES = ("global", "index")
UI_MODES = ("hotkey", "searchable")
MAX_NESTING = 20  # levels of classifications under options; keeps every walk over the tree shallow
# what one organisation may store of root feature schemas: their number, and their definitions as JSON
MAX_FEATURE_SCHEMAS = 20_000
MAX_FEATURE_SCHEMA_BYTES = 32 * 1024 * 1024
MAX_ATTRIBUTES = 50  # attributes on one node
MAX_DEFINITION_BYTES = 64 * 1024  # a tool's definition (relationship constraints, variants) as JSON


class OntologyError(ProblemsError):
    """A normalized ontology was refused; `problems` lists every (path, message)."""

    what = "ontology"


class _Reader:
    """Reads the normalized tree into records, collecting problems instead of stopping at the first.

    `chat` is whether the tree is a chat-evaluation ontology's (None: a feature schema on its own,
    which any ontology kind may later place).
    """

    def __init__(self, org: Organization, ids: IdFactory, chat: bool | None = None,
                 placeholders: frozenset[str] = frozenset()) -> None:
        self.org = org
        self.ids = ids
        self.chat = chat
        # ids a relationship's constraints name that stand for tools of this same tree (the SDK makes
        # them up before the ontology exists); each gets a real id, and the constraints follow
        self.placeholders = placeholders
        self.renamed: dict[str, str] = {}
        self.problems: list[tuple[str, str]] = []
        self._known: set[str] | None = None

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

    def known_ids(self) -> set[str]:
        """Every feature schema id the organisation holds, nested ones included (built once, when asked)."""
        if self._known is None:
            known = set(self.org.feature_schemas)
            for schema in self.org.feature_schemas.values():
                known.update(node.feature_schema_id for node in walk_node(schema.node))
            for ontology in self.org.ontologies.values():
                known.update(node.feature_schema_id for node in walk(ontology))
            self._known = known
        return self._known

    def schema_id(self, node: dict[str, Any], path: str, root: bool = False) -> str:
        """The node's feature schema: the one it names (reused), or a new one."""
        given = node.get("featureSchemaId")
        if given is None:
            return self.ids.new()
        if isinstance(given, str) and given in self.placeholders:
            return self.renamed.setdefault(given, self.ids.new())
        found = given in self.org.feature_schemas if root else given in self.known_ids()
        if not isinstance(given, str) or not found:
            self.fail(f"{path}.featureSchemaId", f"no feature schema with id {given!r}")
        return str(given)

    def node_id(self, feature_schema_id: str, root: bool) -> str:
        """A root node shows its feature schema's root schema node id; any other node gets its own."""
        schema = self.org.feature_schemas.get(feature_schema_id) if root else None
        return schema.node.schema_node_id if schema is not None else self.ids.new()

    def attributes(self, node: dict[str, Any], path: str) -> list[dict[str, str]] | None:
        raw = node.get("attributes")
        if raw is None:
            return None
        if not isinstance(raw, list) or len(raw) > MAX_ATTRIBUTES:
            self.fail(f"{path}.attributes", f"must be a list of at most {MAX_ATTRIBUTES} attributes")
            return None
        out = []
        for index, item in enumerate(raw):
            if (not isinstance(item, dict) or set(item) != {"attributeName", "attributeValue"}
                    or not all(isinstance(v, str) for v in item.values())):
                self.fail(f"{path}.attributes[{index}]", "must be {attributeName, attributeValue}, both strings")
                continue
            out.append({"attributeName": item["attributeName"], "attributeValue": item["attributeValue"]})
        return out

    def tool(self, node: dict[str, Any], path: str, taken: set[str], root: bool = True) -> Tool:
        kind = node.get("tool")
        if kind not in TOOL_TYPES:
            self.fail(f"{path}.tool", f"unknown tool type {kind!r} (Labelbox's tools: {', '.join(TOOL_TYPES)})")
        elif self.chat is False and kind in CHAT_TOOLS:
            self.fail(f"{path}.tool", f"a {kind} tool belongs to a chat-evaluation ontology "
                                      f"(ontology kind ModelEvaluation)")
        elif self.chat and kind not in CHAT_TOOLS:
            self.fail(f"{path}.tool", f"a chat-evaluation ontology holds only {', '.join(CHAT_TOOLS)} tools, "
                                      f"not {kind}")
        feature_schema_id = self.schema_id(node, path, root)
        color = node.get("color")
        return Tool(
            feature_schema_id=feature_schema_id, name=self.name(node, path, taken), tool=str(kind),
            classifications=self.classifications(node, "classifications", path + "."),
            color=color if isinstance(color, str) else None,
            required=bool(node.get("required", False)), schema_node_id=self.node_id(feature_schema_id, root),
            attributes=self.attributes(node, path), definition=self.definition(node, path, kind),
        )

    def definition(self, node: dict[str, Any], path: str, kind: Any) -> dict[str, Any] | None:
        raw = node.get("definition")
        if raw is None:
            if kind in ("step-reasoning", "fact-checking"):
                self.fail(f"{path}.definition", f"a {kind} tool needs a definition with its variants")
            return None
        if not isinstance(raw, dict) or len(json.dumps(raw)) > MAX_DEFINITION_BYTES:
            self.fail(f"{path}.definition", f"must be an object of at most {MAX_DEFINITION_BYTES} bytes as JSON")
            return None
        if kind == RELATIONSHIP and "constraints" in raw:
            constraints = raw["constraints"]
            if not isinstance(constraints, list) or not all(
                    isinstance(pair, list) and len(pair) == 2 and all(isinstance(end, str) for end in pair)
                    for pair in constraints):
                self.fail(f"{path}.definition.constraints", "must be a list of [start, end] feature schema ids")
                return None
        if kind in ("step-reasoning", "fact-checking") and not isinstance(raw.get("variants"), list):
            self.fail(f"{path}.definition.variants", "must be a list of variants")
        return dict(raw)

    def classifications(self, parent: dict[str, Any], key: str, path: str) -> list[Classification]:
        if parent.get(key) and path.count("options[") >= 2 * MAX_NESTING:
            self.fail(f"{path}{key}", f"classifications nest at most {MAX_NESTING} levels deep")
            return []
        taken: set[str] = set()
        return [self.classification(node, node_path, taken, root=False)
                for node_path, node in self.nodes(parent, key, path)]

    def classification(self, node: dict[str, Any], path: str, taken: set[str], root: bool = True) -> Classification:
        kind = node.get("type")
        if kind not in CLASSIFICATION_TYPES:
            self.fail(f"{path}.type", f"unknown classification type {kind!r}; expected one of "
                                      f"{', '.join(CLASSIFICATION_TYPES)}")
        name = self.name(node, path, taken)
        options = self.options(node, path)
        if kind in WITH_OPTIONS and not options and not any(p.startswith(f"{path}.options") for p, _ in self.problems):
            self.fail(f"{path}.options", f"a {kind} classification needs at least one option")
        if kind in WITHOUT_OPTIONS and options:
            self.fail(f"{path}.options", f"a {kind} classification has no options")
        instructions = node.get("instructions")
        feature_schema_id = self.schema_id(node, path, root)
        return Classification(
            feature_schema_id=feature_schema_id, name=name, type=str(kind), options=options,
            instructions=instructions if isinstance(instructions, str) else name,
            required=bool(node.get("required", False)), schema_node_id=self.node_id(feature_schema_id, root),
            attributes=self.attributes(node, path),
            scope=self.choice(node, "scope", path, SCOPES) or ("global" if root else None),
            ui_mode=self.choice(node, "uiMode", path, UI_MODES) if kind in ("radio", "checklist") else None,
            is_likert_scale=self.likert(node, path, kind),
            min_characters=self.characters(node, "minCharacters", path, kind),
            max_characters=self.characters(node, "maxCharacters", path, kind),
        )

    def likert(self, node: dict[str, Any], path: str, kind: Any) -> bool | None:
        """`isLikertScale` as sent on a radio or checklist (the SDK sends it on a radio; a text has no scale)."""
        value = node.get("isLikertScale")
        if value is None or kind not in WITH_OPTIONS:
            return None
        if type(value) is not bool:
            self.fail(f"{path}.isLikertScale", f"must be true or false, got {value!r}")
            return None
        return value

    def choice(self, node: dict[str, Any], key: str, path: str, allowed: tuple[str, ...]) -> str | None:
        value = node.get(key)
        if value is not None and value not in allowed:
            self.fail(f"{path}.{key}", f"must be one of {', '.join(allowed)}, got {value!r}")
            return None
        return value if isinstance(value, str) else None

    def characters(self, node: dict[str, Any], key: str, path: str, kind: Any) -> int | None:
        value = node.get(key)
        if value is None:
            return None
        if kind not in WITH_CHARACTER_LIMITS:
            self.fail(f"{path}.{key}", f"only {' and '.join(WITH_CHARACTER_LIMITS)} classifications take it")
        elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.fail(f"{path}.{key}", f"must be a non-negative integer, got {value!r}")
        else:
            return value
        return None

    def options(self, node: dict[str, Any], path: str) -> list[Option]:
        taken: set[str] = set()
        out = []
        for option_path, option in self.nodes(node, "options", path + "."):
            value = self.name(option, option_path, taken, key="value")
            label = option.get("label")
            position = option.get("position")
            if position is not None and (isinstance(position, bool) or not isinstance(position, int)):
                self.fail(f"{option_path}.position", f"must be an integer, got {position!r}")
                position = None
            out.append(Option(
                feature_schema_id=self.schema_id(option, option_path), value=value,
                options=self.classifications(option, "options", option_path + "."),
                label=str(label) if isinstance(label, (str, int)) and not isinstance(label, bool) else value,
                schema_node_id=self.ids.new(), position=position,
            ))
        return out

    def relink(self, tools: list[Tool]) -> None:
        """Points the relationship constraints at the real ids their placeholders were given."""
        for tool in tools:
            constraints = (tool.definition or {}).get("constraints")
            if tool.tool == RELATIONSHIP and isinstance(constraints, list):
                tool.definition = {**(tool.definition or {}), "constraints": [
                    [self.renamed.get(end, end) for end in pair] for pair in constraints]}


def _placeholders(org: Organization, normalized: dict[str, Any]) -> frozenset[str]:
    """Ids the relationship tools' constraints name that the organisation does not hold."""
    ends: set[str] = set()
    tools = normalized.get("tools")
    for tool in tools if isinstance(tools, list) else []:
        definition = tool.get("definition") if isinstance(tool, dict) else None
        constraints = definition.get("constraints") if isinstance(definition, dict) else None
        if tool.get("tool") == RELATIONSHIP and isinstance(constraints, list):
            ends.update(end for pair in constraints if isinstance(pair, list) for end in pair
                        if isinstance(end, str) and end not in org.feature_schemas)
    return frozenset(ends)


# chat tools whose definition Labelbox completes with the tool's title and value (and prompt issue its color)
TITLED_TOOLS = ("step-reasoning", "fact-checking", "prompt-issue")


def shown_definition(tool: Tool) -> dict[str, Any] | None:
    """A tool's definition as Labelbox answers it: a titled chat tool's carries its name as `title`,
    the name in snake case as `value`, and (prompt issue) the tool's color; so a rename shows there too."""
    if tool.tool not in TITLED_TOOLS:
        return tool.definition
    shown = {**(tool.definition or {}), "title": tool.name, "value": re.sub(r"\s+", "_", tool.name.strip().lower())}
    if tool.tool == "prompt-issue" and tool.color is not None:
        shown["color"] = tool.color
    return shown


def read_normalized(org: Organization, ids: IdFactory, normalized: Any,
                    chat: bool = False) -> tuple[list[Tool], list[Classification]]:
    """The tools and classifications of a normalized ontology (a dict or its JSON text); refuses a bad one whole."""
    try:
        return _read(org, ids, _parse(normalized), chat)
    except RecursionError:  # a tree nested past what Python recurses through; no real ontology is
        raise OntologyError([("normalized", "is nested too deeply")]) from None


def _parse(normalized: Any) -> Any:
    try:
        return json.loads(normalized) if isinstance(normalized, str) else normalized
    except ValueError as error:
        raise OntologyError([("normalized", f"is not valid JSON ({error})")]) from None


def _read(org: Organization, ids: IdFactory, normalized: Any,
          chat: bool) -> tuple[list[Tool], list[Classification]]:
    if not isinstance(normalized, dict):
        raise OntologyError([("normalized", f"must be an object with tools and classifications, "
                                            f"got {type(normalized).__name__}")])
    reader = _Reader(org, ids, chat, _placeholders(org, normalized))
    taken: set[str] = set()  # names are unique across an ontology's top-level tools and classifications
    tools = [reader.tool(node, path, taken) for path, node in reader.nodes(normalized, "tools", "")]
    classifications = [reader.classification(node, path, taken)
                       for path, node in reader.nodes(normalized, "classifications", "")]
    seen: set[str] = set()
    placed: list[Tool | Classification] = [*tools, *classifications]
    for node in placed:
        if node.feature_schema_id in seen:
            reader.fail("normalized", f"feature schema {node.feature_schema_id} is placed twice")
        seen.add(node.feature_schema_id)
    reader.relink(tools)
    if reader.problems:
        raise OntologyError(reader.problems)
    return tools, classifications


def read_feature_schema(org: Organization, ids: IdFactory, normalized: Any,
                        keep_id: str | None = None) -> Tool | Classification:
    """One root tool or classification (a feature schema's definition); `keep_id` is the feature schema
    an update keeps, whatever id the payload names."""
    try:
        node = _parse(normalized)
        if not isinstance(node, dict) or ("tool" in node) == ("type" in node):
            raise OntologyError([("normalized", "must be one tool (with `tool`) or one classification "
                                                "(with `type`)")])
        reader = _Reader(org, ids)
        if keep_id is not None:
            node = {**node, "featureSchemaId": None}
        read: Tool | Classification = (reader.tool(node, "normalized", set()) if "tool" in node
                                       else reader.classification(node, "normalized", set()))
        if reader.problems:
            raise OntologyError(reader.problems)
    except RecursionError:
        raise OntologyError([("normalized", "is nested too deeply")]) from None
    if keep_id is not None:
        read.feature_schema_id = keep_id
    return read


def walk_node(node: Tool | Classification) -> Iterator[Tool | Classification | Option]:
    """A tool or classification and everything nested in it, depth first."""
    yield node
    for nested in node.classifications if isinstance(node, Tool) else ():
        yield from walk_node(nested)
    for option in node.options if isinstance(node, Classification) else ():
        yield option
        for nested in option.options:
            yield from walk_node(nested)


def walk(ontology: Ontology) -> Iterator[Tool | Classification | Option]:
    """Every node of the ontology's tree, depth first."""
    for top in ontology.features():
        yield from walk_node(top)


def schema_users(org: Organization) -> dict[str, set[str]]:
    """Feature schema id -> the ontologies whose tree holds it: an index kept beside the records,
    built on first use and kept by `track`/`untrack` wherever an ontology changes."""
    if org.schema_users is None:
        org.schema_users = {}
        for ontology in org.ontologies.values():
            track(org, ontology)
    return org.schema_users


def track(org: Organization, ontology: Ontology) -> None:
    users = schema_users(org)
    for node in walk(ontology):
        users.setdefault(node.feature_schema_id, set()).add(ontology.id)


def untrack(org: Organization, ontology: Ontology) -> None:
    users = schema_users(org)
    for node in walk(ontology):
        holders = users.get(node.feature_schema_id)
        if holders is not None:
            holders.discard(ontology.id)
            if not holders:
                del users[node.feature_schema_id]


def node_bytes(node: Tool | Classification) -> int:
    """What a feature schema's definition costs an organisation's quota: its size as JSON."""
    return len(json.dumps(attrs.asdict(node), separators=(",", ":")))


def check_quota(org: Organization, added: list[Tool | Classification], grown_by: int = 0) -> None:
    """Refuses new root feature schemas (or a definition `grown_by` bytes) past the organisation's
    count or byte quota, naming it."""
    count = len(org.feature_schemas) + len(added)
    if count > MAX_FEATURE_SCHEMAS:
        raise QuotaExceeded(f"an organisation holds at most {MAX_FEATURE_SCHEMAS} feature schemas; "
                            f"this would make {count}")
    size = org.feature_schema_bytes + grown_by + sum(node_bytes(node) for node in added)
    if size > MAX_FEATURE_SCHEMA_BYTES:
        raise QuotaExceeded(f"an organisation's feature schemas hold at most {MAX_FEATURE_SCHEMA_BYTES} bytes; "
                            f"this would make {size}")


def add_feature_schema(org: Organization, clock: MockClock, node: Tool | Classification) -> FeatureSchema:
    """Records a new root feature schema (its definition is a copy: ontologies change their own)."""
    now = clock.now()
    org.feature_schema_seq += 1
    schema = FeatureSchema(id=node.feature_schema_id, node=copy.deepcopy(node), created_at=now, updated_at=now,
                           seq=org.feature_schema_seq)
    schema.node.archived = False
    org.feature_schemas[schema.id] = schema
    if org.feature_schema_order is not None:
        org.feature_schema_order.add(schema.id)
    org.feature_schema_bytes += node_bytes(schema.node)
    org.deleted_feature_schemas.pop(schema.id, None)
    return schema


def register_feature_schemas(org: Organization, clock: MockClock, ontology: Ontology) -> None:
    """Makes every new top-level node of a new ontology a root feature schema, and indexes its users."""
    new = [node for node in ontology.features() if node.feature_schema_id not in org.feature_schemas]
    check_quota(org, list(new))
    for node in new:
        add_feature_schema(org, clock, node)
    track(org, ontology)


def create_ontology(org: Organization, ids: IdFactory, clock: MockClock, name: Any, normalized: Any,
                    media_type: str | None = None, editor_task_type: str | None = None) -> Ontology:
    problems = []
    if not isinstance(name, str) or not name.strip():
        problems.append(("name", f"an ontology needs a non-empty name, got {name!r}"))
    if editor_task_type is not None and editor_task_type not in EDITOR_TASK_TYPES:
        problems.append(("editorTaskType", f"must be one of {', '.join(EDITOR_TASK_TYPES)}, got {editor_task_type!r}"))
    elif editor_task_type is not None and media_type not in (None, "CONVERSATIONAL"):
        problems.append(("mediaType", f"a chat-evaluation ontology is CONVERSATIONAL, got {media_type!r}"))
    elif editor_task_type is not None:
        # the SDK sends null for create_ontology(ontology_kind=ModelEvaluation) without a media type (it
        # works out Conversational after building the request); a chat evaluation is conversational
        media_type = "CONVERSATIONAL"
    if problems:
        raise OntologyError(problems)
    tools, classifications = read_normalized(org, ids, normalized, chat=editor_task_type is not None)
    now = clock.now()
    ontology = Ontology(id=ids.new(), name=name, tools=tools, classifications=classifications, created_at=now,
                        updated_at=now, media_type=media_type, created_by_id=org.user.id,
                        editor_task_type=editor_task_type)
    register_feature_schemas(org, clock, ontology)
    org.ontologies[ontology.id] = ontology
    if org.ontology_order is not None:
        org.ontology_order.add(ontology.id)
    return ontology


def search(org: Organization, text: str | None) -> list[Ontology]:
    """Ontologies whose name contains `text` (any case), newest first, as the ontology search lists them."""
    needle = (text or "").casefold()
    if not needle:  # every ontology: an ordered index kept until the table changes, so a page is O(page)
        return org.ontologies.view("newest first", _newest_first)
    return _newest_first(o for o in org.ontologies.values() if needle in o.name.casefold())


def _newest_first(ontologies: Iterable[Ontology]) -> list[Ontology]:
    return sorted(ontologies, key=lambda o: o.created_at, reverse=True)


def used_ontology_ids(org: Organization) -> set[str]:
    """The ontologies something keeps in use: a project connected to it or a model built on it."""
    return ({p.ontology_id for p in org.projects.values() if p.ontology_id is not None}
            | {m.ontology_id for m in org.models.values()})


def delete_unused_ontology(org: Organization, ontology_id: str) -> None:
    ontology = org.ontology(ontology_id)
    projects = [p.id for p in org.projects.values() if p.ontology_id == ontology_id]
    if projects:
        raise Conflict("Cannot delete an ontology connected to a project. The ontology is connected to projects: "
                       + ", ".join(projects))
    models = [m.id for m in org.models.values() if m.ontology_id == ontology_id]
    if models:
        raise Conflict("Cannot delete an ontology a model is built on. The ontology is used by models: "
                       + ", ".join(models))
    untrack(org, ontology)
    del org.ontologies[ontology_id]
    if org.ontology_order is not None:
        org.ontology_order.remove(ontology_id)
