"""Every public name of labelbox_lite, next to the SDK path scripts import it from; both must import.

The names come from the package's public-name registry (`_PUBLIC`, which `__all__` lists), so a name added later without
an entry here fails `test_every_public_name_has_an_sdk_path` until someone writes down its path. That the SDK
has each name at its path is checked where the SDK is installed: tests/contract/test_sdk_paths.py.
"""

from __future__ import annotations

import importlib
import importlib.util

import pytest

import labelbox_lite as lb
from labelbox_lite import types as lite_types

from ..support.sdk_paths import ANNOTATION_TYPES, MODULE_NAMES, SDK_PATHS, lite_module, public_names, resolve, split


def test_every_public_name_has_an_sdk_path() -> None:
    missing = sorted(set(public_names()) - set(SDK_PATHS))
    assert not missing, f"public names without an SDK path entry in {__name__}.SDK_PATHS: {missing}"
    stale = sorted(set(SDK_PATHS) - set(public_names()))
    assert not stale, f"SDK_PATHS names that labelbox_lite no longer has: {stale}"


@pytest.mark.parametrize("name", sorted(n for n, p in SDK_PATHS.items() if p is not None))
def test_each_name_imports_from_the_sdk_path_in_labelbox_lite(name: str) -> None:
    module, qualname = split(name, SDK_PATHS[name] or "")
    ours = getattr(lb, name)
    if name in MODULE_NAMES:
        assert importlib.import_module(lite_module(module)) is ours
    else:
        assert resolve(lite_module(module), qualname) is ours


@pytest.mark.parametrize("name", lite_types.__all__)
def test_annotation_types_import_from_the_sdk_path(name: str) -> None:
    assert resolve(lite_module(ANNOTATION_TYPES), name) is getattr(lite_types, name)


def test_the_sdk_paths_cost_nothing_at_import() -> None:
    import json
    import subprocess
    import sys

    code = ("import json, sys\nimport labelbox_lite\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('labelbox_lite.schema', "
            "'labelbox_lite.data')))))\n")
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert json.loads(completed.stdout) == []
