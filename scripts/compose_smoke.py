#!/usr/bin/env python3
"""CI smoke test of docker-compose.yml without Docker.

Reads the compose file as an operator would, checks its shape (one-shot migrate before
the app, healthchecks, the GPU worker behind a profile, secrets from .env), then starts
the same commands it names — migrate + register_detector, gunicorn with production
settings, a worker per queue, beat — against this machine's PostgreSQL and Redis and a
local S3 server standing in for MinIO (moto), and runs one detection job and one chart
job end to end over HTTP, as the proxy would forward them (X-Forwarded-Proto: https).

    .venv/bin/python scripts/compose_smoke.py            # DATABASE_URL / REDIS_URL name the servers
Exit status 0 when every step passed. Prints each step's time."""

from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("migrate", "web", "worker", "worker-inference", "beat")
started = time.monotonic()


def step(message: str) -> None:
    print(f"[{time.monotonic() - started:6.1f}s] {message}", flush=True)


def fail(message: str) -> None:
    raise SystemExit(f"compose smoke test FAILED: {message}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- 1. the file, as an operator reads it -------------------------------------------------

def env_example() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip()
    return values


def interpolate(value: str, env: dict[str, str]) -> str:
    def sub(match: re.Match) -> str:
        name, rest = match.group(1), match.group(2) or ""
        if rest.startswith(":-"):
            return env.get(name) or rest[2:]
        if rest.startswith(":?") and not env.get(name):
            fail(f"${{{name}}} is required but .env.example does not set it")
        return env.get(name, "")
    return re.sub(r"\$\{([A-Z0-9_]+)((?::[-?])[^}]*)?\}", sub, str(value)).replace("$$", "$")


def check_shape(compose: dict) -> None:
    services = compose["services"]
    for name in APP_SERVICES + ("postgres", "redis", "minio", "minio-init", "proxy"):
        if name not in services:
            fail(f"no service {name!r}")
    for name in APP_SERVICES:
        if services[name].get("env_file") != ".env":
            fail(f"{name} does not read .env")
    if "migrate" not in " ".join(services["migrate"]["command"]) or "register_detector" not in " ".join(
            services["migrate"]["command"]):
        fail("the migrate service must migrate and register the shipped detector")
    if services["migrate"].get("restart") != "no":
        fail("migrate is one-shot (restart: 'no')")
    for name in ("web", "worker", "worker-inference", "beat"):
        dep = services[name].get("depends_on", {}).get("migrate", {})
        if dep.get("condition") != "service_completed_successfully":
            fail(f"{name} must wait for migrate to complete")
    for name in ("web", "worker", "worker-inference", "postgres", "redis", "minio"):
        if "healthcheck" not in services[name]:
            fail(f"{name} has no healthcheck")
    if services["proxy"]["depends_on"]["web"]["condition"] != "service_healthy":
        fail("the proxy must wait for a healthy web")
    for name, svc in services.items():
        if "deploy" in svc and name != "worker-gpu":
            fail(f"{name} reserves devices; only worker-gpu may")
    if services["worker-gpu"].get("profiles") != ["gpu"]:
        fail("the GPU worker must be behind the 'gpu' profile")
    if "cu" not in services["worker-gpu"]["build"]["args"]["TORCH_INDEX_URL"]:
        fail("the GPU worker must build the CUDA torch")
    queues = {q for name in ("worker", "worker-inference") for q in
              services[name]["command"][services[name]["command"].index("-Q") + 1].split(",")}
    if queues != {"default", "inference"}:
        fail(f"the workers consume {queues}, not both queues")
    dockerfile = (ROOT / "Dockerfile").read_text()
    if not re.search(r"^USER (?!root)\w+", dockerfile, re.M):
        fail("the image runs as root")
    if "whl/cpu" not in dockerfile:
        fail("the default image must install the CPU torch build")
    ignored = set((ROOT / ".dockerignore").read_text().split())
    for path in (".venv", "node_modules", "var", ".git", ".env"):
        if path not in ignored:
            fail(f".dockerignore does not exclude {path}")
    for key in re.findall(r"\$\{([A-Z0-9_]+):\?", (ROOT / "docker-compose.yml").read_text()):
        if key not in env_example():
            fail(f".env.example does not mention {key}")


# --- 2. the same commands, on this machine ------------------------------------------------

class Stack:
    def __init__(self):
        self.processes: list[tuple[str, subprocess.Popen, Path]] = []
        self.tmp = Path(tempfile.mkdtemp(prefix="chanjiao-smoke-"))

    def start(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = self.tmp / f"{name}.log"
        with open(log, "w") as out:
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                       start_new_session=True)
        self.processes.append((name, process, log))
        return process

    def run(self, name: str, command: list[str], env: dict[str, str], timeout: int = 600) -> None:
        process = self.start(name, command, env)
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            code = -1
        if code != 0:
            fail(f"{name} exited with {code}:\n{self.log(name)[-4000:]}")

    def log(self, name: str) -> str:
        return next((log.read_text(errors="replace") for n, _p, log in self.processes if n == name), "")

    def stop(self) -> None:
        for _name, process, _log in reversed(self.processes):
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for _name, process, _log in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)


def fresh_database(url: str) -> None:
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def app_environment(compose: dict, service: str, local: dict[str, str]) -> dict[str, str]:
    example = env_example()
    env = {**os.environ, **example}
    for key, value in (compose["services"][service].get("environment") or {}).items():
        env[key] = interpolate(value, example)
    env.update(local)  # the compose network's hostnames → this machine's servers
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


# --- 3. through HTTP, as the proxy forwards ----------------------------------------------

class Browser:
    """Requests as they arrive from the TLS proxy; cookies kept by hand (they are Secure)."""

    def __init__(self, base: str):
        import requests

        self.requests, self.base, self.cookies = requests, base, {}

    def call(self, method: str, path: str, **kwargs):
        headers = {"X-Forwarded-Proto": "https", "Referer": f"https://{urlsplit(self.base).netloc}{path}",
                   **kwargs.pop("headers", {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = self.requests.request(method, self.base + path, headers=headers, allow_redirects=False,
                                         timeout=60, **kwargs)
        self.cookies.update({c.name: c.value for c in response.cookies})
        return response


def wait_until(predicate, *, timeout: float, what: str, interval: float = 1.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    fail(f"timed out after {timeout:.0f}s waiting for {what}")


def face_jpeg() -> bytes:
    faces = Path(os.environ.get("CHANJIAO_FACES_DIR") or ROOT.parent / "shared" / "data" / "faces") / "real"
    if faces.is_dir():
        first = sorted(faces.iterdir())[0]
        return first.read_bytes()
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (128, 128), (180, 140, 120)).save(buffer, "JPEG")
    return buffer.getvalue()


def main() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    check_shape(compose)
    step("docker-compose.yml: shape checked")

    base_db = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/chanjiao")
    if not base_db.startswith("postgres"):
        fail("set DATABASE_URL to a PostgreSQL server (the smoke test makes its own database beside it)")
    parts = urlsplit(base_db)
    database_url = urlunsplit(parts._replace(path=parts.path + "_smoke"))
    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    fresh_database(database_url)
    step(f"empty database {urlsplit(database_url).path.lstrip('/')}")

    stack = Stack()
    try:
        s3_port, web_port = free_port(), free_port()
        stack.start("minio (moto)", [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(s3_port)],
                    {**os.environ})
        import boto3

        bucket = interpolate(compose["services"]["minio-init"]["environment"]["MEDIA_S3_BUCKET"], env_example())
        s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{s3_port}", aws_access_key_id="smoke",
                          aws_secret_access_key="smoke-secret", region_name="us-east-1")
        wait_until(lambda: _quiet(lambda: s3.list_buckets()), timeout=60, what="the S3 server")
        s3.create_bucket(Bucket=bucket)  # what minio-init does
        step(f"S3 server with bucket {bucket}")

        local = {
            "DATABASE_URL": database_url, "REDIS_URL": redis_url, "MEDIA_S3_ENDPOINT_URL": f"http://127.0.0.1:{s3_port}",
            "MEDIA_S3_ACCESS_KEY_ID": "smoke", "MEDIA_S3_SECRET_ACCESS_KEY": "smoke-secret",
            "MEDIA_ROOT": str(stack.tmp / "media"), "CHANJIAO_DATA_DIR": str(stack.tmp / "data"),
            "ALLOWED_HOSTS": "127.0.0.1,localhost", "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{web_port}",
            "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
            "GUNICORN_BIND": f"127.0.0.1:{web_port}", "GUNICORN_WORKERS": "2", "WORKER_HEARTBEAT_SECONDS": "5",
            "CACHE_KEY_PREFIX": f"smoke-{os.getpid()}", "PYTHONUNBUFFERED": "1",
        }
        env = {name: app_environment(compose, name, local) for name in APP_SERVICES}
        stack.run("migrate", compose["services"]["migrate"]["command"], env["migrate"])
        step("migrate: schema and shipped detector")
        stack.run("seed", [sys.executable, "manage.py", "seed_demo", "--students", "12"], env["migrate"])
        step("demo data for the HTTP checks (seed_demo --students 12)")
        static = stack.tmp / "static"
        stack.run("collectstatic", [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                  {**env["web"], "STATIC_ROOT": str(static)})
        for name in ("web", "worker", "worker-inference", "beat"):
            command = list(compose["services"][name]["command"])
            if name == "beat":
                command[command.index("--schedule") + 1] = str(stack.tmp / "celerybeat-schedule")
            stack.start(name, command, {**env[name], "STATIC_ROOT": str(static)})
        base = f"http://127.0.0.1:{web_port}"
        browser = Browser(base)
        monitor = {"X-Health-Token": env["web"]["HEALTHZ_TOKEN"]}
        health = wait_until(lambda: _quiet(lambda: browser.call("GET", "/healthz").status_code == 200 and
                                                    browser.call("GET", "/healthz", headers=monitor).json()),
                            timeout=180, what="/healthz to pass (database, cache, broker, a worker per queue)")
        if browser.call("GET", "/healthz").json() != {"status": "ok"}:
            fail("the public /healthz must say only ok/failing")
        step(f"web, workers and beat up; /healthz (with the monitoring token): {health['checks']['workers']['queues']}")

        plain = browser.requests.get(base + "/accounts/login/", allow_redirects=False, timeout=30)
        if plain.status_code != 301 or not plain.headers["Location"].startswith("https://"):
            fail(f"plain HTTP straight to gunicorn should redirect to HTTPS, got {plain.status_code}")

        token = browser.call("POST", "/api/v1/auth/token/",
                             data={"username": "student_demo", "password": "chanjiao-demo"}).json()["token"]
        auth = {"Authorization": f"Token {token}"}
        created = browser.call("POST", "/api/v1/deepfake/jobs/", headers=auth,
                               files={"file": ("face.jpg", face_jpeg(), "image/jpeg")})
        if created.status_code != 201:
            fail(f"job creation: {created.status_code} {created.text[:500]}")
        job_id = created.json()["id"]
        job = wait_until(lambda: (lambda j: j if j["status"] in ("done", "failed") else None)(
            browser.call("GET", f"/api/v1/deepfake/jobs/{job_id}/", headers=auth).json()),
            timeout=300, what="the detection job")
        if job["status"] != "done":
            fail(f"detection job failed: {job['error']}\n{stack.log('worker-inference')[-3000:]}")
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
        if not any(k.startswith("deepfake/uploads/") for k in keys) or not any(
                k.startswith(f"deepfake/reports/job-{job_id}/") for k in keys):
            fail(f"the upload and the report are not in object storage: {keys[:20]}")
        step(f"detection job {job_id} done over HTTP (score {job['score']:.2f}); upload and report in S3")

        login = browser.call("GET", "/accounts/login/")
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
        signed_in = browser.call("POST", "/accounts/login/", data={
            "csrfmiddlewaretoken": csrf, "username": "student_demo", "password": "chanjiao-demo"})
        if signed_in.status_code != 302:
            fail(f"login: {signed_in.status_code}")
        page = browser.call("GET", "/students/competences/")
        match = re.search(r"/students/([^/\"]+)/competences/chart/radar/", page.text)
        if page.status_code != 200 or not match:
            fail(f"my competences page: {page.status_code}")
        chart_url = f"/students/{match.group(1)}/competences/radar.png"
        first = browser.call("GET", chart_url).status_code
        chart = wait_until(lambda: (lambda r: r if r.status_code == 200 else None)(browser.call("GET", chart_url)),
                           timeout=180, what="the chart job")
        if not chart.content.startswith(b"\x89PNG"):
            fail("the chart is not a PNG")
        chart_keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix="radar-charts/").get("Contents", [])]
        if not any(k.endswith(".png") for k in chart_keys):
            fail(f"the chart images should be in the bucket, found {chart_keys}")
        local_charts = list((stack.tmp / "media").glob("radar-charts/**/*.png"))
        if local_charts:
            fail(f"chart images written under MEDIA_ROOT instead of the bucket: {local_charts[:3]}")
        step(f"chart job over HTTP: first answer {first}, then a {len(chart.content)}-byte PNG, "
             f"from the bucket ({len(chart_keys)} chart files there)")
        for name in ("web", "worker", "worker-inference", "beat"):
            process = next(p for n, p, _ in stack.processes if n == name)
            if process.poll() is not None:
                fail(f"{name} exited:\n{stack.log(name)[-3000:]}")
        step("compose smoke test passed")
    finally:
        stack.stop()
        with contextlib.suppress(Exception):
            fresh_database(database_url)  # leave an empty database, not a seeded one


def _quiet(fn):
    try:
        return fn()
    except Exception:  # noqa: BLE001 - polling a server that is still starting
        return None


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
