"""A student sees only their own uploads and jobs; a teacher sees their classes'.
List pages and APIs run a fixed number of queries."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deepfake.models import DetectionJob, Media


def _seed_job(user, model, n: int = 1):
    for _ in range(n):
        media = Media.objects.create(owner=user, kind="image", file="deepfake/uploads/x.jpg", content_type="image/jpeg",
                                     size_bytes=10, width=10, height=10, sha256="0" * 64)
        DetectionJob.objects.create(media=media, detector=model, requested_by=user)


def test_student_sees_only_own_jobs(client, student_user, make_user, teacher_user, class_of, shipped_model):
    other = make_user(username="student2")
    class_of(teacher_user, student_user, other)
    _seed_job(student_user, shipped_model, 2)
    _seed_job(other, shipped_model, 3)
    client.force_login(student_user)
    body = client.get(reverse("api:deepfake-jobs")).json()
    assert body["count"] == 2 and {r["requested_by"] for r in body["results"]} == {"student1"}
    other_job = DetectionJob.objects.filter(requested_by=other).first()
    assert client.get(reverse("api:deepfake-job-detail", kwargs={"job_id": other_job.pk})).status_code == 404
    assert client.get(reverse("deepfake:job_detail", kwargs={"job_id": other_job.pk})).status_code == 404
    assert client.get(reverse("deepfake:media_download", kwargs={"media_id": other_job.media_id})).status_code == 404


def test_teacher_sees_the_jobs_of_their_classes_only(client, student_user, make_user, teacher_user, class_of,
                                                     shipped_model):
    outsider = make_user(username="student3")
    class_of(make_user("teacher", username="teacher9"), outsider)
    class_of(teacher_user, student_user)
    _seed_job(student_user, shipped_model, 2)
    _seed_job(outsider, shipped_model, 1)
    client.force_login(teacher_user)
    page = client.get(reverse("deepfake:class_jobs"))
    assert page.status_code == 200 and len(page.context["page"].object_list) == 2
    assert client.get(reverse("api:deepfake-jobs")).json()["count"] == 2


def test_list_query_counts_do_not_grow_with_rows(client, student_user, teacher_user, class_of, shipped_model):
    class_of(teacher_user, student_user)

    def count(url, user):
        client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    _seed_job(student_user, shipped_model, 1)
    small = {u: count(reverse(u), user) for u, user in [("api:deepfake-jobs", student_user),
                                                          ("deepfake:class_jobs", teacher_user),
                                                          ("deepfake:home", student_user)]}
    _seed_job(student_user, shipped_model, 12)
    large = {u: count(reverse(u), user) for u, user in [("api:deepfake-jobs", student_user),
                                                          ("deepfake:class_jobs", teacher_user),
                                                          ("deepfake:home", student_user)]}
    assert small == large


def test_school_admin_sees_the_lab_but_not_jobs(client, school_admin_user, shipped_model):
    client.force_login(school_admin_user)
    assert client.get(reverse("deepfake:home")).status_code == 200
    assert client.get(reverse("api:deepfake-jobs")).status_code == 403


