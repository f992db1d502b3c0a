"""`manage.py detect --json` and `manage.py train_detector`."""

from __future__ import annotations

import io
import json
import shutil

import pytest
from django.core.management import CommandError, call_command

from .conftest import face_path, make_video


def test_detect_json_on_files_and_a_directory(faces, tmp_path, shipped_model):
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(face_path(faces, "real", 0), folder / "a.jpg")
    shutil.copy(face_path(faces, "fake_stylegan3", 0), folder / "b.png")
    make_video(folder / "c.mp4", [face_path(faces, "real", i) for i in range(3)], seconds=2, fps=5)
    (folder / "d.jpg").write_bytes(b"")  # 0 bytes: an error row, and the run goes on
    (tmp_path / "notes.mp4").write_text("not a video")
    out = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("detect", str(folder), str(tmp_path / "notes.mp4"), str(tmp_path / "missing.png"), "--json",
                     "--frames", "4", stdout=out, stderr=io.StringIO())
    assert exc.value.returncode == 1 and "3 file(s)" in str(exc.value)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["path"].rsplit("/", 1)[-1] for r in rows] == ["a.jpg", "b.png", "c.mp4", "d.jpg", "notes.mp4",
                                                             "missing.png"]
    for r in rows[:3]:
        assert set(r) >= {"path", "kind", "faces", "score", "verdict", "threshold", "frames_analysed",
                          "whole_image_score", "uncertain", "uncertain_reasons"}
        assert r["faces"] >= 1 and 0.0 <= r["score"] <= 1.0 and r["verdict"] in ("real", "fake", "uncertain")
        assert r["uncertain"] == (r["verdict"] == "uncertain")
    assert rows[2]["frames_analysed"] == 4 and len(rows[2]["faces_per_frame"]) == 4
    assert rows[0]["frames_analysed"] == 1 and rows[0]["threshold"] == pytest.approx(shipped_model.threshold, abs=1e-4)
    for r in rows[3:]:
        assert r["verdict"] == "error" and r["score"] is None and r["reason"]
    assert rows[3]["reason"] == "empty file"
    # The shipped detector is a pair: still images judged by its photo model, video frames by small_cnn_v2.
    assert rows[0]["model"] == rows[1]["model"] == f"{shipped_model.label}: small_cnn_photo_v1"
    assert rows[2]["model"] == f"{shipped_model.label}: small_cnn_v2"


def test_detect_human_output_shows_the_same_fields(faces, tmp_path, shipped_model):
    out = io.StringIO()
    call_command("detect", str(face_path(faces, "real", 1)), stdout=out)
    line = out.getvalue().strip()
    assert "p(fake)=" in line and "threshold=" in line and "frames=1" in line and "faces=" in line


@pytest.mark.parametrize("args, message", [
    (["--frames", "0"], "out of range"),
    (["--frames", "-3"], "out of range"),
    (["--device", "tpu"], "use cpu or cuda"),
    (["--model", "no-such-model"], "No registered model"),
])
def test_detect_bad_usage_is_a_one_line_error(db, tmp_path, args, message):
    image = tmp_path / "x.jpg"
    image.write_bytes(b"")
    with pytest.raises(CommandError) as exc:
        call_command("detect", str(image), *args, stdout=io.StringIO(), stderr=io.StringIO())
    assert message in str(exc.value)


def test_detect_exit_codes_from_the_shell(faces, tmp_path):
    """Real exit statuses: 2 for a weights file that is not weights, 1 when a file fails, 0 otherwise."""
    import subprocess
    import sys

    bad_weights = tmp_path / "bad.pt"
    bad_weights.write_bytes(b"PK\x03\x04 not really")
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    good = str(face_path(faces, "real", 2))

    def detect(*args):
        return subprocess.run([sys.executable, "-m", "deepfake.ml.detect", *args], capture_output=True, text=True,
                              timeout=300)

    bad = detect(good, "--weights", str(bad_weights))
    assert bad.returncode == 2 and "not a detector weights file" in bad.stderr and "Traceback" not in bad.stderr
    assert detect(good, "--frames", "0").returncode == 2
    mixed = detect(good, str(empty))
    assert mixed.returncode == 1 and len(mixed.stdout.splitlines()) == 2
    assert detect(good).returncode == 0


def test_train_detector_command_registers_a_model(faces, db):
    from deepfake.models import DetectorModel

    out = io.StringIO()
    call_command("train_detector", "--data", str(faces), "--arch", "spectrum_logreg", "--epochs", "1",
                 "--limit-per-source", "30", "--no-cross-source", "--name", "quick-spectrum", stdout=out,
                 stderr=io.StringIO())
    result = json.loads(out.getvalue())
    assert result["arch"] == "spectrum_logreg" and set(result["test"]) >= {"fake_dcgan_celeba", "fake_stylegan3"}
    model = DetectorModel.objects.get(name="quick-spectrum")
    assert model.version == 1 and model.metrics["mean_spectra"]["real"] and model.roc_curve
