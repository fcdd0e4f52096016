"""Attachments of data rows through labelbox_lite: made with the rows or one by one, changed, deleted."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite.exceptions import InvalidQueryError, OperationNotAllowedException, ResourceNotFoundError
from mockserver import MockLabelbox
from mockserver.state import attachments as stored_attachments


def _row(client: lb.Client, name: str = "attached") -> lb.DataRow:
    dataset = client.create_dataset(name=name)
    return dataset.create_data_row(row_data="https://example.com/a.jpg", global_key=f"{name}-row")


def test_attachments_are_made_changed_and_deleted(client: lb.Client) -> None:
    dataset = client.create_dataset(name="att")
    row = dataset.create_data_row(row_data="https://example.com/a.jpg",
                                  attachments=[{"type": "RAW_TEXT", "value": "with the row"}])
    text = row.create_attachment("RAW_TEXT", "a note", "note")
    image = row.create_attachment(lb.AttachmentType.IMAGE, "https://example.com/b.jpg")
    assert (text.attachment_type, text.attachment_value, text.attachment_name) == ("RAW_TEXT", "a note", "note")
    assert image.attachment_name is None and image.attachment_type == "IMAGE"
    listed = row.attachments()
    assert [a.attachment_value for a in listed] == ["with the row", "a note", "https://example.com/b.jpg"]
    assert len({a.uid for a in listed}) == 3

    text.update(name="renamed", type="HTML", value="https://example.com/page.html")
    assert (text.attachment_name, text.attachment_type) == ("renamed", "HTML")
    text.update(value=None, name="again")  # what is not given keeps its value
    assert (text.attachment_value, text.attachment_name) == ("https://example.com/page.html", "again")
    listed[0].delete()
    assert [a.uid for a in row.attachments()] == [text.uid, image.uid]  # ids stay with their attachments
    text.delete()
    image.delete()
    assert row.attachments() == []


@given(items=st.lists(st.tuples(st.sampled_from([t.value for t in lb.AttachmentType]),
                                st.text(min_size=1, max_size=30), st.none() | st.text(max_size=10)),
                      min_size=1, max_size=6),
       doomed=st.sets(st.integers(0, 5)))
def test_what_is_left_is_what_was_not_deleted(mock: MockLabelbox, client: lb.Client,
                                              items: list[tuple[str, str, str | None]], doomed: set[int]) -> None:
    mock.reset()
    row = _row(client)
    made = [row.create_attachment(kind, value, name) for kind, value, name in items]
    for index in sorted(doomed):
        if index < len(made):
            made[index].delete()
    kept = [(a.attachment_type, a.attachment_value, a.attachment_name) for i, a in enumerate(made) if i not in doomed]
    assert [(a.attachment_type, a.attachment_value, a.attachment_name) for a in row.attachments()] == kept
    org = mock.backend.store.organizations()[0]
    assert stored_attachments.usage(org)[0] == len(kept)


def test_bad_attachments_are_refused_and_change_nothing(mock: MockLabelbox, client: lb.Client) -> None:
    row = _row(client)
    kept = row.create_attachment("RAW_TEXT", "value", "name")
    with pytest.raises(ValueError, match="attachment_type must be one of"):
        row.create_attachment("SOME_TYPE", "value")
    with pytest.raises(ValueError, match="non-empty string"):
        row.create_attachment("IMAGE", "")
    with pytest.raises(ValueError, match="At least one"):
        kept.update()
    with pytest.raises(ValueError, match="attachment_type must be one of"):
        kept.update(type="INVALID")
    # the service refuses what reaches it the same way, naming the field
    with pytest.raises(InvalidQueryError, match="value: must be a non-empty string"):
        client.execute("mutation($id: ID!){updateDataRowAttachment(where: {id: $id}, data: {value: \"\"}){id}}",
                       {"id": kept.uid})
    kept.delete()
    with pytest.raises(ResourceNotFoundError):
        kept.delete()


def test_attachments_are_bounded_per_organisation(mock: MockLabelbox, client: lb.Client,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    row = _row(client)
    monkeypatch.setattr(stored_attachments, "ATTACHMENTS_PER_ORG", 2)
    row.create_attachment("RAW_TEXT", "one")
    row.create_attachment("RAW_TEXT", "two")
    with pytest.raises(OperationNotAllowedException, match="at most 2 attachments"):
        row.create_attachment("RAW_TEXT", "three")
    monkeypatch.setattr(stored_attachments, "ATTACHMENT_BYTES_PER_ORG", 10)
    with pytest.raises(OperationNotAllowedException, match="10 bytes"):
        row.attachments()[0].update(value="far longer than ten bytes")
    assert [a.attachment_value for a in row.attachments()] == ["one", "two"]
