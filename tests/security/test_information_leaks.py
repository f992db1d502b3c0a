"""Information a student should not get (issue 17 §4 "Info")."""

from __future__ import annotations

import json

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_model_registry_shows_students_no_server_paths_or_library_versions(client, student_user, teacher_user,
                                                                           shipped_model):
    shipped_model.metrics = {**shipped_model.metrics, "data_dir": str(settings.BASE_DIR / "var" / "faces")}
    shipped_model.training_summary = {**shipped_model.training_summary, "data_dir": "/srv/chanjiao/faces",
                                      "command": "python manage.py train_detector --data /srv/chanjiao/faces"}
    shipped_model.save()
    client.force_login(student_user)
    response = client.get("/api/v1/deepfake/models/")
    assert response.status_code == 200
    text = json.dumps(response.json())
    for leak in ("data_dir", "/srv/chanjiao", str(settings.BASE_DIR), "torch", "python", "command"):
        assert leak not in text, leak
    model = response.json()[0] if isinstance(response.json(), list) else response.json()["results"][0]
    assert "test" in model["metrics"]  # the evaluation is still there
    # Those who train models keep the build details.
    client.force_login(teacher_user)
    assert "data_dir" in json.dumps(client.get("/api/v1/deepfake/models/").json())
