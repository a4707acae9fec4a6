# ldnsite: `make run` serves the demo site, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# make bench: sqlite, or postgres (with Redis; BENCH_DATABASE_URL and BENCH_REDIS_URL override the defaults)
BENCH_DB ?= sqlite

.PHONY: run worker test test-browser lint check setup clean bench

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

# Without REDIS_URL, background tasks (e-mail delivery) run in the server's own process: e-mail is printed.
run: $(STAMP)
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 DJANGO_SITE_URL=http://$(HOST):$(PORT) $(BIN)/python manage.py load_demo
	DJANGO_DEBUG=1 DJANGO_SITE_URL=http://$(HOST):$(PORT) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The Celery worker with its clock (beat), with the site's environment (REDIS_URL, DATABASE_URL, e-mail...).
worker: $(STAMP)
	$(BIN)/celery -A ldnsite worker --beat --loglevel INFO

# The unit suite, then the browser tests in a pytest run of their own (Playwright needs
# DJANGO_ALLOW_ASYNC_UNSAFE). BROWSER=0 leaves the browser run out, e.g. for a subset with PYTEST_ARGS.
BROWSER ?= 1

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)
ifneq ($(BROWSER),0)
	$(MAKE) --no-print-directory test-browser
endif

# Real-browser journeys and accessibility checks (needs Debian's chromium: apt-get install chromium).
test-browser: $(STAMP)
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/python -m pytest tests/browser $(BROWSER_PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: $(STAMP)
	DJANGO_DEBUG=1 $(BIN)/python manage.py check --fail-level WARNING
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .

# Seeds its own database (dropped and rebuilt), serves it with gunicorn and prints the table (docs/performance.md).
bench: $(STAMP)
	$(BIN)/python -m tests.bench.run --db $(BENCH_DB) $(BENCH_ARGS)

# Signs up known and new addresses and prints both medians and their ratio (docs/security.md); fails outside
# 0.67-1.5. SIGNUP_BENCH_ARGS="-n 100 --database-url postgres://...": see --help.
.PHONY: bench-signup
bench-signup: $(STAMP)
	$(BIN)/python -m tests.bench.signup_timing $(SIGNUP_BENCH_ARGS)

# Stops, freezes and breaks PostgreSQL, Redis and SMTP (servers of its own) under traffic; prints the figures
# (docs/reliability.md) and fails if a target is missed. FAULTS_ARGS="--only postgres": see --help.
.PHONY: faults
faults: $(STAMP)
	$(BIN)/python -m tests.bench.faults $(FAULTS_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 media
