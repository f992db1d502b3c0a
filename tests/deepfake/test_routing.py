"""Per-kind models (issue 16): the shipped detector judges video frames with small_cnn_v2 and still
images with its photo model, each with its own threshold; a detector without a companion is one model;
a missing or damaged companion is a one-line error. Real weights, real images and videos."""

from __future__ import annotations

import io
import json
import shutil

import pytest
import torch
from django.core.management import CommandError, call_command
from django.urls import reverse

from deepfake import services
from deepfake.ml import detect as detect_cli
from deepfake.ml.detect import DEFAULT_WEIGHTS, WEIGHTS_DIR
from deepfake.ml.inference import Detector, analyse_path

from .conftest import face_path, jpeg_bytes, make_video, upload

PHOTO_WEIGHTS = WEIGHTS_DIR / "small_cnn_photo_v1.pt"


def _checkpoint(path) -> dict:
    return torch.load(path, map_location="cpu", weights_only=True)


@pytest.fixture(scope="module")
def routed() -> Detector:
    return Detector.from_file(DEFAULT_WEIGHTS, device="cpu")


@pytest.fixture
def image_file(faces, tmp_path):
    path = tmp_path / "face.jpg"
    path.write_bytes(jpeg_bytes(face_path(faces, "fake_stylegan3", 1)))
    return path


@pytest.fixture
def video_file(faces, tmp_path):
    return make_video(tmp_path / "clip.mp4", [face_path(faces, "real", i) for i in range(3)], seconds=1, fps=6)


def _single_model_copy(tmp_path, name: str = "v2copy.pt"):
    """The v2 weights alone in a folder: no metrics file beside them, so no companion."""
    folder = tmp_path / "single"
    folder.mkdir(exist_ok=True)
    return shutil.copy(DEFAULT_WEIGHTS, folder / name)


def test_shipped_metrics_name_the_photo_model_for_images():
    named = json.loads(DEFAULT_WEIGHTS.with_suffix(".json").read_text())["companions"]
    assert named == {"image": PHOTO_WEIGHTS.name} and PHOTO_WEIGHTS.exists()
    assert PHOTO_WEIGHTS.stat().st_size < 2 * 1024 * 1024


def test_image_goes_to_the_photo_model_and_video_to_v2(routed, image_file, video_file):
    photo, v2 = _checkpoint(PHOTO_WEIGHTS), _checkpoint(DEFAULT_WEIGHTS)
    assert set(routed.companions) == {"image"}
    image = analyse_path(image_file, routed)
    video = analyse_path(video_file, routed, frame_count=4)
    assert (image.kind, image.model) == ("image", photo["name"]) == ("image", "small_cnn_photo_v1")
    assert (video.kind, video.model) == ("video", v2["name"]) == ("video", "small_cnn_v2")
    assert image.as_json()["model"] == "small_cnn_photo_v1" and video.as_json()["model"] == "small_cnn_v2"

    # The scores are those of each model on its own: the routing really changes the network.
    photo_alone = Detector.from_file(PHOTO_WEIGHTS, device="cpu")
    v2_alone = Detector.from_file(DEFAULT_WEIGHTS, device="cpu", companions={})
    assert image.score == pytest.approx(analyse_path(image_file, photo_alone).score, abs=1e-6)
    assert image.score != pytest.approx(analyse_path(image_file, v2_alone).score, abs=1e-3)
    assert [f["score"] for f in video.frames] == pytest.approx(
        [f["score"] for f in analyse_path(video_file, v2_alone, frame_count=4).frames], abs=1e-6)


def test_each_kind_is_judged_with_its_models_threshold(routed, image_file, video_file):
    photo, v2 = _checkpoint(PHOTO_WEIGHTS), _checkpoint(DEFAULT_WEIGHTS)
    assert routed.threshold_for("image") == pytest.approx(photo["threshold"])
    assert routed.threshold_for("video") == pytest.approx(v2["video_threshold"])
    assert photo["threshold"] != pytest.approx(v2["threshold"], abs=1e-3)  # else the test proves nothing
    assert analyse_path(image_file, routed).threshold == pytest.approx(photo["threshold"])
    assert analyse_path(video_file, routed, frame_count=3).threshold == pytest.approx(v2["video_threshold"])
    assert routed.verdict(photo["threshold"] + 1e-6, "image") == "fake"
    assert routed.verdict(photo["threshold"] - 1e-6, "image") == "real"


def test_weights_without_a_companion_are_one_model(tmp_path, image_file, video_file):
    v2 = _checkpoint(DEFAULT_WEIGHTS)
    alone = Detector.from_file(_single_model_copy(tmp_path), device="cpu")
    assert alone.companions == {} and alone.for_kind("image") is alone
    image = analyse_path(image_file, alone)
    assert image.model == "small_cnn_v2" and image.threshold == pytest.approx(v2["threshold"])
    assert analyse_path(video_file, alone, frame_count=3).threshold == pytest.approx(v2["video_threshold"])
    # A metrics file that names no companion is the same.
    (tmp_path / "single" / "v2copy.json").write_text(json.dumps({"name": "v2copy", "test": {}}))
    assert Detector.from_file(tmp_path / "single" / "v2copy.pt", device="cpu").companions == {}


@pytest.mark.parametrize("manifest, companion_bytes, message", [
    ({"companions": {"image": "photo.pt"}}, None, "its image model cannot be loaded: .*photo.pt: no such weights file"),
    ({"companions": {"image": "photo.pt"}}, b"PK\x03\x04 not a checkpoint",
     "its image model cannot be loaded: .*photo.pt: not a detector weights file"),
    ({"companions": {"image": "../photo.pt"}}, None, "must be a file name in the same folder"),
    ({"companions": {"audio": "photo.pt"}}, b"", "unknown media kind 'audio'"),
    ({"companions": ["photo.pt"]}, None, "must map a media kind to a weights file name"),
    ("{not json", None, "not a readable metrics file"),
])
def test_a_missing_or_damaged_companion_is_a_one_line_error(tmp_path, manifest, companion_bytes, message):
    weights = _single_model_copy(tmp_path)
    weights.with_suffix(".json").write_text(manifest if isinstance(manifest, str) else json.dumps(manifest))
    if companion_bytes is not None:
        (weights.parent / "photo.pt").write_bytes(companion_bytes)
    with pytest.raises(ValueError, match=message) as exc:
        Detector.from_file(weights, device="cpu")
    assert "\n" not in str(exc.value) and exc.value.__cause__ is None


def test_the_cli_refuses_a_broken_companion_with_exit_2(tmp_path, image_file, capsys):
    weights = _single_model_copy(tmp_path)
    weights.with_suffix(".json").write_text(json.dumps({"companions": {"image": "gone.pt"}}))
    assert detect_cli.main([str(image_file), "--weights", str(weights), "--device", "cpu"]) == detect_cli.EXIT_USAGE
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "gone.pt: no such weights file" in err and len(err.splitlines()) == 1
    with pytest.raises(CommandError) as exc:
        call_command("detect", str(image_file), "--model", str(weights), stdout=io.StringIO())
    assert exc.value.returncode == 2 and "gone.pt" in str(exc.value)


def test_registered_pair_routes_jobs_and_says_which_model_judged(faces, client, student_user, shipped_model,
                                                                 tmp_path):
    photo, v2 = _checkpoint(PHOTO_WEIGHTS), _checkpoint(DEFAULT_WEIGHTS)
    assert shipped_model.label == "small-cnn v3"
    assert shipped_model.threshold == pytest.approx(photo["threshold"])  # the registry's image threshold
    image_info = shipped_model.metrics["companion_models"]["image"]
    assert image_info["name"] == "small_cnn_photo_v1" and image_info["test"]["fake_stylegan3"]["auc"] > 0.5

    def run(content: bytes, name: str, **kwargs):
        media = services.media_upload(actor=student_user, uploaded_file=upload(name, content))
        job = services.detection_job_create(actor=student_user, media=media, **kwargs)
        assert services.detection_job_run(job_id=job.pk) == "done"
        job.refresh_from_db()
        return job

    image_job = run(jpeg_bytes(face_path(faces, "fake_dcgan_celeba", 2)), "face.jpg")
    video = make_video(tmp_path / "v.mp4", [face_path(faces, "real", i) for i in range(3)], seconds=1, fps=6)
    video_job = run(video.read_bytes(), "v.mp4", frame_count=4)
    assert image_job.judged_by == "small-cnn v3: small_cnn_photo_v1"
    assert image_job.threshold == pytest.approx(photo["threshold"])
    assert video_job.judged_by == "small-cnn v3: small_cnn_v2"
    assert video_job.threshold == pytest.approx(v2["video_threshold"])

    client.force_login(student_user)
    body = client.get(reverse("api:deepfake-job-detail", kwargs={"job_id": video_job.pk})).json()
    assert body["model"] == "small-cnn v3" and body["judged_by"] == "small-cnn v3: small_cnn_v2"
    assert body["threshold"] == pytest.approx(v2["video_threshold"])
    page = client.get(reverse("deepfake:job_detail", kwargs={"job_id": image_job.pk})).content.decode()
    assert "small_cnn_photo_v1" in page and f"{photo['threshold']:.3f}" in page

    out = io.StringIO()
    call_command("detect", str(video), str(face_path(faces, "real", 0)), "--json", "--frames", "3", stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["model"] for r in rows] == ["small-cnn v3: small_cnn_v2", "small-cnn v3: small_cnn_photo_v1"]
    assert rows[1]["threshold"] == pytest.approx(photo["threshold"], abs=1e-4)


def test_registering_a_pair_whose_companion_is_missing_is_refused(db, tmp_path):
    from accounts.errors import ApplicationError
    from deepfake.models import DetectorModel
    from deepfake.services.registry import detector_model_register

    from django.utils import translation

    weights = _single_model_copy(tmp_path)
    with translation.override("en"):  # the messages are translated (the default language is Chinese)
        with pytest.raises(ApplicationError, match="gone.pt is missing"):
            detector_model_register(actor=None, name="pair", weights_path=weights,
                                    metrics={"companions": {"image": "gone.pt"}})
        with pytest.raises(ApplicationError, match="beside the main one"):
            detector_model_register(actor=None, name="pair", weights_path=weights,
                                    metrics={"companions": {"image": "/etc/passwd"}})
    assert not DetectorModel.objects.filter(name="pair").exists()
