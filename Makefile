# mbc_cms: `make run` sets up and serves the demo site; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEV_ENV := DJANGO_DEBUG=1

.PHONY: run serve audit test pytest lint format install install-dev chromium messages validate clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "mbc_cms needs Python 3.11 or newer (found " + sys.version.split()[0] + ")")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed messages
install-dev: $(VENV)/.installed-dev messages

## The public site's interface text in each language: locale/<code>/LC_MESSAGES/django.po
## compiled to django.mo (git-ignored) by msgfmt, from Debian's gettext, installed here when
## missing and run as root, like the chromium target
MESSAGES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

messages: $(MESSAGES)

%.mo: %.po
	@command -v msgfmt >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; \
	  else \
	    echo "Compiling the translations needs msgfmt: sudo apt-get install gettext" >&2; exit 1; \
	  fi; }
	msgfmt --check -o $@ $<

## Set everything up and serve the demo site on SQLite at http://$(HOST):$(PORT)/
run: $(VENV)/.installed messages
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py seed_demo
	@echo "Site:  http://$(HOST):$(PORT)/    Admin: http://$(HOST):$(PORT)/admin/"
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

## Run the production configuration locally: DJANGO_DEBUG=0, collectstatic, gunicorn.
## Plain HTTP on loopback, so the TLS redirect and secure cookies are off unless you set them.
serve: $(VENV)/.installed messages
	@test -n "$$DJANGO_SECRET_KEY" || echo "DJANGO_SECRET_KEY is not set: using a throwaway key for this run."
	@export DJANGO_DEBUG=0 \
	  DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')}" \
	  DJANGO_SECURE_SSL_REDIRECT="$${DJANGO_SECURE_SSL_REDIRECT:-0}" \
	  DJANGO_SECURE_COOKIES="$${DJANGO_SECURE_COOKIES:-0}" \
	  DJANGO_SECURE_HSTS_SECONDS="$${DJANGO_SECURE_HSTS_SECONDS:-0}"; \
	$(BIN)/python manage.py check --deploy --fail-level ERROR && \
	$(BIN)/python manage.py migrate --noinput && \
	$(BIN)/python manage.py collectstatic --noinput -v0 && \
	$(BIN)/python manage.py seed_demo && \
	$(BIN)/gunicorn mbc_cms.wsgi:application --workers 2 --bind $(HOST):$(PORT) --access-logfile -

## The demo site as in production behind the edge cache: gunicorn on 127.0.0.1:$(EDGE_APP_PORT),
## Varnish (deploy/varnish/default.vcl) on http://$(HOST):$(PORT)/ in front of it, purged by the
## app on every publication. Installs Debian's varnish and varnish-modules when run as root
## (otherwise prints the apt-get command), like the chromium target.
EDGE_APP_PORT ?= 8001
.PHONY: edge varnish
edge: $(VENV)/.installed messages varnish
	@test -n "$$DJANGO_SECRET_KEY" || echo "DJANGO_SECRET_KEY is not set: using a throwaway key for this run."
	@export DJANGO_DEBUG=0 \
	  DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')}" \
	  DJANGO_SECURE_SSL_REDIRECT="$${DJANGO_SECURE_SSL_REDIRECT:-0}" \
	  DJANGO_SECURE_COOKIES="$${DJANGO_SECURE_COOKIES:-0}" \
	  DJANGO_SECURE_HSTS_SECONDS="$${DJANGO_SECURE_HSTS_SECONDS:-0}"; \
	$(BIN)/python manage.py migrate --noinput && \
	$(BIN)/python manage.py collectstatic --noinput -v0 && \
	$(BIN)/python manage.py seed_demo && \
	BIN=$(BIN) deploy/varnish/edge-demo.sh $(HOST) $(PORT) $(EDGE_APP_PORT)

varnish:
	@deploy/varnish/run-edge.sh --install

## Lint, check migrations and run every test
test: lint pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

## The suite in PYTEST_WORKERS processes (pytest-xdist; each has its own test database, and its
## own Redis database with REDIS_URL): one process keeps one core busy, so on CI's two-core
## machine a single-process run leaves the other idle. PYTEST_WORKERS=0 runs it in one process.
## --dist loadgroup: the modules marked xdist_group, whose module fixtures start servers or
## seed databases, run whole on one worker; every other test goes wherever a worker is free.
PYTEST_WORKERS ?= 2
pytest: $(VENV)/.installed-dev chromium varnish messages
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup

## Fuzz the public and editorial API against its live OpenAPI schema (gunicorn, throwaway SQLite)
schemathesis: $(VENV)/.installed-dev messages
	.ci/schemathesis

## Check the public pages of a running server with the Nu HTML Checker (installs Debian's
## default-jre-headless and the pinned vnu-jar from the npm registry when missing)
validate: $(VENV)/.installed messages
	.ci/validate-html

## Generate a Python client from the live schema with openapi-python-client (in a venv of its
## own under .cache/) and take it through the editorial journey (docs/api.md)
.PHONY: client-journey
client-journey: $(VENV)/.installed-dev
	.ci/client-journey

## The browser tests drive Debian's Chromium (Playwright's own browser download is not used)
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need Chromium: sudo apt-get install chromium" >&2; exit 1; \
	  fi; }

## Known-vulnerability audit of the installed requirements (needs PyPI's JSON API or OSV;
## --strict makes it fail rather than pass silently when it cannot check a package).
## CI runs .ci/audit: the same audit, failing on any finding, loud when it cannot check.
audit: $(VENV)/.installed-dev
	$(BIN)/pip-audit --strict --progress-spinner off

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 db.sqlite3-wal db.sqlite3-shm

## Load benchmark (docs/performance.md): seeds 10,000 and 100,000 synthetic articles into
## fresh SQLite files, serves them with gunicorn and measures them with Debian's wrk against
## a trivial-view floor, and the article page through Varnish against nginx serving a static file
## of the same size (benchmarks/edge.py; installs Debian's nginx and varnish like wrk).
## BENCH_SCALES=10000 runs one scale. Exit status 0 unless the harness
## itself broke; missed targets are reported in the table and the verdict line.
## BENCH_DATABASE=postgres runs it on PostgreSQL instead: a throwaway cluster under
## benchmarks/results/ (.ci/with-postgres, stopped and removed at the end whatever happens,
## its server log kept as benchmarks/results/bench-postgres-server.log).
BENCH_WITH_DATABASE = $(if $(filter postgres,$(BENCH_DATABASE)),WITH_POSTGRES_TMPDIR=$(CURDIR)/benchmarks/results WITH_POSTGRES_LOG=$(CURDIR)/benchmarks/results/bench-postgres-server.log .ci/with-postgres)
.PHONY: bench
bench: $(VENV)/.installed varnish
	@{ command -v wrk && PATH="$$PATH:/usr/sbin" command -v nginx; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx >/dev/null; \
	  else \
	    echo "make bench needs wrk and nginx: sudo apt-get install wrk nginx" >&2; exit 1; \
	  fi; }
	@mkdir -p benchmarks/results
	$(BENCH_WITH_DATABASE) $(BIN)/python -m benchmarks.run
