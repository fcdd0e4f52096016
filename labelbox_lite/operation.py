"""Which operation a GraphQL document runs, read from the document itself.

The retry policy depends on it (a mutation that may have landed is never sent
again), so the answer must not be fooled by a leading comment, a byte-order
mark, commas, a fragment defined first, or several operations of which
`operationName` picks one. A full parser (graphql-core) would cost an import
and a parse per call; this reads tokens only as far as the top level of each
definition, skipping bracketed groups and strings whole.

Anything it cannot read (a syntax error, an unknown `operationName`, several
operations and none chosen, a schema definition) is `None`: the caller treats
that as a mutation, the safe side, and the server will refuse the document anyway.
"""

from __future__ import annotations

import functools
import re
from typing import Final, NamedTuple

# GraphQL's ignored tokens: whitespace, line ends, commas, the BOM and comments to the end of the line
_IGNORED = r"(?:[ \t\n\r,\ufeff]|\#[^\n\r]*)*"  # \# : the pattern is verbose
_TOKEN: Final = re.compile(
    _IGNORED
    + r"""(?:
        (?P<block>\"\"\"(?:\\\"\"\"|(?!\"\"\")[\s\S])*\"\"\")  # block string: only \\\"\"\" escapes
      | (?P<string>"(?:\\.|[^"\\\n\r])*")
      | (?P<name>[_A-Za-z][_0-9A-Za-z]*)
      | (?P<number>-?[0-9][0-9.eE+-]*)
      | (?P<spread>\.\.\.)
      | (?P<punct>[!$&():=@\[\]{}|])
      | (?P<end>\Z)
    )""",
    re.VERBOSE,
)
_OPEN: Final = {"{": "}", "(": ")", "[": "]"}
OPERATION_TYPES: Final = frozenset({"query", "mutation", "subscription"})


class Operation(NamedTuple):
    type: str  # "query", "mutation" or "subscription"
    name: str | None  # None for an anonymous operation


class _Unreadable(Exception):
    pass


def _tokens(document: str) -> list[str]:
    """The document's significant tokens (names, punctuators, strings and numbers as one token each)."""
    tokens: list[str] = []
    position = 0
    while True:
        match = _TOKEN.match(document, position)
        if match is None:
            raise _Unreadable(f"unexpected character at {position}")
        if match.lastgroup == "end":
            return tokens
        tokens.append(match.group(match.lastgroup or "end"))
        position = match.end()


def _is_name(token: str) -> bool:
    return token[0] == "_" or token[0].isalpha()  # strings start with a quote, numbers with a digit or -


def _skip_group(tokens: list[str], at: int) -> int:
    """The index after the bracketed group opening at `at`, nested groups included."""
    closers = [_OPEN[tokens[at]]]
    at += 1
    while closers:
        if at >= len(tokens):
            raise _Unreadable("unclosed bracket")
        token = tokens[at]
        if token in _OPEN:
            closers.append(_OPEN[token])
        elif token in ("}", ")", "]") and token != closers.pop():
            raise _Unreadable("mismatched bracket")
        at += 1
    return at


def _definitions(tokens: list[str]) -> list[Operation | None]:
    """One entry per top-level definition: the operation, or None for a fragment."""
    found: list[Operation | None] = []
    at = 0
    while at < len(tokens):
        head = tokens[at]
        if head == "{":  # the query shorthand: a bare selection set
            found.append(Operation("query", None))
            at = _skip_group(tokens, at)
            continue
        if head not in OPERATION_TYPES and head != "fragment":
            raise _Unreadable(f"not an executable definition: {head[:40]!r}")
        at += 1
        name = None
        if at < len(tokens) and _is_name(tokens[at]):
            name = tokens[at]
            at += 1
        elif head == "fragment":
            raise _Unreadable("a fragment without a name")
        # variable definitions, `on Type`, directives: everything up to the selection set
        while at < len(tokens) and tokens[at] != "{":
            at = _skip_group(tokens, at) if tokens[at] in _OPEN else at + 1
        if at >= len(tokens):
            raise _Unreadable("a definition without a selection set")
        at = _skip_group(tokens, at)
        found.append(None if head == "fragment" else Operation(head, name))
    return found


_CACHED_LENGTH = 16 * 1024  # the library's own documents, and most callers', are short and reused


def operation_of(document: str, operation_name: str | None = None) -> Operation | None:
    """The operation a server runs for `document` (and `operationName`), or None if that is unclear."""
    if len(document) <= _CACHED_LENGTH:
        return _cached_operation_of(document, operation_name)
    return _operation_of(document, operation_name)


def _operation_of(document: str, operation_name: str | None) -> Operation | None:
    try:
        operations = [op for op in _definitions(_tokens(document)) if op is not None]
    except _Unreadable:
        return None
    if operation_name is not None:
        chosen = [op for op in operations if op.name == operation_name]
        return chosen[0] if len(chosen) == 1 else None
    return operations[0] if len(operations) == 1 else None


_cached_operation_of = functools.lru_cache(maxsize=512)(_operation_of)
