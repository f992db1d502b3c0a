"""gunicorn settings, read from the working directory by every `gunicorn` started in
the repository root (docker-compose's web service included). Request limits are the
first line of the body/header limits (docs/security.md); gunicorn has no body-size
limit of its own, so bodies are capped by the proxy (deploy/nginx-limits.conf) and by
platform_site.security.RequestBodyLimitMiddleware from Content-Length, before Django
reads them."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
# A worker that takes longer than this is killed and replaced (uploads are checked
# from their headers first, and heavy work runs in Celery).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
