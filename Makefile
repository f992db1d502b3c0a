# Chanjiao — the two commands a newcomer needs:
#   make run    virtualenv + install + migrate + demo data + web server + Celery worker
#   make test   the whole test suite (uses DATABASE_URL / REDIS_URL when set)

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
HOST ?= 127.0.0.1
PORT ?= 8000
STUDENTS ?= 300
PYTEST_ARGS ?=

.PHONY: help install install-dev run web worker test smoke backup lint messages clean

help:
	@echo "make run     start the site with demo data on embedded defaults (SQLite, filesystem broker)"
	@echo "make test    run the whole test suite"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(VENV)/.installed: requirements.txt package.json package-lock.json | $(PY)
	$(PIP) install -q -r requirements.txt
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PIP) install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed messages

install-dev: $(VENV)/.installed-dev messages

messages: | $(PY)
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

run: install
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py seed_demo --students $(STUDENTS)
	HOST=$(HOST) PORT=$(PORT) PY=$(PY) exec bash scripts/run-dev.sh

test: install-dev
	$(PY) -m pytest $(PYTEST_ARGS)

# docker-compose.yml without Docker: its commands against local PostgreSQL/Redis (scripts/compose_smoke.py)
smoke: install-dev
	$(PY) scripts/compose_smoke.py

# The database and every media file into var/backups/ (docs/operations.md)
backup: install
	$(PY) manage.py backup --out var/backups

lint: install-dev
	$(VENV)/bin/ruff check .

clean:
	rm -rf var staticfiles
