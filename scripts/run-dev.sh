#!/usr/bin/env bash
# Start a Celery worker (both queues, with beat) and the development web server together.
# Used by `make run`. Ctrl-C, `kill` of this script, or the death of its parent (`kill` of
# `make run`) stops both, with everything they started.
set -euo pipefail
set -m  # job control: each child gets its own process group, so one signal stops its whole tree
PY=${PY:-.venv/bin/python}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
DATA_DIR=${CHANJIAO_DATA_DIR:-var}
STOP_GRACE_SECONDS=${STOP_GRACE_SECONDS:-10}
mkdir -p "$DATA_DIR/log"
WORKER_LOG="$DATA_DIR/log/celery-worker.log"
PARENT=$PPID
PIDS=()

alive() {
  local pid
  for pid in "${PIDS[@]}"; do kill -0 -- "-$pid" 2>/dev/null && return 0; done
  return 1
}

stop() {
  trap - EXIT INT TERM HUP
  local pid i
  for pid in "${PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for ((i = 0; i < STOP_GRACE_SECONDS * 5; i++)); do alive || break; sleep 0.2; done
  for pid in "${PIDS[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  echo "Chanjiao stopped."
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM HUP
trap stop EXIT

# The worker's banner and log go to its log file, not the terminal. -B: the embedded
# default has one worker, which also runs the periodic tasks (job sweeps, rankings).
"$PY" -m celery -A platform_site worker -B -Q default,inference --concurrency 2 -l INFO \
  --schedule "$DATA_DIR/celerybeat-schedule" --logfile "$WORKER_LOG" </dev/null >>"$WORKER_LOG" 2>&1 &
PIDS+=($!)
"$PY" manage.py runserver "$HOST:$PORT" </dev/null &
PIDS+=($!)

cat <<MSG

  Chanjiao is running at  http://$HOST:$PORT/   (Ctrl-C stops the site and the worker)
  Celery worker log:      $WORKER_LOG

MSG
# Wait in short steps (a trapped signal interrupts `wait` at once); stop when a child
# exits or when the parent (make) is gone.
while [ "$(ps -o ppid= -p $$ | tr -d ' ')" = "$PARENT" ]; do
  for pid in "${PIDS[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "A process exited (pid $pid); stopping. See $WORKER_LOG for the worker." >&2
      exit 1
    fi
  done
  sleep 1 &
  wait $! || true
done
