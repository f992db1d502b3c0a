"""`make run` (scripts/run-dev.sh) stops everything it started: on Ctrl-C (SIGINT), on
`kill` of the script, and on `kill` of its parent (`make run` itself)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT, wait_for

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _session_members(sid: int) -> list[int]:
    """Every live process of the session (the script, its children and theirs)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        state, session = fields[0], int(fields[3])
        if session == sid and state != "Z":
            members.append(int(entry.name))
    return members


def _describe(pids: list[int]) -> str:
    """What a process that did not stop was (for the failure message)."""
    rows = []
    for pid in pids:
        try:
            cmd = (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            stat = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
            rows.append(f"{pid} state={stat[0]} ppid={stat[1]} pgid={stat[2]}: {cmd[:120]}")
        except OSError:
            rows.append(f"{pid} (gone)")
    return "; ".join(rows) or "nothing"


def _answers(port: int) -> bool:
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)  # noqa: S310
        return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


@pytest.mark.parametrize("how", ["ctrl-c", "kill-script", "kill-parent"])
def test_run_dev_stops_everything(tmp_path, how):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE",
                                                            "CHANJIAO_TEST_RUN_DIR", "MEDIA_ROOT")}
    env.update({"PY": sys.executable, "PORT": str(port), "CHANJIAO_DATA_DIR": str(tmp_path), "STOP_GRACE_SECONDS": "15"})
    # The parent stands in for make: a shell that waits for the script (as `make run` does).
    pid_file = tmp_path / "script.pid"
    env["PID_FILE"] = str(pid_file)
    # (Run in the foreground, as make runs it: a background job would start with SIGINT ignored.)
    parent = subprocess.Popen(["bash", "-c", """bash -c 'echo $$ > "$PID_FILE"; exec bash scripts/run-dev.sh'; :"""],
                              cwd=PROJECT_ROOT, env=env, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sid = parent.pid
    try:
        wait_for(lambda: _answers(port), timeout=120, message="the development server")
        wait_for(lambda: "ready." in (tmp_path / "log" / "celery-worker.log").read_text(errors="replace")
                 if (tmp_path / "log" / "celery-worker.log").exists() else False,
                 timeout=120, message="the worker")
        started = _session_members(sid)
        assert len(started) >= 5  # parent, script, runserver (+ its reloader child), worker (+ pool children)
        script_pid = int(pid_file.read_text())
        if how == "ctrl-c":  # the terminal sends SIGINT to its foreground process group
            os.killpg(sid, signal.SIGINT)
        elif how == "kill-script":
            os.kill(script_pid, signal.SIGTERM)
        else:
            os.kill(parent.pid, signal.SIGKILL)
            parent.wait(timeout=10)  # reaped, as a shell reaps a killed `make`
        try:
            wait_for(lambda: not _session_members(sid), timeout=120, interval=0.5,
                     message=f"every process to stop after {how}")
        except pytest.fail.Exception as exc:
            pytest.fail(f"{exc}; still running: {_describe(_session_members(sid))}")
        assert not _answers(port)
    finally:
        for pid in _session_members(sid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if parent.poll() is None:
            parent.wait(timeout=10)
