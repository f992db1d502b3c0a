"""gunicorn settings for the web container (compose's `web`). Values from the environment."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Requests come through the proxy only; it sets X-Forwarded-Proto / -For.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")
# Bounded request lines and headers (the proxy bounds bodies: deploy/Caddyfile).
limit_request_line = 8190
limit_request_fields = 100
accesslog = "-"
errorlog = "-"
