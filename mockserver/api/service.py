"""Executes GraphQL requests against the schema, with parsed and validated documents cached.

A repeated document costs only its execution: parsing and validation happen
once per distinct query text. Only documents that validated are kept (a refused
one is refused again at the same cost, and no one can fill the cache with
them), and the cache is bounded by the bytes of query text it holds as well as
by entries: a parsed document takes a multiple of its text in memory.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Mapping
from importlib import resources
from typing import Any

from graphql import (
    BREAK,
    DirectiveNode,
    DocumentNode,
    GraphQLError,
    GraphQLObjectType,
    GraphQLSchema,
    Visitor,
    build_ast_schema,
    parse,
    specified_rules,
    validate,
    visit,
)

from . import errors
from .context import RequestContext
from .execution import SHARED_FIELDS, execute
from .finite_floats import FiniteFloatRule
from .limits import Costs, measure, text_is_too_costly
from .resolvers import RESOLVERS
from .scalars import install_scalars
from .schema_cache import parse_sdl
from .unserved import not_implemented

SDL_RESOURCE = "schema.graphql"
# graphql-core's own rules, and Float arguments kept finite (which graphql-core's Float does not check)
_RULES = [*specified_rules, FiniteFloatRule]


def load_sdl() -> str:
    return resources.files("mockserver").joinpath(SDL_RESOURCE).read_text(encoding="utf-8")


def build_mock_schema() -> GraphQLSchema:
    # The SDL is ours and fixed: its validity is a test (tests/mock/test_schema_build.py), not a cost every
    # process pays at start; nor are source locations of type definitions ever reported. Its parsed
    # document is cached beside the bytecode (schema_cache.py).
    source = resources.files("mockserver").joinpath(SDL_RESOURCE)
    path = os.fspath(source) if isinstance(source, os.PathLike) else None  # None: inside a zip, not cached
    document = parse_sdl(source.read_text(encoding="utf-8"), path)
    schema = build_ast_schema(document, assume_valid=True, assume_valid_sdl=True)
    install_scalars(schema)
    bind_resolvers(schema, RESOLVERS)
    return schema


def bind_resolvers(schema: GraphQLSchema, resolvers: Mapping[str, Mapping[str, Any]]) -> None:
    """Attaches resolvers by type and field name; a name the SDL lacks is a bug, so it fails loudly."""
    for type_name, fields in resolvers.items():
        graphql_type = schema.type_map.get(type_name)
        if not isinstance(graphql_type, GraphQLObjectType):
            raise LookupError(f"resolvers name type {type_name!r}, which the SDL does not declare")
        for field_name, resolve in fields.items():
            if field_name not in graphql_type.fields:
                raise LookupError(f"resolver for {type_name}.{field_name}, which the SDL does not declare")
            graphql_type.fields[field_name].resolve = resolve


class PreparedDocument:
    """A parsed document and the outcome of validating it, cached by query text."""

    __slots__ = ("cost_ns", "costs", "document", "errors", "operations", "sole_name")

    def __init__(self, document: DocumentNode | None, errors: list[dict[str, Any]], costs: Costs | None = None) -> None:
        self.document = document
        self.errors = errors
        self.costs = costs  # each operation's estimated cost, finished with a request's variables
        # what its latest answer cost, in CPU nanoseconds (-1: never answered): the standalone server
        # answers it on its event loop only while this is small (Handler.inline)
        self.cost_ns = -1
        self.operations: dict[str | None, str] = {}
        if document is not None:
            from graphql import OperationDefinitionNode

            shared = not errors and not _has_conditions(document)
            for definition in document.definitions:
                if isinstance(definition, OperationDefinitionNode):
                    name = definition.name.value if definition.name else None
                    self.operations[name] = definition.operation.value
                    if shared:
                        definition.__dict__[SHARED_FIELDS] = {}
        names = [name for name in self.operations if name]
        # the name of its only named operation (None if it has none or several): GraphQLService.operation_name
        self.sole_name = names[0] if len(names) == 1 else None


class _Conditions(Visitor):
    """Finds a @skip or @include directive."""

    def __init__(self) -> None:
        super().__init__()
        self.found = False

    def enter_directive(self, node: DirectiveNode, *_args: Any) -> Any:
        if node.name.value in ("skip", "include"):
            self.found = True
            return BREAK
        return None


def _has_conditions(document: DocumentNode) -> bool:
    conditions = _Conditions()
    visit(document, conditions)
    return conditions.found


DEFAULT_CACHE_ENTRIES = 512
# Memory the cached documents may take, estimated from their text: a parsed and validated document
# (graphql-core's AST, its tokens kept by the node locations) measured 120-280 bytes per character
# of query under tracemalloc (issue 24: eight 256 KiB documents of aliases held 446 MiB). A document
# estimated at more than an eighth of the budget is never cached.
AST_BYTES_PER_CHAR = 300
DEFAULT_CACHE_BYTES = 48 * 1024 * 1024


class DocumentCache:
    """An LRU of validated documents, bounded by entries and by their estimated memory (AST_BYTES_PER_CHAR)."""

    def __init__(self, max_entries: int = DEFAULT_CACHE_ENTRIES, max_bytes: int = DEFAULT_CACHE_BYTES) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, PreparedDocument] = OrderedDict()
        self._bytes = 0
        self.hits = 0
        self._lock = threading.Lock()

    def get(self, query: str) -> PreparedDocument | None:
        with self._lock:
            prepared = self._entries.get(query)
            if prepared is not None:
                self._entries.move_to_end(query)
                self.hits += 1
            return prepared

    def put(self, query: str, prepared: PreparedDocument) -> None:
        size = len(query) * AST_BYTES_PER_CHAR
        if prepared.errors or size > self.max_bytes // 8:
            return
        with self._lock:
            if query in self._entries:
                return
            self._entries[query] = prepared
            self._bytes += size
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                evicted, _ = self._entries.popitem(last=False)
                self._bytes -= len(evicted) * AST_BYTES_PER_CHAR

    @property
    def size(self) -> tuple[int, int]:
        """(entries, estimated bytes) held now."""
        with self._lock:
            return len(self._entries), self._bytes


class GraphQLService:
    def __init__(self, schema: GraphQLSchema | None = None, cache_size: int = DEFAULT_CACHE_ENTRIES,
                 cache_bytes: int = DEFAULT_CACHE_BYTES) -> None:
        self.schema = schema or build_mock_schema()
        self.cache = DocumentCache(cache_size, cache_bytes)

    def _prepare(self, query: str) -> PreparedDocument:
        prepared = self.cache.get(query)
        if prepared is None:
            prepared = self._prepare_uncached(query)
            self.cache.put(query, prepared)
        return prepared

    def _prepare_uncached(self, query: str) -> PreparedDocument:
        if text_is_too_costly(query):
            # answered before parsing: the parser's recursion is what a deep document attacks
            return PreparedDocument(None, [errors.error_body(errors.COMPLEXITY_MESSAGE,
                                                             errors.GRAPHQL_VALIDATION_FAILED)])
        try:
            document = parse(query)
        except GraphQLError as exc:
            return PreparedDocument(None, [errors.error_body(exc.message, errors.GRAPHQL_PARSE_FAILED)])
        except RecursionError:  # the text scan should have caught it; answer as it would have
            return PreparedDocument(None, [errors.error_body(errors.COMPLEXITY_MESSAGE,
                                                             errors.GRAPHQL_VALIDATION_FAILED)])
        except Exception as exc:
            message = f"Syntax Error: the document cannot be read ({type(exc).__name__})"
            return PreparedDocument(None, [errors.error_body(message, errors.GRAPHQL_PARSE_FAILED)])
        # the cost first: some standard rules (overlapping fields) grow quadratically with size
        costs = measure(self.schema, document)
        if costs is None:
            return PreparedDocument(None, [errors.error_body(errors.COMPLEXITY_MESSAGE,
                                                             errors.GRAPHQL_VALIDATION_FAILED)])
        problems = validate(self.schema, document, _RULES)
        if problems and (unserved := not_implemented(self.schema, document, problems)) is not None:
            return PreparedDocument(document, unserved)
        return PreparedDocument(
            document, [errors.error_body(problem.message, errors.GRAPHQL_VALIDATION_FAILED) for problem in problems],
            costs,
        )

    def cached(self, query: str) -> PreparedDocument | None:
        """The document of `query` if it is cached, without parsing anything."""
        return self.cache.get(query)

    def prepare(self, query: str) -> PreparedDocument:
        """The document of `query`, parsed and validated once per distinct text."""
        return self._prepare(query)

    @staticmethod
    def operation_name(prepared: PreparedDocument, requested: str | None) -> str | None:
        """The operation a request runs, by name, for the journal and fault matching."""
        return requested or prepared.sole_name

    def execute(
        self,
        context: RequestContext,
        prepared: PreparedDocument,
        variables: Mapping[str, Any] | None,
        operation_name: str | None = None,
    ) -> dict[str, Any]:
        """The answer to `prepared` (from `prepare`) as the API words it: data, and errors if any."""
        if prepared.errors or prepared.document is None:
            return {"errors": prepared.errors}
        if prepared.costs is not None and prepared.costs.too_costly(operation_name, variables):
            # the estimate with this request's page sizes, still before any resolver runs
            return {"errors": [errors.error_body(errors.COMPLEXITY_MESSAGE, errors.GRAPHQL_VALIDATION_FAILED)]}
        result = execute(self.schema, prepared.document, context, dict(variables or {}), operation_name)
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            body["errors"] = [errors.format_execution_error(error) for error in result.errors]
        return body
