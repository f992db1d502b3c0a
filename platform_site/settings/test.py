"""Settings for the test suite. DATABASE_URL / REDIS_URL come from the environment when set."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .env import env_str

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production-0123456789abcdef"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Everything a test run writes (the SQLite test database, media) lives in one folder per
# run, made by the first process that loads these settings and removed when it exits;
# the worker processes that tests start inherit it through the environment.
if not os.environ.get("CHANJIAO_TEST_RUN_DIR"):
    os.environ["CHANJIAO_TEST_RUN_DIR"] = tempfile.mkdtemp(prefix="chanjiao-test-")
    atexit.register(shutil.rmtree, os.environ["CHANJIAO_TEST_RUN_DIR"], ignore_errors=True)
TEST_RUN_DIR = Path(os.environ["CHANJIAO_TEST_RUN_DIR"])
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", default=str(TEST_RUN_DIR / "media")))
# Unit tests run tasks in process when their transaction commits; the Celery
# integration tests switch this off and talk to a real worker over the broker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
AXES_FAILURE_LIMIT = 5

# A Celery worker started by a test runs in its own process and must reach the same
# test database; an in-memory SQLite database cannot be shared, so use a file.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(TEST_RUN_DIR / "test.sqlite3")}  # noqa: F405

# Serve static files straight from the finders (npm's node_modules included) without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

# Test databases are recreated every run (so row ids repeat) while Redis keeps its keys:
# give each test process its own cache namespace so no run reads an earlier run's entries.
if CACHES["default"]["BACKEND"].endswith("RedisCache"):  # noqa: F405
    import uuid

    CACHES["default"]["KEY_PREFIX"] = f"chanjiao-test-{uuid.uuid4().hex[:12]}"  # noqa: F405
