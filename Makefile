# The two commands of the README: `make run` and `make test`. Everything else supports them.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PYTHON ?= python3
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/eventsapi
PYTEST_ARGS ?=

.PHONY: install run migrate lint test test-sqlite test-postgres serve clean browser-deps

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	DEBUG=true $(PY) manage.py migrate --noinput

## Set up from scratch and serve the Panjshir data on http://127.0.0.1:8000/api/v1/ (SQLite).
run: migrate
	DEBUG=true $(PY) manage.py loaddata fixtures/panjshir.json
	DEBUG=true $(PY) manage.py populate_history --auto
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

## Production-style server: gunicorn (gunicorn.conf.py), DEBUG off, static files by whitenoise.
serve: install
	$(PY) manage.py migrate --noinput
	$(VENV)/bin/gunicorn -c gunicorn.conf.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

## Headless Chromium for the browser tests (tests/browser), from Debian, only when missing.
browser-deps:
	test -x /usr/bin/chromium || { apt-get update -q && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core; }

## Lint, then the whole suite (browser tests included) on SQLite and again on PostgreSQL.
test: lint test-sqlite test-postgres

test-sqlite: install browser-deps
	env -u DATABASE_URL $(PY) -m pytest $(PYTEST_ARGS)

test-postgres: install browser-deps
	DATABASE_URL=$(POSTGRES_URL) $(PY) -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var build
