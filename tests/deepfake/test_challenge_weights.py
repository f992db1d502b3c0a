"""Model-weights submissions: the loader refuses malicious pickles, foreign formats and
weights of the wrong shape; the shipped model is scored on a test set of real faces and GAN
faces by the task on the inference queue."""

from __future__ import annotations

import io
import os
import pickle
from pathlib import Path

import pytest
import torch

from accounts.errors import ApplicationError
from accounts.models import Role
from deepfake.challenges import services
from deepfake.challenges.weights import load_checkpoint
from deepfake.ml import architectures
from deepfake.ml.detect import DEFAULT_WEIGHTS
from deepfake.models import Submission

from .challenge_data import as_upload, make_challenge
from .conftest import jpeg_bytes

MARKER = Path("/tmp/chanjiao-pickle-ran")


class Evil:
    def __reduce__(self):
        return (os.system, (f"touch {MARKER}",))


def _saved(obj) -> bytes:
    buffer = io.BytesIO()
    torch.save(obj, buffer)
    return buffer.getvalue()


def test_malicious_pickle_is_refused_without_running():
    MARKER.unlink(missing_ok=True)
    data = _saved({"arch": "small_cnn", "config": {}, "state_dict": Evil()})
    with pytest.raises(ApplicationError, match="Not a plain weights file"):
        load_checkpoint(data)
    assert not MARKER.exists()


def test_a_bare_pickle_and_junk_are_refused():
    with pytest.raises(ApplicationError, match="Not a PyTorch weights file"):
        load_checkpoint(pickle.dumps({"arch": "small_cnn"}))
    with pytest.raises(ApplicationError, match="Not a plain weights file"):
        load_checkpoint(b"PK\x03\x04" + b"\0" * 100)


def test_wrong_shapes_architecture_and_config_are_refused():
    small = architectures.build("small_cnn", width=8).state_dict()
    with pytest.raises(ApplicationError, match="do not fit"):
        load_checkpoint(_saved({"arch": "small_cnn", "config": {"width": 16}, "state_dict": small}))
    with pytest.raises(ApplicationError, match="Unknown architecture"):
        load_checkpoint(_saved({"arch": "resnet", "config": {}, "state_dict": small}))
    with pytest.raises(ApplicationError, match="config.width"):
        load_checkpoint(_saved({"arch": "small_cnn", "config": {"width": 10_000}, "state_dict": small}))
    with pytest.raises(ApplicationError, match="checkpoint"):
        load_checkpoint(_saved([1, 2, 3]))
    model, threshold, size, arch = load_checkpoint(_saved({"arch": "small_cnn", "config": {"width": 8},
                                                           "state_dict": small}))
    assert arch == "small_cnn" and size == 64 and threshold == 0.5


def _faces_zip(faces: Path) -> bytes:
    import zipfile

    buffer = io.BytesIO()
    rows = ["file,label,generator"]
    with zipfile.ZipFile(buffer, "w") as zf:
        for source, generator, n in (("real", "", 12), ("fake_stylegan3", "stylegan3", 6), ("fake_dcgan_celeba", "dcgan", 6)):
            for path in sorted((faces / source).iterdir())[-n:]:
                name = f"{source}/{path.stem}.jpg"
                zf.writestr(name, jpeg_bytes(path))
                rows.append(f"{name},{'real' if source == 'real' else 'fake'},{generator}")
        zf.writestr("labels.csv", "\n".join(rows) + "\n")
    return buffer.getvalue()


def test_shipped_weights_are_scored_on_the_inference_path(faces, make_user, class_of, django_capture_on_commit_callbacks):
    teacher = make_user(Role.TEACHER, username="w_teacher")
    student = make_user(Role.STUDENT, username="w_student")
    school_class = class_of(teacher, student)
    challenge = make_challenge(teacher, school_class, data=_faces_zip(faces), dev_fraction=0.0)
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.submission_create_weights(
            actor=student, phase=challenge.phases.get(), uploaded_file=as_upload("m.pt", DEFAULT_WEIGHTS.read_bytes()))
    submission.refresh_from_db()
    assert submission.status == "scored", submission.error
    # Each half holds only a few faces, so one half alone is noisy (v2's image AUC is ~0.8):
    # both are real AUCs and together they are well above chance.
    assert 0.0 <= submission.public_auc <= 1.0 and 0.0 <= submission.private_auc <= 1.0
    assert (submission.public_auc + submission.private_auc) / 2 > 0.7
    assert set(submission.scores["private"]["per_generator"]) == {"stylegan3", "dcgan"}


def test_bad_weights_submission_leaves_nothing(make_user, class_of):
    teacher = make_user(Role.TEACHER, username="w_teacher2")
    student = make_user(Role.STUDENT, username="w_student2")
    challenge = make_challenge(teacher, class_of(teacher, student))
    with pytest.raises(ApplicationError):
        services.submission_create_weights(actor=student, phase=challenge.phases.get(),
                                           uploaded_file=as_upload("m.pt", _saved({"arch": "small_cnn", "state_dict": Evil()})))
    assert not Submission.objects.exists()
