# The two commands of the README: `make run` and `make test`. Everything else supports them.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PYTHON ?= python3
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/eventsapi
PYTEST_ARGS ?=
# `make fuzz`: a positive and a negative schemathesis run, CI size (FUZZ_PROFILE=ci, 10 examples per
# operation in each); `make fuzz-nightly` (FUZZ_PROFILE=nightly) is the deep one (500 each, 1200 s
# per run). FUZZ_EXAMPLES and FUZZ_MAX_TIME, when set, override the profile's (tools/fuzz.py).
FUZZ_PROFILE ?= ci
FUZZ_SEED ?= 20210906
export FUZZ_PROFILE FUZZ_SEED
# openapi-python-client runs ruff over what it generates: the venv's, found on PATH.
SDK_PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: install run migrate lint test test-sqlite test-postgres serve clean browser-deps bench \
	node-deps schema sdk types fuzz fuzz-nightly

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

## The npm tools of `make types` (openapi-typescript, tsc), exactly as package-lock.json pins them.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

node-deps: node_modules/.installed

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
	$(VENV)/bin/lint-imports

## Headless Chromium for the browser tests (tests/browser), from Debian, only when missing.
browser-deps:
	test -x /usr/bin/chromium || { apt-get update -q && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core; }

## Lint, fuzz the live server, then the whole suite (browser tests included) on SQLite and on PostgreSQL.
test: lint fuzz test-sqlite test-postgres

test-sqlite: install node-deps browser-deps
	env -u DATABASE_URL $(PY) -m pytest $(PYTEST_ARGS)

test-postgres: install node-deps browser-deps
	DATABASE_URL=$(POSTGRES_URL) $(PY) -m pytest $(PYTEST_ARGS)

## Regenerate the committed OpenAPI schema (tests/eventsapi/test_schema.py fails when it is stale).
schema: install
	env -u EVENTSAPI_PUBLIC_READ $(PY) manage.py spectacular --validate --fail-on-warn --file openapi.yaml

## A Python client generated from openapi.yaml into build/sdk/python (not committed).
sdk: install
	PATH="$(SDK_PATH)" $(VENV)/bin/openapi-python-client generate --path openapi.yaml \
		--output-path build/sdk/python --overwrite --fail-on-warning

## TypeScript types from openapi.yaml, and a typed usage file compiled against them.
types: node-deps
	npx --no-install openapi-typescript openapi.yaml -o build/types/eventsapi.d.ts
	npx --no-install tsc --noEmit -p sdk/typescript

## Schemathesis over every operation of a live gunicorn (tools/fuzz.py): a positive-data run, then a
## negative-data run; fails when either does. FUZZ_PROFILE (ci, nightly) or FUZZ_EXAMPLES sets the depth.
fuzz: install
	$(PY) -m tools.fuzz

## The deep fuzz for a nightly job (not part of `make test`): 500 examples per operation in each run.
fuzz-nightly: install
	FUZZ_PROFILE=nightly $(PY) -m tools.fuzz

## Precision and recall of actor and statement matching on the team's labelled pairs
## (eval/matching/), at every threshold, and the thresholds they recommend.
.PHONY: eval-matching
eval-matching: install
	$(PY) -m matching.evaluation

## Drafting on the team's reports (eval/drafts/) and the seed article: direct quotes' precision and
## recall, speaker, date and stance accuracy, reported-speech recall; exit 1 when a target is missed.
.PHONY: eval-drafts
eval-drafts: install
	$(PY) -m drafts.evaluation

## Benchmark on PostgreSQL (not part of `make test`): seeds BENCH_DATABASE_URL with BENCH_EVENTS
## events when it has none, runs the API and the hand-written floor under gunicorn, and writes
## bench/RESULTS.md and bench/latency.png.
# Empty: eventsapi_bench for a million events, eventsapi_bench_<N> for another size.
BENCH_DATABASE_URL ?=
BENCH_EVENTS ?= 1000000
bench: install
	command -v wrk >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends wrk; }
	$(PY) -m bench.run --events $(BENCH_EVENTS) $(if $(BENCH_DATABASE_URL),--database-url $(BENCH_DATABASE_URL))

## Concurrent writers (not part of `make test`): the embedded SQLite default beside PostgreSQL at
## 1, 2, 4 and 16 writers under gunicorn's default layout; writes bench/SQLITE_WRITERS.md.
.PHONY: bench-sqlite
BENCH_SQLITE_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/eventsapi_sqlite_bench
bench-sqlite: install
	$(PY) -m bench.sqlite_writers --database-url sqlite --database-url $(BENCH_SQLITE_POSTGRES_URL)

clean:
	rm -rf $(VENV) var build node_modules

## Matching under wrk (not part of `make test`): actor match with 200,000 actors, statement match on the
## 1M-event database (both seeded when empty); writes bench/MATCHING.md.
.PHONY: bench-matching
bench-matching: install
	command -v wrk >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends wrk; }
	$(PY) -m bench.matching

## Bundles (not part of `make test`): 200-operation stories posted to a live gunicorn on the 1M-event
## PostgreSQL bench database (seeded when empty) and on a fresh SQLite file; writes bench/BUNDLES.md.
.PHONY: bench-bundles
bench-bundles: install
	$(PY) -m bench.bundles

## Drafting a 1,000-word article under gunicorn (not part of `make test`), on the 1M-event database
## and SQLite; writes bench/DRAFTS.md.
.PHONY: bench-drafts
bench-drafts: install
	$(PY) -m bench.drafts

## ACLED import (not part of `make test`): a synthetic BENCH_IMPORT_ROWS-row ACLED CSV imported by
## `manage.py import_acled` into a fresh PostgreSQL database, then re-imported, and a cProfile of
## 300 rows; writes bench/IMPORTS.md. Below 100,000 rows the 100,000-row times are extrapolated.
.PHONY: bench-imports
BENCH_IMPORT_ROWS ?= 100000
bench-imports: install
	$(PY) -m bench.imports --rows $(BENCH_IMPORT_ROWS)
