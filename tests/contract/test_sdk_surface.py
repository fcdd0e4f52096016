"""labelbox_lite is a drop-in for labelbox 7.17.0 where it has a name, and says so where it has none.

From the SDK's own classes and signatures (tests/contract/surface.py): no argument of an SDK method is
refused; every SDK name labelbox_lite lacks is in docs/porting.md's generated table (rewritten by
`python -m tests.contract.porting_table`); reaching for one raises an error naming it and the table.
"""

from __future__ import annotations

import importlib

import pytest

import labelbox_lite
from labelbox_lite.not_ported import NotPortedAttributeError, NotPortedError, NotPortedImportError
from labelbox_lite.not_ported_names import NOT_PORTED

pytest.importorskip("numpy")  # the comparison reads labelbox.types, which needs the SDK's data extra

from . import porting_table
from .surface import REASONS, SCOPES, compare

LITE_MODULES = {prefix: module for prefix, _sdk, module, _names in SCOPES}


def test_no_argument_the_sdk_takes_is_refused() -> None:
    assert compare().refused == []


def test_the_not_ported_table_and_names_are_current() -> None:
    stale = [str(path.relative_to(porting_table.ROOT)) for path, text in porting_table.expected().items()
             if path.read_text(encoding="utf-8") != text]
    assert not stale, f"run `PYTHONPATH=. python -m tests.contract.porting_table` to rewrite {stale}"


def test_each_row_gives_a_reason() -> None:
    assert NOT_PORTED and set(NOT_PORTED.values()) <= set(REASONS)


def _split(key: str) -> tuple[str, str, str | None]:
    """'types.Point.shapely' -> ('types.', 'Point', 'shapely'); 'Webhook' -> ('', 'Webhook', None)."""
    prefix = next(p for p in sorted(LITE_MODULES, key=len, reverse=True) if key.startswith(p))
    name, _, member = key[len(prefix):].partition(".")
    return prefix, name, member or None


@pytest.mark.parametrize("key", sorted(k for k in NOT_PORTED if _split(k)[2] is None))
def test_importing_a_name_not_ported_names_it(key: str) -> None:
    prefix, name, _ = _split(key)
    module = LITE_MODULES[prefix]
    with pytest.raises(NotPortedImportError) as raised:
        exec(f"from {module.__name__} import {name}", {})
    assert raised.value.sdk_name == key and f"labelbox.{key} is not ported" in str(raised.value)
    assert "docs/porting.md" in str(raised.value) and NOT_PORTED[key] in str(raised.value)
    with pytest.raises(NotPortedError):
        getattr(module, name)


@pytest.mark.parametrize("key", sorted(k for k in NOT_PORTED if _split(k)[2] is not None))
def test_a_member_not_ported_names_itself(key: str) -> None:
    prefix, name, member = _split(key)
    cls = getattr(LITE_MODULES[prefix], name)
    instance = object.__new__(cls)  # no state is needed: the name is looked up before anything is read
    with pytest.raises(NotPortedAttributeError) as raised:
        getattr(instance, member or "")
    assert raised.value.sdk_name == key and "docs/porting.md" in str(raised.value)
    assert not hasattr(instance, member or "")  # still an AttributeError: hasattr and getattr defaults work


def test_a_name_the_sdk_does_not_have_stays_a_plain_attribute_error() -> None:
    with pytest.raises(AttributeError) as raised:
        labelbox_lite.NoSuchName  # noqa: B018
    assert not isinstance(raised.value, NotPortedError)
    client = labelbox_lite.Client(api_key="k", endpoint="http://127.0.0.1:9/graphql")
    with pytest.raises(AttributeError) as raised:
        client.no_such_method  # type: ignore[attr-defined]  # noqa: B018
    assert not isinstance(raised.value, NotPortedError)


def test_the_sdk_module_paths_of_new_names() -> None:
    for module, name in [("labelbox_lite.schema.quality_mode", "QualityMode"),
                         ("labelbox_lite.schema.ontology_kind", "OntologyKind"),
                         ("labelbox_lite.schema.tool_building.types", "FeatureSchemaAttribute"),
                         ("labelbox_lite.schema.data_row_metadata", "DataRowMetadataField"),
                         ("labelbox_lite.data.annotation_types.metrics", "ScalarMetric"),
                         ("labelbox_lite.data.annotation_types.metrics.confusion_matrix", "ConfusionMatrixMetric"),
                         ("labelbox_lite.data.annotation_types.video", "VideoObjectAnnotation"),
                         ("labelbox_lite.data.annotation_types.ner", "DocumentEntity"),
                         ("labelbox_lite.data.annotation_types.geometry", "DocumentRectangle"),
                         ("labelbox_lite.data.annotation_types.data.tiled_image", "EPSG")]:
        sdk_module = module.replace("labelbox_lite", "labelbox", 1)
        assert getattr(importlib.import_module(module), name).__name__ == \
            getattr(importlib.import_module(sdk_module), name).__name__
