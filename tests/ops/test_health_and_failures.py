"""/healthz, failed background tasks (recorded, told to the user who started them,
listed for school administrators) and worker heartbeats, with a real worker."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse

from accounts.background import current_request
from accounts.models import Notification, Role, TaskFailure, WorkerHeartbeat
from tests.conftest import wait_for

HEALTH_TOKEN = "t0ken-for-monitoring-only"


@pytest.mark.django_db
def test_healthz_fails_while_a_queue_has_no_worker_and_web_scope_passes(client, settings):
    settings.HEALTHZ_TOKEN = HEALTH_TOKEN
    response = client.get("/healthz", headers={"X-Health-Token": HEALTH_TOKEN})
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failing"
    assert body["checks"]["database"]["ok"] and body["checks"]["cache"]["ok"] and body["checks"]["broker"]["ok"]
    assert body["checks"]["workers"]["without_worker"] == ["default", "inference"]
    web = client.get("/healthz?scope=web", headers={"X-Health-Token": HEALTH_TOKEN})
    assert web.status_code == 200 and set(web.json()["checks"]) == {"database", "cache"}


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["", HEALTH_TOKEN])
def test_public_healthz_says_only_ok_or_failing(client, settings, token):
    """Without the token (or with none configured) the answer is the status alone: no
    check names, errors, queues or worker host names. Same status code either way."""
    settings.HEALTHZ_TOKEN = token
    for presented in ("", "wrong", HEALTH_TOKEN[:-1]):
        headers = {"X-Health-Token": presented} if presented else {}
        response = client.get("/healthz", headers=headers)
        assert response.status_code == 503 and response.json() == {"status": "failing"}
        assert client.get("/healthz?scope=web", headers=headers).json() == {"status": "ok"}
    assert client.get("/healthz", headers={"X-Health-Token": ""}).json() == {"status": "failing"}


@pytest.mark.django_db
def test_school_admins_read_the_details_from_the_api(client, make_user):
    client.force_login(make_user(Role.SCHOOL_ADMIN, username="health_admin"))
    body = client.get("/api/v1/health/").json()
    assert body["status"] == "failing" and body["checks"]["workers"]["without_worker"] == ["default", "inference"]
    client.force_login(make_user(Role.TEACHER, username="health_teacher"))
    assert client.get("/api/v1/health/").status_code == 403


@pytest.mark.celery_worker
def test_healthz_sees_a_worker_per_queue_and_a_failed_task_reaches_its_user(worker, make_user, client):
    worker.start()
    wait_for(lambda: WorkerHeartbeat.objects.exists(), timeout=30, message="the worker's heartbeat")
    client.force_login(make_user(Role.SCHOOL_ADMIN, username="health_watcher"))
    body = client.get("/api/v1/health/").json()
    assert body["status"] == "ok", body
    assert client.get("/healthz").json() == {"status": "ok"}
    client.logout()
    assert all(body["checks"]["workers"]["queues"][q] for q in ("default", "inference"))

    # A task published during a user's request fails in the worker: recorded with that user.
    from deepfake.tasks import detection_job_run_task

    student = make_user(Role.STUDENT, username="unlucky")
    token = current_request.set(SimpleNamespace(user=student))  # what TaskOriginMiddleware does per request
    try:
        detection_job_run_task.delay("not-a-job-id")
    finally:
        current_request.reset(token)
    failure = wait_for(lambda: TaskFailure.objects.filter(task_name="deepfake.tasks.detection_job_run_task").first(),
                       timeout=60, message="the failure to be recorded")
    assert failure.user_id == student.pk and "ValueError" in failure.error
    note = Notification.objects.get(recipient=student)
    assert note.params == {"task": "detection_job_run_task"}

    admin = make_user(Role.SCHOOL_ADMIN, username="principal_bg")
    client.force_login(admin)
    page = client.get(reverse("admin_portal:background_tasks")).content.decode()
    assert "detection_job_run_task" in page and "unlucky" in page and 'data-live="1"' in page

    worker.stop()  # a clean stop removes its heartbeat
    assert not WorkerHeartbeat.objects.exists()


@pytest.mark.django_db
def test_background_tasks_page_has_a_fixed_query_count(client, make_user, django_assert_max_num_queries):
    from accounts.background import task_failure_record

    admin = make_user(Role.SCHOOL_ADMIN, username="principal_q")
    for i in range(30):
        task_failure_record(task_name="students.tasks.outlook_train_task", user_id=make_user(username=f"u{i}").pk,
                            error="OperationalError: database is locked", notify=False)
    client.force_login(admin)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("admin_portal:background_tasks"))
    assert response.status_code == 200 and response.content.decode().count("database is locked") == 25
    client.force_login(make_user(Role.TEACHER, username="not_admin"))
    assert client.get(reverse("admin_portal:background_tasks")).status_code == 403
