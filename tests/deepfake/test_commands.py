"""`manage.py detect --json` and `manage.py train_detector`."""

from __future__ import annotations

import io
import json
import shutil

from django.core.management import call_command

from .conftest import face_path, make_video


def test_detect_json_on_files_and_a_directory(faces, tmp_path, shipped_model):
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(face_path(faces, "real", 0), folder / "a.jpg")
    shutil.copy(face_path(faces, "fake_stylegan3", 0), folder / "b.png")
    make_video(folder / "c.mp4", [face_path(faces, "real", i) for i in range(3)], seconds=2, fps=5)
    (tmp_path / "notes.mp4").write_text("not a video")
    out = io.StringIO()
    call_command("detect", str(folder), str(tmp_path / "notes.mp4"), "--json", "--frames", "4", stdout=out,
                 stderr=io.StringIO())
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["kind"] for r in rows] == ["image", "image", "video", None]
    for r in rows[:3]:
        assert set(r) >= {"path", "kind", "faces", "score", "verdict"}
        assert r["faces"] >= 1 and 0.0 <= r["score"] <= 1.0 and r["verdict"] in ("real", "fake")
    assert rows[3]["score"] is None and rows[3]["reason"]
    assert rows[0]["model"] == "small-cnn v1"


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
