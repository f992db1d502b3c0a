"""The real services the platform stands on: PostgreSQL, Redis, a Celery worker."""

import os

import pytest
from django.db import connection

from accounts import services
from accounts.models import Notification
from tests.conftest import wait_for
from tests.factories import UserFactory


@pytest.mark.django_db
def test_database_vendor_matches_database_url():
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        assert connection.vendor == "postgresql"
    elif os.environ.get("CI") and not os.environ.get("CHANJIAO_EMBEDDED_PASS"):
        pytest.fail("CI must run the suite on PostgreSQL (set DATABASE_URL).")
    else:
        assert connection.vendor == "sqlite"


def test_ci_uses_redis_broker_and_cache(settings):
    if os.environ.get("REDIS_URL"):
        assert settings.CELERY_BROKER_URL.startswith("redis://")
        assert "RedisCache" in settings.CACHES["default"]["BACKEND"]
        from django.core.cache import cache

        cache.set("chanjiao-test-key", "ok", 10)
        assert cache.get("chanjiao-test-key") == "ok"
    elif os.environ.get("CI") and not os.environ.get("CHANJIAO_EMBEDDED_PASS"):
        pytest.fail("CI must run with REDIS_URL set.")
    else:
        assert settings.CELERY_BROKER_URL.startswith("filesystem://")


@pytest.mark.celery_worker
def test_real_worker_delivers_notification_email(celery_worker_process):
    """A service enqueues on commit; a separate worker process picks the task from
    the broker and writes its effect to the (committed) test database."""
    user = UserFactory(email="worker-test@example.test")
    services.notification_send(recipients=[user], title="Worker says hello")  # atomic: commits, then enqueues
    notification = Notification.objects.get(recipient=user)

    def delivered():
        notification.refresh_from_db()
        return notification.emailed_at

    wait_for(delivered, timeout=60, message="the worker to deliver the notification")
    assert "notification_email_task" in celery_worker_process.read_text()


def test_celery_reliability_settings():
    from platform_site.celery import app

    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_soft_time_limit < conf.task_time_limit
    assert {q.name for q in conf.task_queues} == {"default", "inference"}
    # Distinct routing keys: a task routed to one queue must never also land in the other.
    assert {q.routing_key for q in conf.task_queues} == {"default", "inference"}
    if conf.broker_url.startswith("redis://"):
        assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit
