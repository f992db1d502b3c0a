"""Settings shared by every environment. Environment-specific modules import * from here."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _
from kombu import Exchange, Queue

from .env import env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Writable state for the embedded defaults (SQLite file, filesystem broker, media).
DATA_DIR = Path(env_str("CHANJIAO_DATA_DIR", default=str(BASE_DIR / "var")))
NODE_MODULES = Path(env_str("CHANJIAO_NODE_MODULES", default=str(BASE_DIR / "node_modules")))

SECRET_KEY = env_str("SECRET_KEY", default="")  # each environment module decides its own fallback
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    # Project apps, in dependency order (an app may import only those above it).
    "accounts",
    "teachers",
    "students",
    "enterprises",
    "projects",
    "evaluations",
    "deepfake",
    "admin_portal",
]

MIDDLEWARE = [
    "accounts.health.HealthCheckMiddleware",  # /healthz: before host checks and the HTTPS redirect
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the body: refuse oversize bodies and NUL characters (400/413 with a reason).
    "platform_site.security.RequestBodyLimitMiddleware",
    "platform_site.security.NulByteMiddleware",
    "platform_site.security.ContentSecurityPolicyMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "accounts.background.TaskOriginMiddleware",  # tasks published by a request know its user
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "platform_site.urls"
WSGI_APPLICATION = "platform_site.wsgi.application"
ASGI_APPLICATION = "platform_site.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "platform_site.context_processors.shell",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", default=60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded default is shared by the web process and a worker: WAL lets readers
    # run beside a writer, the busy timeout makes a writer wait instead of failing with
    # "database is locked", and IMMEDIATE transactions take the write lock at BEGIN (a
    # read-then-write transaction cannot deadlock against another one).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT_SECONDS", default=30),
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "accounts.login_throttle.LoginThrottleBackend",
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:landing"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (accounts/login_throttle.py). django-axes: after AXES_FAILURE_LIMIT
# wrong passwords for one username FROM ONE ADDRESS, that pair is locked for
# AXES_COOLOFF_TIME hours (a stranger elsewhere cannot lock someone's account).
# Per address: after LOGIN_IP_FAILURE_LIMIT failures of any usernames within
# LOGIN_IP_WINDOW_MINUTES the address is refused (password spraying); the limit is
# high because a whole campus shares a few NAT addresses.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", default=15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
LOGIN_IP_FAILURE_LIMIT = env_int("LOGIN_IP_FAILURE_LIMIT", default=30)
LOGIN_IP_WINDOW_MINUTES = env_int("LOGIN_IP_WINDOW_MINUTES", default=15)
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Internationalisation: Simplified Chinese first, English second; per user.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
# Front-end libraries come from npm at install time (package.json); they are
# exposed under static/vendor/<name>/ without copying them into the repository.
_VENDOR_DIRS = {
    "vendor/bootstrap": NODE_MODULES / "bootstrap" / "dist",
    "vendor/bootstrap-icons": NODE_MODULES / "bootstrap-icons" / "font",
    "vendor/htmx": NODE_MODULES / "htmx.org" / "dist",
    "vendor/chartjs": NODE_MODULES / "chart.js" / "dist",
}
STATICFILES_DIRS = [BASE_DIR / "static"] + [
    (prefix, path) for prefix, path in _VENDOR_DIRS.items() if path.is_dir()
]
# Media: the filesystem (MEDIA_ROOT) by default; S3-compatible object storage (MinIO, AWS,
# any S3 API) when MEDIA_S3_BUCKET is set, so web and workers on several machines share
# uploads, reports and model weights. Files are never public: views stream them after
# their access checks, so no ACL and no public URL is needed.
MEDIA_S3_BUCKET = env_str("MEDIA_S3_BUCKET", default="")
if MEDIA_S3_BUCKET:
    MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": env_str("MEDIA_S3_ENDPOINT_URL", default="") or None,
            "region_name": env_str("MEDIA_S3_REGION", default="us-east-1"),
            "access_key": env_str("MEDIA_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env_str("MEDIA_S3_SECRET_ACCESS_KEY", default="") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            "addressing_style": env_str("MEDIA_S3_ADDRESSING_STYLE", default="path"),
        },
    }
else:
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", default=str(DATA_DIR / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Form fields and JSON bodies (files excluded); no form of the site comes near it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 5
# Whole request bodies, checked from Content-Length before Django reads them
# (platform_site.security). The upload endpoints get their file limit plus 1 MB of
# multipart overhead; the proxy (deploy/nginx.conf) enforces the largest of them.
REQUEST_BODY_DEFAULT_LIMIT = DATA_UPLOAD_MAX_MEMORY_SIZE
REQUEST_BODY_LIMITS = [
    (r"^/deepfake/upload/$", env_int("DEEPFAKE_MAX_UPLOAD_BYTES", default=50 * 1024 * 1024) + 1024 * 1024),
    (r"^/api/v1/deepfake/jobs/$", env_int("DEEPFAKE_MAX_UPLOAD_BYTES", default=50 * 1024 * 1024) + 1024 * 1024),
    (r"^/teachers/offerings/\d+/gradebook/import/$", 10 * 1024 * 1024 + 1024 * 1024),
    (r"^/students/competitions/entries/new/$", 5 * 1024 * 1024 + 1024 * 1024),
]
# One policy for every page. No inline scripts anywhere; the two `onchange="this.form.submit()"`
# selects are allowed by their hash; Bootstrap and htmx set inline styles.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self' 'unsafe-hashes' 'sha256-osjxnKEPL/pQJbFk1dKsF7PYFmTyMWGmVSiL9inhxJY='",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data: blob:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

# Cache: Redis when REDIS_URL is set, process-local memory otherwise.
REDIS_URL = env_str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", default="chanjiao"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", default="Chanjiao <noreply@chanjiao.local>")

# --- Django REST framework -------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first so an unauthenticated request gets 401 with a WWW-Authenticate header.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "platform_site.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "platform_site.schema.AutoSchema",
    "EXCEPTION_HANDLER": "platform_site.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Chanjiao API",
    "DESCRIPTION": "Industry–education integration platform for vocational colleges.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Many models have a "kind": each choice set gets its own schema name.
    "ENUM_NAME_OVERRIDES": {
        "SelectionRoundKindEnum": "projects.cohort_models.SelectionRound.Kind",
        "MediaKindEnum": "deepfake.models.Media.Kind",
        "ChallengeSubmissionKindEnum": "deepfake.challenges.models.Submission.Kind",
        "PostingKindEnum": "enterprises.models.Posting.Kind",
        "PortfolioItemKindEnum": "enterprises.models.PortfolioItem.Kind",
        "SupervisionTaskEventKindEnum": "teachers.supervision.models.TaskEvent.Kind",
        "ResourceKindEnum": "teachers.resources.models.Resource.Kind",
        "CourseKindEnum": "teachers.models.Course.Kind",
        "OrganizationKindEnum": "accounts.models.Organization.Kind",
        "PracticeActivityKindEnum": "evaluations.models.PracticeActivity.Kind",
        "ResumeSectionEnum": "students.resume.models.ResumeSection",
    },
}

# --- Celery ------------------------------------------------------------------
# Production: Redis. Embedded default: kombu's filesystem transport, no server.
# (filesystem://localhost/: the transport ignores the host, but kombu warns when there is none)
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://localhost/")
CELERY_USES_FILESYSTEM_BROKER = CELERY_BROKER_URL.startswith("filesystem://")
# Hard limit for the longest job (training); the Redis visibility timeout must exceed
# it, or a still-running task would be redelivered to a second worker.
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", default=1800)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", default=2100)
if CELERY_USES_FILESYSTEM_BROKER:
    _broker_dir = Path(env_str("CELERY_BROKER_DIR", default=str(DATA_DIR / "broker")))
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # exchange -> queue bindings; kombu's default is ./control in the working directory
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 1500}
CELERY_TASK_DEFAULT_QUEUE = "default"
# Each queue has its own exchange and routing key, so a message goes to exactly one queue.
CELERY_TASK_QUEUES = (
    Queue("default", Exchange("default", type="direct"), routing_key="default"),
    Queue("inference", Exchange("inference", type="direct"), routing_key="inference"),
)
CELERY_TASK_DEFAULT_EXCHANGE = "default"
CELERY_TASK_DEFAULT_ROUTING_KEY = "default"
# An exact name wins over a pattern: the sweep is light work for the default queue.
CELERY_TASK_ROUTES = {"deepfake.tasks.jobs_sweep_task": {"queue": "default"}, "deepfake.tasks.*": {"queue": "inference"}}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True  # job state lives in the database, set by services
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The filesystem transport has no fanout exchange for remote control.
CELERY_WORKER_ENABLE_REMOTE_CONTROL = not CELERY_USES_FILESYSTEM_BROKER
CELERY_WORKER_SEND_TASK_EVENTS = False
# Run `celery -A platform_site beat` beside the workers in production.
CELERY_BEAT_SCHEDULE: dict = {
    # Stars of skills and tier snapshots for every term that has ended (idempotent per term).
    "growth-stars-of-skills": {"task": "students.stars.tasks.stars_select_due_task", "schedule": 6 * 3600},
    "growth-tiers": {"task": "students.rankings.tasks.tiers_assign_due_task", "schedule": 6 * 3600},
    # The employment outlook is retrained weekly on the alumni records.
    "growth-outlook-retrain": {"task": "students.outlook.tasks.outlook_train_task", "schedule": 7 * 24 * 3600},
    # Grants and radar recomputes refresh the rank table themselves (debounced); the
    # hourly full refresh picks up new or moved students.
    "growth-rankings-refresh": {"task": "students.rankings.tasks.rankings_refresh_all_task", "schedule": 3600},
    # The radar of every ended term is frozen once (the history shows what students saw then).
    "radar-terms-close": {"task": "students.radar.tasks.radar_terms_close_task", "schedule": 6 * 3600},
    # The per-cohort attainment sums behind school figures, rebuilt from scratch once a day
    # (kept in step by the radar services; this repairs a write that went around them).
    "radar-cohort-sums-rebuild": {"task": "students.radar.tasks.radar_cohort_sums_rebuild_task", "schedule": 24 * 3600},
    # Lab jobs whose worker was lost are re-queued or failed; jobs stuck in queued are re-sent.
    "deepfake-jobs-sweep": {"task": "deepfake.tasks.jobs_sweep_task", "schedule": env_int("DEEPFAKE_SWEEP_SECONDS", default=60)},
    # Talent market: published postings past their deadline become expired.
    "market-postings-expire": {"task": "enterprises.tasks.postings_expire_due_task", "schedule": 3600},
    # Careers: open the survey rounds due (graduation, +6 months, +1 and +3 years) and notify graduates.
    "careers-survey-rounds": {"task": "enterprises.careers.tasks.survey_rounds_open_due_task", "schedule": 6 * 3600},
    # Evaluations: finalise at the deadline, remind 48 h before, reward when the appeal window closes.
    "evaluations-finalise-due": {"task": "evaluations.tasks.rounds_finalise_due_task", "schedule": 300},
    "evaluations-remind-due": {"task": "evaluations.tasks.rounds_remind_due_task", "schedule": 3600},
    "evaluations-rewards-due": {"task": "evaluations.tasks.rewards_grant_due_task", "schedule": 3600},
    # Overdue rectification tasks of the teaching-quality loop escalate to school administrators.
    "teachers-supervision-escalate": {"task": "teachers.tasks.supervision_escalate_overdue_task", "schedule": 3600},
    # Big gradebook imports whose worker was lost are re-queued or failed (teachers.gradebook_jobs).
    "teachers-gradebook-imports-sweep": {"task": "teachers.tasks.gradebook_imports_sweep_task",
                                         "schedule": env_int("GRADEBOOK_IMPORT_SWEEP_SECONDS", default=60)},
    # The school dashboard's figures of the year are recomputed into the cache before they expire
    # (DASHBOARD_CACHE_SECONDS), so that administrators rarely wait for a cold computation.
    "dashboard-figures-warm": {"task": "admin_portal.tasks.dashboard_figures_warm_task",
                               "schedule": env_int("DASHBOARD_WARM_SECONDS", default=240)},
}
# Seconds the dashboard's figures stay cached (one entry per language, figure, scope and grouping).
DASHBOARD_CACHE_SECONDS = env_int("DASHBOARD_CACHE_SECONDS", default=300)
# Figures missing from the cache are computed on this many database connections at once
# (PostgreSQL only; 1: one after another). Each connection runs one GROUP BY at a time.
DASHBOARD_QUERY_WORKERS = env_int("DASHBOARD_QUERY_WORKERS", default=4)
# Every worker writes a heartbeat row this often; /healthz counts a worker live for 3 beats.
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", default=15)
# /healthz gives its details (which check failed, queues, workers) only to a request with
# this value in X-Health-Token; empty: to nobody (school admins read /api/v1/health/).
HEALTHZ_TOKEN = env_str("HEALTHZ_TOKEN", default="")
# A gradebook file with more data rows than this is imported by a worker, with progress.
GRADEBOOK_IMPORT_ASYNC_ROWS = env_int("GRADEBOOK_IMPORT_ASYNC_ROWS", default=500)
# Its worker writes a heartbeat every GRADEBOOK_IMPORT_HEARTBEAT_SECONDS; one silent for
# GRADEBOOK_IMPORT_STALE_SECONDS lost its worker and is re-queued (at most ..._MAX_ATTEMPTS runs);
# one queued for GRADEBOOK_IMPORT_REQUEUE_SECONDS without starting is sent again.
GRADEBOOK_IMPORT_HEARTBEAT_SECONDS = env_int("GRADEBOOK_IMPORT_HEARTBEAT_SECONDS", default=10)
GRADEBOOK_IMPORT_STALE_SECONDS = env_int("GRADEBOOK_IMPORT_STALE_SECONDS", default=90)
GRADEBOOK_IMPORT_MAX_ATTEMPTS = env_int("GRADEBOOK_IMPORT_MAX_ATTEMPTS", default=2)
GRADEBOOK_IMPORT_REQUEUE_SECONDS = env_int("GRADEBOOK_IMPORT_REQUEUE_SECONDS", default=300)
# Seconds between the first change and the (debounced) refresh of the rank table.
RANKINGS_REFRESH_DELAY = env_int("RANKINGS_REFRESH_DELAY", default=30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

CHANJIAO_VERSION = "0.1.0"

# --- Deepfake teaching project (deepfake/) ----------------------------------------
# Upload limits: checked on the decoded content, not on the name.
DEEPFAKE_MAX_UPLOAD_BYTES = env_int("DEEPFAKE_MAX_UPLOAD_BYTES", default=50 * 1024 * 1024)
DEEPFAKE_MAX_IMAGE_PIXELS = env_int("DEEPFAKE_MAX_IMAGE_PIXELS", default=40_000_000)
# Checked from the header before decoding: memory a decoded image may take (a 38 KB
# 6300×6300 PNG decoded to ~120 MB per request), the shortest side, and the aspect ratio.
DEEPFAKE_MAX_DECODED_BYTES = env_int("DEEPFAKE_MAX_DECODED_BYTES", default=64 * 1024 * 1024)
DEEPFAKE_MIN_IMAGE_SIDE = env_int("DEEPFAKE_MIN_IMAGE_SIDE", default=16)
DEEPFAKE_MAX_ASPECT_RATIO = env_int("DEEPFAKE_MAX_ASPECT_RATIO", default=8)
DEEPFAKE_MAX_VIDEO_PIXELS = env_int("DEEPFAKE_MAX_VIDEO_PIXELS", default=3840 * 2160)
DEEPFAKE_MAX_VIDEO_SECONDS = env_int("DEEPFAKE_MAX_VIDEO_SECONDS", default=120)
DEEPFAKE_FRAMES_PER_VIDEO = env_int("DEEPFAKE_FRAMES_PER_VIDEO", default=32)
DEEPFAKE_AGGREGATION = env_str("DEEPFAKE_AGGREGATION", default="mean")  # or "confident"
DEEPFAKE_BATCH_SIZE = env_int("DEEPFAKE_BATCH_SIZE", default=64)
# Jobs that survive faults (deepfake/services/liveness.py): a running job writes a heartbeat
# every DEEPFAKE_HEARTBEAT_SECONDS; one silent for DEEPFAKE_STALE_SECONDS lost its worker and
# is re-queued, at most DEEPFAKE_MAX_ATTEMPTS runs in all; a job queued for
# DEEPFAKE_REQUEUE_SECONDS without starting is sent to the broker again.
DEEPFAKE_HEARTBEAT_SECONDS = env_int("DEEPFAKE_HEARTBEAT_SECONDS", default=10)
DEEPFAKE_STALE_SECONDS = env_int("DEEPFAKE_STALE_SECONDS", default=90)
DEEPFAKE_MAX_ATTEMPTS = env_int("DEEPFAKE_MAX_ATTEMPTS", default=3)
DEEPFAKE_REQUEUE_SECONDS = env_int("DEEPFAKE_REQUEUE_SECONDS", default=300)
# Publishing a job gives up quickly when the broker is down (the sweep sends it later).
DEEPFAKE_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
# Where the site's training runs read their ImageFolder data (real/, fake*/).
DEEPFAKE_TRAINING_DATA_DIR = env_str(
    "CHANJIAO_FACES_DIR", default=str(BASE_DIR.parent / "shared" / "data" / "faces")
)
# Deepfake class challenges: CHALLENGE_RANK points for final ranks 1, 2, 3, and the time limit for
# scoring a weights submission on the inference queue.
DEEPFAKE_CHALLENGE_RANK_POINTS = (30, 20, 10)
DEEPFAKE_CHALLENGE_SCORING_SECONDS = env_int("DEEPFAKE_CHALLENGE_SCORING_SECONDS", default=120)
CELERY_BEAT_SCHEDULE["deepfake-challenge-finalize"] = {
    "task": "deepfake.tasks.challenge_phases_finalize_task", "schedule": 300,
}
DEEPFAKE_EXPERIMENT_SECONDS = env_int("DEEPFAKE_EXPERIMENT_SECONDS", default=600)  # a student's training run

# --- Internships (enterprises/internships, docs/internships.md) ----------------------
# A check-in after this local time (HH:MM) is marked late; a log shorter than the minimum
# is refused; log videos: at most 50 MB, 60 s and 1920 px on the longer side.
INTERNSHIP_CHECKIN_LATE_AFTER = env_str("INTERNSHIP_CHECKIN_LATE_AFTER", default="09:00")
INTERNSHIP_LOG_MIN_CHARS = env_int("INTERNSHIP_LOG_MIN_CHARS", default=100)
INTERNSHIP_VIDEO_MAX_BYTES = env_int("INTERNSHIP_VIDEO_MAX_BYTES", default=50 * 1024 * 1024)
INTERNSHIP_VIDEO_MAX_SECONDS = env_int("INTERNSHIP_VIDEO_MAX_SECONDS", default=60)
INTERNSHIP_VIDEO_MAX_SIDE = env_int("INTERNSHIP_VIDEO_MAX_SIDE", default=1920)
INTERNSHIP_PHOTO_MAX_BYTES = 5 * 1024 * 1024
INTERNSHIP_PHOTOS_MAX = 4
INTERNSHIP_DEFAULT_WEEKS = env_int("INTERNSHIP_DEFAULT_WEEKS", default=12)
REQUEST_BODY_LIMITS += [
    (r"^/enterprises/internships/(placements/\d+/logs/new|logs/\d+/revise)/$", 50 * 1024 * 1024 + 4 * 5 * 1024 * 1024 + 1024 * 1024),
    (r"^/api/v1/internships/placements/\d+/logs/$", 50 * 1024 * 1024 + 4 * 5 * 1024 * 1024 + 1024 * 1024),
]
CELERY_BEAT_SCHEDULE.update({
    # Placements start and finish on their dates; posts that ended close (and open their evaluation).
    "internships-advance": {"task": "enterprises.internships.tasks.placements_advance_task", "schedule": 3600},
    # Interns whose weekly log is due or missing are reminded once per week.
    "internships-remind": {"task": "enterprises.internships.tasks.logs_remind_due_task", "schedule": 3600},
    # Copied logs and shared-device check-ins (integrity.py).
    "internships-integrity": {"task": "enterprises.internships.tasks.integrity_scan_task", "schedule": 3 * 3600},
})
