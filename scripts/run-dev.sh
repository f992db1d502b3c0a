#!/usr/bin/env bash
# Start a Celery worker (both queues) and the development web server together;
# Ctrl-C stops both. Used by `make run`.
set -euo pipefail
PY=${PY:-.venv/bin/python}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
mkdir -p var/log

"$PY" -m celery -A platform_site worker -Q default,inference --concurrency 2 -l INFO \
  --logfile var/log/celery-worker.log &
WORKER_PID=$!
trap 'kill $WORKER_PID 2>/dev/null || true; wait $WORKER_PID 2>/dev/null || true' EXIT INT TERM

cat <<MSG

  Chanjiao is running at  http://$HOST:$PORT/
  Celery worker log:      var/log/celery-worker.log
  Demo logins (password chanjiao-demo, demo data only):
    student_demo  teacher_demo  enterprise_demo  industry_demo  schooladmin_demo

MSG
"$PY" manage.py runserver "$HOST:$PORT"
