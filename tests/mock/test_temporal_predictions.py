"""Temporal classifications (answers that carry their own frame ranges) and video masks, as the SDK 7.17
serializes them: accepted on the media Labelbox takes them on, refused elsewhere or when broken, with
the path of what is wrong; and exported frame by frame for a video.

The examples are built with the SDK's own annotation types and serializer (the shapes of its tests
test_temporal.py, test_video.py), not pasted: what the SDK writes is what the mock must take.
"""

from __future__ import annotations

import base64
import copy
import itertools
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.backend import Backend
from mockserver.engines.export_annotations import FeatureIndex as ExportFeatures
from mockserver.engines.export_annotations import v2_video_annotations
from mockserver.engines.prediction_imports import model_run_scope
from mockserver.engines.predictions import PredictionValidator
from mockserver.engines.predictions.placement import TEMPORAL, media_keys_of
from mockserver.state import model_run_rows, models
from mockserver.strategies import PredictionTarget, invalid_predictions, predictions

t = pytest.importorskip("labelbox.types", exc_type=ImportError)
serialization = pytest.importorskip("labelbox.data.serialization", exc_type=ImportError)

# the features of the SDK's temporal tests, nested as they nest them
ONTOLOGY = {
    "name": "temporal",
    "tools": [{"tool": "raster-segmentation", "name": "mask"}, {"tool": "raster-segmentation", "name": "sky"},
              {"tool": "rectangle", "name": "box"}],
    "classifications": [
        {"type": "radio", "name": "speaker", "options": [
            {"value": "user", "classifications": [{"type": "radio", "name": "tone", "options": [
                {"value": "professional", "classifications": [
                    {"type": "radio", "name": "clarity", "options": ["clear", "muffled"]}]},
                "casual"]}]},
            "agent"]},
        {"type": "checklist", "name": "audio_quality", "options": [
            "background_noise", "echo",
            {"value": "quality_check", "classifications": [{"type": "text", "name": "notes_text"}]}]},
        {"type": "text", "name": "transcription"},
    ],
}
KEYS = {"VIDEO": "vid", "AUDIO": "aud", "IMAGE": "img", "TEXT": "txt"}
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def _setup() -> tuple[Any, Any, dict[str, Any], dict[str, PredictionTarget]]:
    backend = Backend()
    org = backend.store.organizations()[0]
    created = backend.seed({
        "ontologies": [ONTOLOGY],
        "datasets": [{"name": "media", "data_rows": [
            {"row_data": f"https://example.com/{key}", "global_key": key, "media_type": media}
            for media, key in KEYS.items()]}],
        "models": [{"name": "m", "ontology": "temporal"}]})
    run = models.create_model_run(org, backend.store.ids, backend.clock, created["models"][0], "run")
    model_run_rows.register_data_rows(org, backend.store.ids, backend.clock, run.id, [], list(KEYS.values()))
    targets = {media: PredictionTarget.from_seed(ONTOLOGY, created["ontologies"][0], media_type=media,
                                                 global_keys=[key]) for media, key in KEYS.items()}
    return org, run, created, targets


ORG, RUN, CREATED, TARGETS = _setup()


def _check(rows: list[Any]) -> Any:
    return PredictionValidator(model_run_scope(ORG, RUN)).check_rows(copy.deepcopy(rows))


def _sdk_rows(key: str, annotations: list[Any]) -> list[dict[str, Any]]:
    label = t.Label(data={"global_key": key}, annotations=annotations)
    rows: list[dict[str, Any]] = json.loads(json.dumps(list(serialization.NDJsonConverter.serialize([label]))))
    return rows


def _answer(name: str, frames: list[tuple[int, int]], nested: list[Any] | None = None) -> Any:
    return t.TemporalClassificationAnswer(name=name, frames=frames, classifications=nested)


def _temporal(first: int) -> list[Any]:
    """Radio, checklist, text and nested temporal classifications, from `first` (0 for audio, 1 for video)."""
    return [
        t.TemporalClassificationQuestion(name="speaker", value=[
            _answer("user", [(first + 200, 1600)], [t.TemporalClassificationQuestion(name="tone", value=[
                _answer("professional", [(1000, 1600)], [t.TemporalClassificationQuestion(
                    name="clarity", value=[_answer("clear", [(1300, 1600)])])])])]),
            _answer("agent", [(1700, 2000)])]),
        t.TemporalClassificationQuestion(name="audio_quality", value=[
            _answer("background_noise", [(first, 1500), (2000, 3000)]), _answer("echo", [(2200, 2900)]),
            _answer("quality_check", [(first + 1, 1500)], [t.TemporalClassificationText(
                name="notes_text", value=[(first + 1, 1500, "Audio quality is excellent")])])]),
        t.TemporalClassificationText(name="transcription", value=[(1000, 1100, "Hello"),
                                                                  (1500, 2400, "How can I help you?")]),
    ]


def _video_masks() -> Any:
    return t.VideoMaskAnnotation(
        frames=[t.MaskFrame(index=1, instance_uri="https://storage.example.com/mask-1.png"),
                t.MaskFrame(index=4, im_bytes=PNG)],
        instances=[t.MaskInstance(color_rgb=(0, 0, 255), name="mask"), t.MaskInstance(color_rgb=(255, 0, 0),
                                                                                      name="sky")])


def _video_text() -> list[Any]:
    """A video's text classification over frames: the SDK writes it as NDVideoText, per-value frames."""
    return [t.VideoClassificationAnnotation(name="transcription", frame=frame, segment_index=segment,
                                            value=t.Text(answer=text))
            for frame, segment, text in ((9, 0, "a hungry cat"), (15, 0, "a hungry cat"), (40, 1, "closer!"))]


# the SDK's serializer writes a mask frame's bytes as base64 text where its model declares bytes
pytestmark = pytest.mark.filterwarnings("ignore:Pydantic serializer warnings:UserWarning")


def test_what_the_sdk_writes_for_video_and_audio_is_accepted_without_uuids() -> None:
    video = _sdk_rows("vid", [*_temporal(1), *_video_text(), _video_masks()])
    audio = _sdk_rows("aud", _temporal(0))
    assert sum("uuid" not in row for row in video + audio) == 7  # temporal rows come without one
    outcome = _check(video + audio)
    assert [s["status"] for s in outcome.statuses] == ["SUCCESS"] * len(video + audio), outcome.errors
    uuids = [s["uuid"] for s in outcome.statuses]
    assert len(set(uuids)) == len(uuids) and all(isinstance(u, str) for u in uuids)
    stored = {p.get("name"): p for _, p in outcome.accepted}
    speaker = stored["speaker"]["answer"]
    assert speaker[0]["schemaId"] == CREATED["ontologies"][0]["options"]["speaker"]["user"]
    assert speaker[0]["classifications"][0]["answer"][0]["classifications"][0]["answer"][0]["name"] == "clear"
    masks = next(p for _, p in outcome.accepted if "masks" in p)["masks"]
    assert [i["schemaId"] for i in masks["instances"]] == [CREATED["ontologies"][0]["features"][n]
                                                           for n in ("mask", "sky")]


def test_a_temporal_row_given_a_uuid_keeps_it() -> None:
    (row, *_) = _sdk_rows("aud", _temporal(0))
    (status,) = _check([{**row, "uuid": "mine"}]).statuses
    assert status["status"] == "SUCCESS" and status["uuid"] == "mine"


@pytest.mark.parametrize("media", ["IMAGE", "TEXT"])
def test_temporal_answers_and_video_masks_are_refused_on_other_media(media: str) -> None:
    key = KEYS[media]
    rows = [*_sdk_rows(key, _temporal(1)), *_sdk_rows(key, [_video_masks()])]
    for status, row in zip(_check(rows).statuses, rows, strict=True):
        assert status["status"] == "FAILURE"
        field = TEMPORAL if "answer" in row else "masks"
        assert status["errors"][0]["message"].startswith(f"{field}: the data row is {media}, which takes no "), status


def test_audio_takes_no_video_masks_and_video_frames_start_at_one() -> None:
    (masks,) = _sdk_rows("aud", [_video_masks()])
    from_zero = _sdk_rows("vid", _temporal(0))[1]  # background_noise from frame 0
    first, second = _check([masks, from_zero]).statuses
    assert first["errors"][0]["message"].startswith("masks: the data row is AUDIO")
    assert second["errors"][0]["message"].startswith("answer[0].frames[0]: start and end are frame numbers, from 1")


def _row(answer: Any, name: str = "speaker", key: str = "aud", **extra: Any) -> dict[str, Any]:
    return {"name": name, "answer": answer, "dataRow": {"globalKey": key}, **extra}


def _a(name: str, *spans: tuple[int, int], **extra: Any) -> dict[str, Any]:
    return {"name": name, "frames": [{"start": s, "end": e} for s, e in spans], **extra}


MASK_FRAME = {"index": 1, "instanceURI": "https://storage.example.com/m.png"}
MASK = {"name": "mask", "colorRGB": [1, 2, 3]}


@pytest.mark.parametrize("row, message", [
    (_row([_a("user", (5, 2))]), "answer[0].frames[0].end: must not be before start"),
    (_row([_a("user", (-1, 2))]), "answer[0].frames[0]: start and end are milliseconds, from 0"),
    (_row([_a("user")]), "answer[0].frames: must be a non-empty list"),
    (_row([_a("user", (1, 5), (5, 9))]), "answer[0].frames[1]: overlaps answer[0].frames[0]"),
    (_row([_a("user", (1, 5)), _a("agent", (4, 9))]), "answer[1].frames: radio 'speaker' holds one option at a time"),
    (_row([_a("user", (1, 5)), _a("user", (7, 9))]), "answer[1]: option 'user' is answered by answer[0] already"),
    (_row([_a("nobody", (1, 5))]), "answer[0].name: 'nobody' is not an option of 'speaker'"),
    (_row([_a("user", (1, 5))], key="vid", frames=[{"start": 1, "end": 2}]),
     "frames: a temporal classification's frame ranges are in each answer"),
    (_row([_a("user", (1, 5))], confidence=0.5), "confidence: a temporal classification takes no confidence"),
    (_row([{"value": "hi", "frames": [{"start": 1, "end": 2}], "classifications": [{"name": "x", "answer": []}]}],
          name="transcription"), "answer[0].classifications[0]: text answer text 'hi' has no nested classification"),
    (_row([{"value": 3, "frames": [{"start": 1, "end": 2}]}], name="transcription"),
     "answer[0].value: a temporal text answer is {value, frames} with a string value"),
    (_row([_a("user", (10, 20), classifications=[{"name": "tone", "answer": [_a("casual", (15, 25))]}])]),
     "answer[0].classifications[0].answer[0].frames[0]: 15-25 is outside the frames of the answer it is nested in"),
    (_row([_a("user", (10, 20), classifications=[{"name": "clarity", "answer": [_a("clear", (15, 16))]}])]),
     "answer[0].classifications[0].name: no nested classification named 'clarity' under option 'user'"),
    (_row([_a("user", (1, 2)), 7]), "answer[1]: a temporal answer is {name or schemaId, frames}"),
    ({"uuid": "m", "dataRow": {"globalKey": "vid"}, "masks": {"frames": [], "instances": [MASK]}},
     "masks.frames: must be a non-empty list"),
    ({"uuid": "m", "dataRow": {"globalKey": "vid"}, "masks": {"frames": [MASK_FRAME, MASK_FRAME], "instances": [MASK]}},
     "masks.frames[1].index: frame 1 is masked already"),
    ({"uuid": "m", "dataRow": {"globalKey": "vid"}, "masks": {"frames": [{"index": 1, "imBytes": "bm90"}],
                                                              "instances": [MASK]}},
     "masks.frames[0].imBytes: must be a base64-encoded PNG image"),
    ({"uuid": "m", "dataRow": {"globalKey": "vid"}, "masks": {"frames": [{"index": 2}], "instances": [MASK]}},
     "masks.frames[0]: give exactly one of instanceURI or imBytes"),
    ({"uuid": "m", "dataRow": {"globalKey": "vid"}, "masks": {"frames": [MASK_FRAME],
                                                              "instances": [{"name": "box", "colorRGB": [1, 2, 3]}]}},
     "masks.instances[0].name: feature 'box' is a rectangle, not a raster-segmentation tool"),
    ({"uuid": "m", "dataRow": {"globalKey": "vid"}, "masks": {"frames": [MASK_FRAME], "instances": [
        MASK, {"name": "sky", "colorRGB": [1, 2, 3]}]}}, "masks.instances[1].colorRGB: [1, 2, 3] is masks.instances[0]"),
    ({"uuid": "m", "dataRow": {"globalKey": "vid"}, "name": "mask", "masks": {"frames": [MASK_FRAME],
                                                                              "instances": [MASK]}},
     "name: a video mask row names its features in masks.instances"),
])
def test_a_broken_temporal_or_mask_row_fails_naming_what_is_wrong(row: dict[str, Any], message: str) -> None:
    (status,) = _check([row]).statuses
    assert status["status"] == "FAILURE"
    assert status["errors"][0]["message"].startswith(message), status["errors"]


# -- properties ------------------------------------------------------------------------------------

_spans = st.lists(st.tuples(st.integers(-2, 30), st.integers(-2, 30)), max_size=3)


def _disjoint(spans: list[tuple[int, int]]) -> bool:
    ordered = sorted(spans)
    return all(after[0] > before[1] for before, after in itertools.pairwise(ordered))


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["AUDIO", "VIDEO"]), st.sampled_from(["speaker", "audio_quality", "transcription"]),
       st.lists(st.tuples(st.sampled_from(["a", "b"]), _spans), min_size=1, max_size=3))
def test_temporal_answers_are_accepted_exactly_when_their_ranges_are_as_the_sdk_writes_them(
        media: str, name: str, drawn: list[tuple[str, list[tuple[int, int]]]]) -> None:
    """An independent reading of the rule: each range ordered and from the media's first frame, one answer's
    ranges disjoint, each option or value once, a radio's options never at the same frame."""
    options = {"speaker": ["user", "agent"], "audio_quality": ["echo", "background_noise"]}.get(name)
    answers = [{("value" if options is None else "name"): (pick if options is None else options[pick == "b"]),
                "frames": [{"start": s, "end": e} for s, e in spans]} for pick, spans in drawn]
    first = 0 if media == "AUDIO" else 1
    every = [span for _, spans in drawn for span in spans]
    valid = (all(spans and _disjoint(spans) for _, spans in drawn)
             and all(first <= s <= e for s, e in every)
             and len({pick for pick, _ in drawn}) == len(drawn)
             and (name != "speaker" or _disjoint(every)))
    (status,) = _check([_row(answers, name=name, key=KEYS[media])]).statuses
    assert status["status"] == ("SUCCESS" if valid else "FAILURE"), (status, answers)
    if not valid:
        assert status["errors"][0]["message"].startswith("answer["), status


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(["AUDIO", "VIDEO"]).flatmap(lambda media: predictions(TARGETS[media])),
       st.sampled_from(sorted(TARGETS)))
def test_any_drawn_temporal_or_mask_row_is_accepted_on_its_media_and_refused_where_it_does_not_belong(
        row: dict[str, Any], other: str) -> None:
    (status,) = _check([row]).statuses
    assert status["status"] == "SUCCESS", status
    foreign = [key for key in media_keys_of(row) if key in ("masks", TEMPORAL) and other not in ("VIDEO", "AUDIO")]
    if foreign:
        (moved,) = _check([{**row, "dataRow": {"globalKey": KEYS[other]}}]).statuses
        assert moved["errors"][0]["message"].startswith(f"{foreign[0]}: the data row is {other}"), moved


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(["AUDIO", "VIDEO"]).flatmap(lambda media: invalid_predictions(TARGETS[media])))
def test_a_drawn_broken_row_fails_naming_the_broken_field(case: tuple[dict[str, Any], str]) -> None:
    row, field = case
    (status,) = _check([row]).statuses
    assert status["status"] == "FAILURE"
    assert status["errors"][0]["message"].startswith(field), (field, status)


# -- export ----------------------------------------------------------------------------------------

def test_a_video_exports_temporal_answers_at_each_frame_they_hold() -> None:
    rows = _sdk_rows("vid", [
        t.TemporalClassificationQuestion(name="speaker", value=[
            _answer("user", [(2, 3)], [t.TemporalClassificationQuestion(name="tone", value=[
                _answer("professional", [(3, 3)])])]),
            _answer("agent", [(5, 5)])]),
        t.TemporalClassificationQuestion(name="audio_quality", value=[_answer("echo", [(2, 2)]),
                                                                     _answer("background_noise", [(2, 3)])]),
        *_video_text(),
        t.ClassificationAnnotation(name="transcription", value=t.Text(answer="whole"), extra={"uuid": "u-whole"}),
    ])
    outcome = _check(rows)
    assert outcome.errors == []
    exported = v2_video_annotations([p for _, p in outcome.accepted], ExportFeatures.of(ORG.ontology(
        CREATED["ontologies"][0]["id"])), "label")
    frames = exported["frames"]
    assert sorted(map(int, frames)) == [2, 3, 5, 9, 10, 11, 12, 13, 14, 15, 40]

    def at(frame: int, name: str) -> dict[str, Any]:
        return next(c for c in frames[str(frame)]["classifications"] if c["name"] == name)

    assert at(2, "speaker")["radio_answer"]["name"] == "user"
    assert at(2, "speaker")["radio_answer"]["classifications"] == []
    assert at(3, "speaker")["radio_answer"]["classifications"][0]["radio_answer"]["name"] == "professional"
    assert at(5, "speaker")["radio_answer"]["name"] == "agent"
    assert [a["name"] for a in at(2, "audio_quality")["checklist_answers"]] == ["echo", "background_noise"]
    assert [a["name"] for a in at(3, "audio_quality")["checklist_answers"]] == ["background_noise"]
    assert at(12, "transcription")["text_answer"] == {"content": "a hungry cat"}
    assert at(40, "transcription")["text_answer"] == {"content": "closer!"}
    assert [c["feature_id"] for c in exported["classifications"]] == ["u-whole"]
    assert all(set(frame) == {"objects", "classifications"} for frame in frames.values())
