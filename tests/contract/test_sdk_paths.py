"""The SDK 7.17.0 has each labelbox_lite public name at the path tests/support/sdk_paths.py gives it
(the labelbox_lite side of each path is checked in tests/client/test_sdk_paths.py)."""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

import pytest

from labelbox_lite import types as lite_types

from ..support.sdk_paths import ANNOTATION_TYPES, MODULE_NAMES, SDK_PATHS, resolve, split


def test_the_sdk_has_each_name_at_that_path() -> None:
    if importlib.util.find_spec("numpy") is None:  # `tox -e bench` installs labelbox without its data extra
        pytest.skip("labelbox.types and its annotation types need the SDK's data extra, which is not installed here")
    absent = []
    for name, path in sorted(SDK_PATHS.items()):
        if path is None:
            continue
        module, qualname = split(name, path)
        try:
            found = importlib.import_module(module) if name in MODULE_NAMES else resolve(module, qualname)
        except (ImportError, AttributeError) as error:
            absent.append(f"{name} at {path}: {error}")
            continue
        assert name in MODULE_NAMES or not isinstance(found, ModuleType), name
    for name in lite_types.__all__:
        try:
            resolve(ANNOTATION_TYPES, name)
        except AttributeError as error:
            absent.append(f"{name} at {ANNOTATION_TYPES}: {error}")
    assert not absent, absent
