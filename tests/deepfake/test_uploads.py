"""Uploads are checked by content. Each bad input gives a form error or a 4xx JSON
error, and leaves no file and no row behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from deepfake.models import DetectionJob, Media
from deepfake.services import media_upload

from .conftest import face_path, jpeg_bytes, make_video, png_header_bomb, upload, uploaded_files


def _bad_inputs(faces, tmp_path):
    good = jpeg_bytes(face_path(faces, "real", 1))
    long_video = make_video(tmp_path / "long.mp4", [face_path(faces, "real", 0)], seconds=4, fps=5, size=(160, 120))
    return {
        "truncated_jpeg": ("photo.jpg", good[: len(good) // 2]),
        "text_named_mp4": ("clip.mp4", b"this is not a video, just text\n" * 20),
        "zero_bytes": ("empty.jpg", b""),
        "decompression_bomb": ("bomb.png", png_header_bomb(20000, 20000)),
        "overlong_video": ("long.mp4", long_video.read_bytes()),
    }


CASES = ["truncated_jpeg", "text_named_mp4", "zero_bytes", "decompression_bomb", "overlong_video"]


@pytest.fixture
def short_video_limit(settings):
    settings.DEEPFAKE_MAX_VIDEO_SECONDS = 3


@pytest.mark.parametrize("case", CASES)
def test_bad_upload_via_api_is_a_4xx_and_leaves_nothing(case, faces, tmp_path, client, student_user, shipped_model,
                                                        short_video_limit):
    name, content = _bad_inputs(faces, tmp_path)[case]
    client.force_login(student_user)
    before = set(uploaded_files())
    response = client.post(reverse("api:deepfake-jobs"), {"file": upload(name, content)})
    assert 400 <= response.status_code < 500, response.content
    assert response.json()["error"]["message"]
    assert not Media.objects.exists() and not DetectionJob.objects.exists()
    assert set(uploaded_files()) == before


@pytest.mark.parametrize("case", CASES)
def test_bad_upload_via_form_is_a_form_error_and_leaves_nothing(case, faces, tmp_path, client, student_user,
                                                                shipped_model, short_video_limit):
    name, content = _bad_inputs(faces, tmp_path)[case]
    client.force_login(student_user)
    before = set(uploaded_files())
    response = client.post(reverse("deepfake:upload"), {"file": upload(name, content), "aggregation": "mean"})
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not Media.objects.exists() and not DetectionJob.objects.exists()
    assert set(uploaded_files()) == before


def _multipart(filename: str, content: bytes) -> tuple[bytes, str]:
    """A multipart body with the file name exactly as a hostile client would send it."""
    boundary = "chanjiaoboundary"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            f"Content-Type: image/jpeg\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def test_path_traversal_file_name_is_refused(faces, student_user, shipped_model, client, settings):
    from accounts.errors import ApplicationError

    before = set(uploaded_files())
    jpeg = jpeg_bytes(face_path(faces))
    # The service refuses a name that tries to walk the file system.
    with pytest.raises(ApplicationError) as exc:
        media_upload(actor=student_user, uploaded_file=upload("x.jpg", jpeg), original_name="../../../etc/cron.d/evil.jpg")
    assert exc.value.status_code == 400
    client.force_login(student_user)
    # Over HTTP, a name that is only a parent reference leaves no file at all: 400.
    body, content_type = _multipart("..", jpeg)
    response = client.generic("POST", reverse("api:deepfake-jobs"), body, content_type=content_type)
    assert response.status_code == 400
    assert not Media.objects.exists() and set(uploaded_files()) == before
    # Django strips directories from other names before any code sees them; the stored
    # name is the server's own in any case, so nothing can land outside MEDIA_ROOT/deepfake/uploads.
    body, content_type = _multipart("../../../../tmp/chanjiao-evil.jpg", b"not an image")
    response = client.generic("POST", reverse("api:deepfake-jobs"), body, content_type=content_type)
    assert response.status_code == 400
    assert not Media.objects.exists() and set(uploaded_files()) == before
    assert not Path("/tmp/chanjiao-evil.jpg").exists()


def test_good_upload_gets_a_server_name_and_is_served_as_attachment_to_owner_and_teacher(
    faces, client, student_user, teacher_user, make_user, class_of, shipped_model, django_capture_on_commit_callbacks
):
    class_of(teacher_user, student_user)
    client.force_login(student_user)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("api:deepfake-jobs"),
                               {"file": upload("my holiday photo.jpg", jpeg_bytes(face_path(faces)))})
    assert response.status_code == 201, response.content
    media = Media.objects.get()
    assert media.original_name == "my holiday photo.jpg"
    assert "holiday" not in media.file.name and media.file.name.startswith("deepfake/uploads/")
    assert media.kind == "image" and media.content_type == "image/jpeg" and (media.width, media.height) == (160, 160)
    url = reverse("deepfake:media_download", kwargs={"media_id": media.pk})
    for user, expected in [(student_user, 200), (teacher_user, 200), (make_user(username="other_stu"), 404),
                           (make_user("teacher", username="other_teacher"), 404)]:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == expected, user
        if expected == 200:
            assert response["Content-Disposition"].startswith("attachment")
            assert response["X-Content-Type-Options"] == "nosniff"


def test_content_decides_the_kind_not_the_name(faces, student_user, shipped_model):
    media = media_upload(actor=student_user, uploaded_file=upload("video.mp4", jpeg_bytes(face_path(faces))))
    assert media.kind == "image" and media.file.name.endswith(".jpg")
