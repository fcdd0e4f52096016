"""The public names of labelbox_lite are listed once (`_PUBLIC`); what type checkers see matches that list."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import labelbox_lite as lb

INIT = Path(lb.__file__)


def _type_checking_imports() -> dict[str, str]:
    """name -> module, from the imports under `if TYPE_CHECKING:` in labelbox_lite/__init__.py."""
    tree = ast.parse(INIT.read_text(encoding="utf-8"))
    blocks = [node for node in tree.body if isinstance(node, ast.If) and isinstance(node.test, ast.Name)
              and node.test.id == "TYPE_CHECKING"]
    assert len(blocks) == 1
    found: dict[str, str] = {}
    for statement in blocks[0].body:
        assert isinstance(statement, ast.ImportFrom) and statement.level == 1, ast.dump(statement)
        for alias in statement.names:
            # `X as X` is an explicit re-export: without it mypy --strict users could not see the name
            assert alias.asname == alias.name, f"import {alias.name} as {alias.name}, to re-export it"
            assert alias.name not in found, f"{alias.name} imported twice"
            found[alias.name] = statement.module or alias.name  # `from . import types`: the module itself
    return found


def test_the_type_checking_imports_are_the_registry() -> None:
    assert _type_checking_imports() == lb._PUBLIC


def test_all_and_dir_come_from_the_registry() -> None:
    assert lb.__all__ == sorted([*lb._PUBLIC, "__version__"])
    assert dir(lb) == lb.__all__
    assert not {"Any", "TYPE_CHECKING", "importlib"} & set(dir(lb))


def test_every_registered_name_is_the_object_its_module_defines() -> None:
    for name, module_name in lb._PUBLIC.items():
        module = importlib.import_module(f"labelbox_lite.{module_name}")
        expected = module if name == module_name else getattr(module, name)
        assert getattr(lb, name) is expected, name


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="NoSuchThing"):
        lb.NoSuchThing  # noqa: B018
