"""Student experiments: trained on the challenge's dev split by the task, one at a time per
student, compared on the list page, submitted to the challenge as weights."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.errors import ApplicationError
from accounts.models import Role
from deepfake.challenges import experiments
from deepfake.models import Experiment, Submission

from .challenge_data import labelled_zip, make_challenge


@pytest.fixture
def setup(make_user, class_of):
    teacher = make_user(Role.TEACHER, username="ex_teacher")
    student = make_user(Role.STUDENT, username="ex_student")
    challenge = make_challenge(teacher, class_of(teacher, student), data=labelled_zip(20, {"sg3": 10, "dc": 10}),
                               dev_fraction=0.5)
    return teacher, student, challenge


def test_experiment_trains_on_the_dev_split_and_is_submitted(setup, client, django_capture_on_commit_callbacks):
    teacher, student, challenge = setup
    with django_capture_on_commit_callbacks(execute=True):
        experiment = experiments.experiment_start(actor=student, challenge=challenge, arch="spectrum_logreg", epochs=1)
    experiment.refresh_from_db()
    assert experiment.status == "done", experiment.error
    assert set(experiment.metrics["test"]) >= {"pooled", "fake_sg3", "fake_dc"}
    assert experiment.metrics["history"] and experiment.weights_file and experiment.roc_curve
    client.force_login(student)
    page = client.get(reverse("deepfake:experiment_list")).content.decode()
    assert 'id="experiment-table"' in page and "<polyline" in page
    assert client.get(reverse("deepfake:experiment_roc", args=[experiment.pk]))["Content-Type"] == "image/png"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("deepfake:experiment_submit", args=[experiment.pk]))
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.kind == "weights" and submission.status == "scored", submission.error
    assert submission.public_auc is not None
    client.force_login(teacher)
    assert client.get(reverse("deepfake:experiment_detail", args=[experiment.pk])).status_code == 200


def test_one_active_experiment_per_student_and_bad_input(setup):
    _, student, challenge = setup
    Experiment.objects.create(student=student, challenge=challenge, arch="small_cnn", epochs=1, status="running")
    with pytest.raises(ApplicationError) as exc:
        experiments.experiment_start(actor=student, challenge=challenge, arch="small_cnn", epochs=1)
    assert exc.value.code == "experiment_running"
    with pytest.raises(ApplicationError, match="Epochs"):
        experiments.experiment_start(actor=student, challenge=challenge, arch="small_cnn", epochs=99)
    with pytest.raises(ApplicationError, match="architectures"):
        experiments.experiment_start(actor=student, challenge=challenge, arch="resnet", epochs=1)
    assert Experiment.objects.count() == 1


def test_outsiders_cannot_experiment(setup, make_user):
    _, _, challenge = setup
    with pytest.raises(ApplicationError):
        experiments.experiment_start(actor=make_user(Role.STUDENT, username="ex_out"), challenge=challenge,
                                     arch="small_cnn", epochs=1)


def test_experiment_list_page_and_api_do_not_grow_with_rows(setup, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    teacher, student, challenge = setup

    def counts():
        out = []
        for url in (reverse("deepfake:experiment_list"), reverse("api:deepfake-experiments")):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    metrics = {"history": [{"epoch": 1, "train_loss": 0.6, "val_auc_min_source": 0.7}],
               "test": {"pooled": {"auc": 0.7}, "fake_sg3": {"auc": 0.6}}}
    Experiment.objects.create(student=student, challenge=challenge, arch="small_cnn", epochs=1, status="done",
                              metrics=metrics)
    client.force_login(student)
    before = counts()
    for _ in range(3):
        Experiment.objects.create(student=student, challenge=challenge, arch="small_cnn", epochs=2, status="done",
                                  metrics=metrics)
    assert counts() == before
    client.force_login(teacher)
    assert client.get(reverse("deepfake:experiment_list")).status_code == 200
