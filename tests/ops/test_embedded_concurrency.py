"""The web process and a real worker write at the same time (on the SQLite default this
is the "database is locked" case): every write lands, no task fails."""

from __future__ import annotations

import json
import threading
import urllib.request

import pytest
from rest_framework.authtoken.models import Token

from accounts import services
from accounts.models import Notification, Role, TaskFailure
from tests.conftest import wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.slow]


def test_web_and_worker_write_concurrently(worker, live_server, make_user):
    worker.start(queues="default", concurrency=2)
    users = [make_user(Role.STUDENT, username=f"busy{i}", email=f"busy{i}@example.test") for i in range(8)]
    tokens = [Token.objects.create(user=u).key for u in users]
    statuses: list[int] = []

    def web_writes(token: str) -> None:  # the web process: each request is a write
        for i in range(10):
            request = urllib.request.Request(
                f"{live_server.url}/api/v1/me/language/", method="POST",
                data=json.dumps({"language": "en" if i % 2 else "zh-hans"}).encode(),
                headers={"Authorization": f"Token {token}", "Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                statuses.append(response.status)

    threads = [threading.Thread(target=web_writes, args=(t,)) for t in tokens]
    for t in threads:
        t.start()
    for round_ in range(5):  # meanwhile the worker writes: 40 notification e-mails marked sent
        services.notification_send(recipients=users, title=f"Round {round_}")
    for t in threads:
        t.join(timeout=300)

    assert statuses == [200] * 80
    wait_for(lambda: not Notification.objects.filter(emailed_at__isnull=True).exists(), timeout=240,
             message="the worker to send every notification")
    assert Notification.objects.count() == 40
    assert not TaskFailure.objects.exists()
    assert "database is locked" not in worker.log
