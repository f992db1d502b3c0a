"""The framework-free core: metrics, spectra, face crops, frame sampling, aggregation."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from deepfake.ml import architectures, metrics
from deepfake.ml.faces import (
    ALIGN_SIZE,
    INPUT_SIZE,
    alignment_matrix,
    crop_face,
    detect_faces,
    load_image_rgb,
    preprocess_face,
    whole_image_box,
)
from deepfake.ml.inference import aggregate, sample_frames, video_info
from deepfake.ml.spectrum import AzimuthalFeatures, azimuthal_average_np, log_spectrum_np, spectrum_of_input

from .conftest import face_path, make_video


def test_auc_matches_the_pairwise_definition():
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 2, 200)
    scores = np.round(rng.random(200) + labels * 0.3, 2)  # rounding makes ties
    pos, neg = scores[labels == 1], scores[labels == 0]
    pairwise = ((pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()) / (len(pos) * len(neg))
    assert metrics.roc_auc(labels, scores) == pytest.approx(pairwise)
    fpr, tpr, _ = metrics.roc_curve(labels, scores)
    assert np.trapezoid(tpr, fpr) == pytest.approx(pairwise)


def test_threshold_calibration_and_log_loss():
    labels = np.array([0, 0, 0, 1, 1, 1])
    probs = np.array([0.1, 0.2, 0.7, 0.8, 0.9, 0.95])
    t = metrics.calibrate_threshold(labels, probs)
    assert 0.7 < t < 0.8
    assert metrics.balanced_accuracy(labels, probs, t) == 1.0
    assert metrics.log_loss([1, 0], [0.5, 0.5]) == pytest.approx(np.log(2))


def test_torch_and_numpy_spectra_agree():
    rng = np.random.default_rng(1)
    x = rng.uniform(-1, 1, (2, 3, INPUT_SIZE, INPUT_SIZE)).astype(np.float32)
    torch_curve = AzimuthalFeatures(INPUT_SIZE)(torch.from_numpy(x)).numpy()
    _, np_curve = spectrum_of_input(x[0])
    assert torch_curve.shape == (2, INPUT_SIZE // 2)
    assert np.allclose(torch_curve[0], np_curve, rtol=1e-3, atol=1e-3)
    flat = np.ones((16, 16))
    assert azimuthal_average_np(log_spectrum_np(flat))[0] > azimuthal_average_np(log_spectrum_np(flat))[3]


@pytest.mark.parametrize("arch", sorted(architectures.ARCHITECTURES))
def test_architectures_give_one_logit_per_face(arch):
    model = architectures.build(arch, input_size=INPUT_SIZE).eval()
    assert model(torch.zeros(5, 3, INPUT_SIZE, INPUT_SIZE)).shape == (5,)


def test_face_found_and_cropped_on_a_shared_face(faces):
    rgb = load_image_rgb(str(face_path(faces, "real", 0)))
    boxes = detect_faces(rgb)
    assert boxes, "YuNet finds the face in a face-centred photo"
    assert len(boxes[0].landmarks) == 5 and boxes[0].score > 0.6
    crop = crop_face(rgb, boxes[0])
    assert crop.shape == (ALIGN_SIZE, ALIGN_SIZE, 3)
    # Aligned: the eyes land on the template's eye line, level, whatever the pose in the photo.
    matrix = alignment_matrix(boxes[0].landmarks)
    eyes = np.array(boxes[0].landmarks[:2]) @ matrix[:, :2].T + matrix[:, 2]
    assert abs(eyes[0][1] - eyes[1][1]) < 2 and eyes[0][0] < eyes[1][0]
    x = preprocess_face(crop)
    assert x.shape == (3, INPUT_SIZE, INPUT_SIZE) and x.dtype == np.float32 and -1 <= x.min() <= x.max() <= 1


def test_no_face_in_a_flat_image():
    rgb = np.full((200, 300, 3), 90, np.uint8)
    assert detect_faces(rgb) == []
    assert whole_image_box(rgb).w == 200


def test_frames_are_sampled_evenly(faces, tmp_path):
    video = make_video(tmp_path / "clip.mp4", [face_path(faces, "real", i) for i in range(4)], seconds=3, fps=10)
    info = video_info(video)
    assert info["frame_count"] == 30 and info["duration_s"] == pytest.approx(3.0)
    frames = sample_frames(video, 7)
    assert [f.index for f in frames] == [0, 5, 10, 14, 19, 24, 29]
    assert len(sample_frames(video, 100)) == 30


def test_aggregation_strategies():
    scores = [0.9, 0.95, 0.5, 0.55, 0.1]
    assert aggregate(scores, "mean") == pytest.approx(np.mean(scores))
    assert aggregate(scores, "confident") == pytest.approx(np.mean([0.9, 0.95, 0.1]))
    assert aggregate([0.5, 0.6], "confident") == pytest.approx(0.55)
    assert aggregate([], "mean") is None


def test_seeking_lands_on_the_same_frames_as_reading_through(tmp_path, monkeypatch):
    import cv2

    from deepfake.ml import inference

    path = tmp_path / "long.mp4"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 25, (160, 120))
    rng = np.random.default_rng(1)
    for i in range(300):  # every frame different: a moving bar over noise
        frame = rng.integers(0, 255, (120, 160, 3), dtype=np.uint8)
        cv2.rectangle(frame, (i % 150, 10), (i % 150 + 8, 110), (255, 255, 255), -1)
        writer.write(frame)
    writer.release()
    seeking = inference.sample_frames(path, 5)  # gaps of ~75 frames: crossed by seeking
    monkeypatch.setattr(inference, "SEEK_MIN_GAP", 10**9)
    reading = inference.sample_frames(path, 5)
    assert [f.index for f in seeking] == [f.index for f in reading] == [0, 75, 150, 224, 299]
    for a, b in zip(seeking, reading, strict=True):
        assert np.array_equal(a.rgb, b.rgb)


def test_the_photo_augmentation_profile_keeps_faces_larger():
    from deepfake.ml import data

    item = data.LoadedSample(crop=np.full((128, 128, 3), 127, dtype=np.uint8), whole_image=False, label=0, source="real")
    rng = np.random.default_rng(0)
    for profile in data.AUGMENT_PROFILES:
        x = data.augmented_input(item, rng, 64, profile)
        assert x.shape == (3, 64, 64) and x.dtype == np.float32
    with pytest.raises(ValueError, match="augmentation profile"):
        from deepfake.ml.train import train_detector

        train_detector("/nonexistent", "/tmp/x", augment="cartoon")
