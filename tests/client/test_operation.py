"""The operation a document runs, as the retry loop reads it: agrees with graphql-core on any valid document.

The oracle is graphql-core's own parser (`get_operation_ast`), which the mock
uses to pick the operation it runs. Documents are drawn with every form the
language allows around the operation keyword: comments, commas, a BOM, block
strings and strings holding braces or `#`, fragments first, several operations.
"""

from __future__ import annotations

import graphql
import pytest
from graphql.utilities import get_operation_ast
from hypothesis import given
from hypothesis import strategies as st

from labelbox_lite.operation import Operation, operation_of

NAMES = st.from_regex(r"[_A-Za-z][_0-9A-Za-z]{0,6}", fullmatch=True)
IGNORED = st.lists(st.sampled_from([" ", "\t", "\n", "\r\n", "\r", ",", "\ufeff", "# mutation { x }\n",
                                    "#}\n", "# \"\n"]), max_size=4).map("".join)
STRINGS = st.sampled_from(['"plain"', '"}"', '"{ mutation"', '"# not a comment"', r'"esc \" }"', '""',
                           '"""block { """', '"""esc \\""" }"""', '"""\n  # }\n"""'])
CONSTANTS = st.one_of(STRINGS, st.sampled_from(["1", "-2.5e3", "true", "null", "ENUM"]))


def _values(scalars: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Scalars, lists and input objects of them, and a list of objects: brackets of every kind, nested."""
    lists = st.lists(scalars, max_size=3).map(lambda items: "[" + " ".join(items) + "]")
    objects = st.lists(st.tuples(NAMES, st.one_of(scalars, lists)), max_size=3).map(
        lambda pairs: "{" + " ".join(f"{key}: {value}" for key, value in pairs) + "}")
    return st.one_of(scalars, lists, objects, st.lists(objects, max_size=2).map(lambda o: "[" + ",".join(o) + "]"))


DEFAULTS = _values(CONSTANTS)  # a variable's default is a constant
VALUES = _values(st.one_of(CONSTANTS, st.just("$v")))


@st.composite
def selections(draw: st.DrawFn, depth: int = 2) -> str:
    fields = []
    for _ in range(draw(st.integers(1, 3))):
        name = draw(NAMES)
        args = draw(st.lists(st.tuples(NAMES, VALUES), max_size=2))
        text = name + ("(" + " ".join(f"{a}: {v}" for a, v in args) + ")" if args else "")
        if draw(st.booleans()):
            text += " @" + draw(NAMES) + f"(if: {draw(VALUES)})"
        if depth and draw(st.booleans()):
            text += " " + draw(selections(depth - 1))
        fields.append(text)
    if draw(st.booleans()):
        fields.append("..." + draw(NAMES))
    gap = draw(IGNORED) or " "
    return "{" + gap + gap.join(fields) + gap + "}"


@st.composite
def operations(draw: st.DrawFn, name: str | None) -> tuple[str, Operation]:
    kind = draw(st.sampled_from(["query", "mutation", "subscription"]))
    variables = draw(st.lists(st.tuples(NAMES, st.sampled_from(["Int", "[ID!]!", "Json"]), DEFAULTS), max_size=2))
    text = kind + draw(IGNORED) + " " + (name or "")
    if variables:
        text += "(" + ", ".join(f"${v}: {t} = {d}" for v, t, d in variables) + ")"
    if draw(st.booleans()):
        text += " @" + draw(NAMES)
    return text + draw(IGNORED) + draw(selections()), Operation(kind, name)


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, str | None]:
    """A document of fragments and operations in any order, and the operationName sent with it (or None)."""
    names = draw(st.lists(NAMES.filter(lambda n: n not in ("query", "mutation", "subscription", "fragment")),
                          min_size=1, max_size=3, unique=True))
    anonymous = len(names) == 1 and draw(st.booleans())
    parts = [draw(operations(None if anonymous else name)) for name in names]
    definitions = [text for text, _ in parts]
    for _ in range(draw(st.integers(0, 2))):
        fragment = f"fragment {draw(NAMES)} on {draw(NAMES)} {draw(selections())}"
        definitions.insert(draw(st.integers(0, len(definitions))), fragment)
    if draw(st.booleans()):
        definitions.insert(0, draw(selections()))  # a shorthand query too: two operations, one anonymous
    document = draw(IGNORED) + draw(IGNORED).join(f"{d}\n" for d in definitions) + draw(IGNORED)
    operation_name = draw(st.one_of(st.none(), st.sampled_from(names), NAMES))
    return document, operation_name


def _graphql_core(document: str, operation_name: str | None) -> Operation | None:
    chosen = get_operation_ast(graphql.parse(document), operation_name)
    if chosen is None:
        return None
    return Operation(chosen.operation.value, chosen.name.value if chosen.name else None)


@given(documents())
def test_the_operation_is_the_one_graphql_core_runs(drawn: tuple[str, str | None]) -> None:
    document, operation_name = drawn
    assert operation_of(document, operation_name) == _graphql_core(document, operation_name)


@given(st.lists(st.one_of(
    st.sampled_from(["query", "mutation", "fragment", "on", "{", "}", "(", ")", "[", "]", "$", ":", "@", "...",
                     "=", "!", "#", "\n", " ", ",", "\ufeff", '"', '"""', "\\", "1", "-", "Q", "M", "x"]),
    st.text(max_size=3)), max_size=25).map("".join), st.one_of(st.none(), st.sampled_from(["Q", "M", "x"])))
def test_a_mutation_is_never_read_as_a_query(text: str, operation_name: str | None) -> None:
    """The safety property, on any text: what the server would run as a mutation is never retried as a query."""
    found = operation_of(text, operation_name)  # never raises, whatever the text
    try:
        actual = _graphql_core(text, operation_name)
    except graphql.GraphQLError:
        return  # the server refuses the document: nothing runs, whatever we thought
    if actual is not None and actual.type != "query":
        assert found is None or found.type == actual.type
    if found is not None:
        assert found == actual


@pytest.mark.parametrize(("document", "operation_name", "expected"), [
    ("mutation M { a }", None, Operation("mutation", "M")),
    ("# query Q { a }\nmutation M { a }", None, Operation("mutation", "M")),
    ("\ufeffmutation M { a }", None, Operation("mutation", "M")),
    (",, \t\r\nmutation M { a }", None, Operation("mutation", "M")),
    ("fragment F on T { x } mutation M { a { ...F } }", None, Operation("mutation", "M")),
    ("query Q { a } mutation M { b }", "M", Operation("mutation", "M")),
    ("query Q { a } mutation M { b }", "Q", Operation("query", "Q")),
    ("query Q { a } mutation M { b }", None, None),  # the server would ask for an operationName
    ("query Q { a }", "M", None),  # an unknown operationName
    ("mutation M { a(s: \"} query Q {\") }", None, Operation("mutation", "M")),
    ("{ a }", None, Operation("query", None)),
    ("mutation($x: In = {a: [1, \"]\"]}) { a(x: $x) }", None, Operation("mutation", None)),
    ("type Query { a: Int }", None, None),
    ("mutation M { a", None, None),
    ("query Q { a ] }", None, None),
    ("", None, None),
])
def test_examples(document: str, operation_name: str | None, expected: Operation | None) -> None:
    assert operation_of(document, operation_name) == expected


def test_a_long_document_is_read_whole_and_not_kept() -> None:
    from labelbox_lite.operation import _cached_operation_of

    padding = "# " + "x" * 40_000 + "\n"
    before = _cached_operation_of.cache_info().currsize
    assert operation_of(padding + "mutation Big { a }") == Operation("mutation", "Big")
    assert _cached_operation_of.cache_info().currsize == before
