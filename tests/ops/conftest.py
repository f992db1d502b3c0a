"""A Celery worker the test controls: started, stopped, or killed with SIGKILL as a
whole (parent and pool children), as an operator or a crash would."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import PROJECT_ROOT, _database_url_for_worker


class Worker:
    def __init__(self, log_dir: Path, env: dict[str, str]):
        self.log_dir, self.env, self.process, self.starts = log_dir, env, None, 0

    @property
    def log(self) -> str:
        return "".join(p.read_text(errors="replace") for p in sorted(self.log_dir.glob("worker-*.log")))

    def start(self, queues: str = "default,inference", concurrency: int = 1) -> None:
        self.starts += 1
        log_path = self.log_dir / f"worker-{self.starts}.log"
        log = open(log_path, "w")  # noqa: SIM115 - the process owns it until it exits
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "platform_site.settings.test",
               "DATABASE_URL": _database_url_for_worker(), "MEDIA_ROOT": str(settings.MEDIA_ROOT),
               "PYTHONUNBUFFERED": "1", **self.env}
        # prefork with its own process group: SIGKILL to the group kills parent and children.
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "platform_site", "worker", "-Q", queues, "--pool=prefork",
             f"--concurrency={concurrency}", "--without-mingle", "--without-gossip", "-l", "INFO",
             "-n", f"ops-{os.getpid()}-{self.starts}@%h"],
            cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.monotonic() + 120
        while "ready." not in log_path.read_text(errors="replace"):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.kill()
                pytest.fail(f"worker did not start:\n{log_path.read_text(errors='replace')[-3000:]}")
            time.sleep(0.2)

    def kill(self) -> None:
        """SIGKILL to the whole worker: no warm shutdown, no message acknowledged or restored."""
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
            self.process = None

    def stop(self) -> None:
        """An operator's stop (SIGTERM: warm shutdown)."""
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.kill()
            self.process = None


@pytest.fixture
def worker(transactional_db, tmp_path, settings):
    """Not started: the test starts, stops and kills it. Jobs beat every second and are
    stale after 4 s, in the worker and in the sweep the test runs."""
    from platform_site.celery import app

    settings.DEEPFAKE_HEARTBEAT_SECONDS = 1
    settings.DEEPFAKE_STALE_SECONDS = 4
    with contextlib.suppress(Exception):  # the filesystem transport cannot purge remotely
        app.control.purge()
    w = Worker(tmp_path, {"DEEPFAKE_HEARTBEAT_SECONDS": "1", "DEEPFAKE_STALE_SECONDS": "4",
                          "WORKER_HEARTBEAT_SECONDS": "1"})
    previous_eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield w
    finally:
        app.conf.task_always_eager = previous_eager
        w.kill()


from tests.deepfake.conftest import faces  # noqa: E402,F401 - the shared faces fixture, for the lab jobs here
