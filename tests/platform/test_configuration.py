"""Settings, deployment checks, static assets, translations, compose file, demo data."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command

ROOT = Path(settings.BASE_DIR)


def _manage(*args, env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(env_overrides)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_production_settings_pass_deploy_checks():
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING",
        env_overrides={
            "DJANGO_SETTINGS_MODULE": "platform_site.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "chanjiao.example.edu.cn",
            "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/chanjiao"),
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_fail_fast_without_secret_key():
    result = _manage(
        "check",
        env_overrides={"DJANGO_SETTINGS_MODULE": "platform_site.settings.production", "ALLOWED_HOSTS": "x.example"},
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    "asset",
    ["vendor/bootstrap/css/bootstrap.min.css", "vendor/bootstrap/js/bootstrap.bundle.min.js",
     "vendor/htmx/htmx.min.js", "vendor/chartjs/chart.umd.min.js", "vendor/bootstrap-icons/bootstrap-icons.min.css"],
)
def test_front_end_libraries_are_installed_not_committed(asset):
    found = finders.find(asset)
    assert found, f"{asset} missing: run `npm ci` (make install)"
    assert "node_modules" in found
    tracked = subprocess.run(["git", "ls-files", "node_modules", "static/vendor"], cwd=ROOT, capture_output=True, text=True)
    assert tracked.stdout.strip() == ""


def test_templates_load_no_cdn():
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        assert "cdn." not in text and "//unpkg" not in text, template


def test_docker_compose_describes_the_production_shape():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "web", "worker", "worker-inference", "beat"} <= set(services)
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert "-Q" in services["worker"]["command"] and "default" in services["worker"]["command"]
    assert "inference" in services["worker-inference"]["command"]
    # The GPU reservation only behind the "gpu" profile: a host without a GPU still starts.
    assert "deploy" not in services["worker-inference"]
    devices = services["worker-gpu"]["deploy"]["resources"]["reservations"]["devices"]
    assert devices[0]["capabilities"] == ["gpu"] and services["worker-gpu"]["profiles"] == ["gpu"]
    assert "beat" in services["beat"]["command"]
    for name in ("web", "worker", "worker-inference", "worker-gpu", "beat", "migrate"):
        env = services[name]["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "platform_site.settings.production"
        assert env["DATABASE_URL"].startswith("postgres")


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_creates_every_role(capsys):
    from accounts.models import Role, User

    def counts():
        from django.apps import apps

        return {m._meta.label: m.objects.count() for m in apps.get_models()
                if m._meta.app_label in {"accounts", "teachers", "students", "enterprises", "projects",
                                         "evaluations", "deepfake", "admin_portal"}}

    call_command("seed_demo", "--students", "40")
    first = counts()
    call_command("seed_demo", "--students", "40")
    second = counts()
    assert {k: (v, second[k]) for k, v in first.items() if second[k] != v} == {}
    from students.models import StudentProfile

    # the current students asked for, plus the graduated classes of the careers surveys
    current = StudentProfile.objects.exclude(status=StudentProfile.Status.GRADUATED)
    graduates = StudentProfile.objects.filter(status=StudentProfile.Status.GRADUATED)
    assert current.count() == 40 and graduates.exists()
    assert User.objects.filter(role=Role.STUDENT).count() == 40 + graduates.count()
    assert current.values("major").distinct().count() == 2
    assert current.values("intake_year").distinct().count() == 3
    out = capsys.readouterr().out
    for login in ["student_demo", "teacher_demo", "enterprise_demo", "industry_demo", "schooladmin_demo"]:
        user = User.objects.get(username=login)
        assert user.check_password("chanjiao-demo")
        assert login in out


def test_no_migrations_missing():
    result = _manage("makemigrations", "--check", "--dry-run", env_overrides={})
    assert result.returncode == 0, result.stdout + result.stderr


def test_embedded_broker_keeps_all_its_files_under_the_data_folder(tmp_path):
    """With no REDIS_URL the site runs on kombu's filesystem transport. Publishing a task
    must write queue and exchange files under CHANJIAO_DATA_DIR only, never into the
    working directory (kombu's default control folder is ./control)."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    data = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "CELERY_BROKER_URL", "DATABASE_URL"}}
    env.update({"DJANGO_SETTINGS_MODULE": "platform_site.settings.local", "CHANJIAO_DATA_DIR": str(data),
                "PYTHONPATH": str(ROOT)})
    script = (
        "import django; django.setup()\n"
        "from platform_site.celery import app\n"
        "app.send_task('accounts.tasks.notification_email_task', args=[[0]], queue='inference')\n"
        "app.send_task('accounts.tasks.notification_email_task', args=[[0]])\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert list(cwd.iterdir()) == []
    broker = data / "broker"
    assert {p.name for p in (broker / "control").iterdir()} >= {"default.exchange", "inference.exchange"}
    assert len(list((broker / "queue").iterdir())) == 2


def test_chinese_catalogue_is_complete():
    """Every message has a Chinese translation and none is fuzzy (compilemessages skips
    fuzzy entries, so they would show in English to a Chinese user)."""
    po = (ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    problems = []
    for block in po.split("\n\n")[1:]:  # the first block is the header
        lines = [line for line in block.splitlines() if line and not line.startswith("#~")]
        if not any(line.startswith("msgid ") for line in lines):
            continue
        msgid = next(line for line in lines if line.startswith("msgid "))
        if any(line.startswith("#,") and "fuzzy" in line for line in lines):
            problems.append(f"fuzzy: {msgid}")
        strs, current = [], None
        for line in lines:
            if line.startswith("msgstr"):
                current = [line.split(" ", 1)[1]]
                strs.append(current)
            elif line.startswith('"') and current is not None:
                current.append(line)
        if not strs or any("".join(s).replace('"', "") == "" for s in strs):
            problems.append(f"untranslated: {msgid}")
    assert not problems, "\n".join(problems)
