"""Project.update(**kwargs) by the SDK's field names: what it changes reads back, what it cannot
change is refused naming it, and a refused update changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite.exceptions import InvalidAttributeError, InvalidQueryError
from labelbox_lite.schema.quality_mode import QualityMode
from mockserver import MockLabelbox

MEDIA = [lb.MediaType.Image, lb.MediaType.Text, lb.MediaType.Video, lb.MediaType.Html]
names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=20).filter(
    str.strip)
changes = st.fixed_dictionaries({}, optional={
    "name": names, "description": st.text(max_size=20), "media_type": st.sampled_from(MEDIA)})


def _state(mock: MockLabelbox, project_id: str) -> dict[str, Any]:
    return next(p for p in mock.backend.dump()["organizations"][0]["projects"].values() if p["id"] == project_id)


@given(change=changes, keep_quality=st.booleans())
def test_an_update_reads_back_as_given(client: lb.Client, change: dict[str, Any], keep_quality: bool) -> None:
    project = client.create_project("before", media_type=lb.MediaType.Image, description="old",
                                    quality_modes={QualityMode.Benchmark})
    try:
        expected = {"name": project.name, "description": project.description, "media_type": project.media_type}
        expected.update(change)
        quality = {"auto_audit_number_of_labels": 1, "auto_audit_percentage": 1.0, "is_benchmark_enabled": True,
                   "is_consensus_enabled": False} if keep_quality else {}  # the current values are accepted
        project.update(**change, **quality)
        for read in (project, client.get_project(project.uid)):
            assert {"name": read.name, "description": read.description, "media_type": read.media_type} == expected
    finally:
        project.delete()


@pytest.mark.parametrize("kwargs, error, named", [
    ({"nickname": "x"}, InvalidAttributeError, r"\['nickname'\] not valid on DB type 'Project'"),
    ({"created_at": None, "name": "x"}, InvalidAttributeError, "created_at cannot be updated"),
    ({"data_row_count": 3}, InvalidAttributeError, "data_row_count cannot be updated"),
    ({"media_type": "IMAGE"}, TypeError, "IMAGE is not a valid media type"),
    ({"media_type": lb.MediaType.Unknown, "name": "x"}, TypeError, "is not a valid media type"),
    ({"name": "  "}, InvalidQueryError, "a project needs a non-empty name"),
    ({"name": "x", "is_consensus_enabled": True}, InvalidQueryError, "isConsensusEnabled: the quality settings"),
    ({"auto_audit_number_of_labels": 3}, InvalidQueryError, "autoAuditNumberOfLabels: the quality settings"),
])
def test_an_update_it_cannot_make_is_refused_and_changes_nothing(client: lb.Client, mock: MockLabelbox,
                                                                 kwargs: dict[str, Any], error: type[Exception],
                                                                 named: str) -> None:
    project = client.create_project("kept", media_type=lb.MediaType.Image, quality_modes={QualityMode.Benchmark})
    before = _state(mock, project.uid)
    with pytest.raises(error, match=named):
        project.update(**kwargs)
    assert _state(mock, project.uid) == before
    assert project.name == "kept"


def test_an_update_of_a_deleted_project_is_not_found(client: lb.Client) -> None:
    project = client.create_project("gone", media_type=lb.MediaType.Image)
    project.delete()
    with pytest.raises(lb.exceptions.ResourceNotFoundError):
        project.update(name="again")
