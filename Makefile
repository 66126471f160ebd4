# Casework: `make demo` runs the app on SQLite with demo data; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo serve bench-load test lint install browser messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP) browser

# Debian's Chromium and its driver for the browser tests (root with apt only;
# elsewhere install them yourself: the browser tests say so if they are missing).
browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installing Chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  fi; \
	fi

# The compiled catalogues, made again only when a catalogue changed: two test
# runs side by side (.ci/run) never rewrite a .mo the other is reading.
PO_FILES := $(wildcard locale/*/LC_MESSAGES/django.po */locale/*/LC_MESSAGES/django.po workflows/*/locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)

messages: $(MO_FILES)

$(MO_FILES) &: $(PO_FILES) | $(STAMP)
	$(PY) manage.py compilemessages --ignore=.venv --verbosity=0 --settings=casework.test_settings
	touch $(MO_FILES)

demo: $(STAMP) messages
	DEBUG=true $(PY) manage.py migrate --no-input --verbosity=0
	DEBUG=true $(PY) manage.py seed_demo
	@echo ""
	@echo "Casework demo: http://127.0.0.1:8000/"
	@echo "Log in with password 'demo' as one of:"
	@echo "  jurist burgemeester bibob coordinator casusregisseur toezicht invordering vergunning"
	@echo "  politie om belastingdienst zorg fg beheerder"
	@echo ""
	@# The lookups (docs/lookups.md) against the fake BAG/KvK/BRP on port 8001,
	@# started beside runserver and stopped with it.
	DEBUG=true $(PY) manage.py lookups_fake_server --port 8001 --api-key demo & fake=$$!; \
	  trap 'kill $$fake 2>/dev/null' EXIT INT TERM; \
	  $(LOOKUP_DEMO_ENV) DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

# The demo's lookups point at the fake server (lookups/fake.py, fictional data).
LOOKUP_DEMO = http://127.0.0.1:8001
LOOKUP_DEMO_ENV = LOOKUP_BAG_URL=$(LOOKUP_DEMO)/lvbag/individuelebevragingen/v2 \
  LOOKUP_KVK_URL=$(LOOKUP_DEMO)/api LOOKUP_BRP_URL=$(LOOKUP_DEMO)/haalcentraal/api/brp \
  LOOKUP_BAG_API_KEY=demo LOOKUP_KVK_API_KEY=demo LOOKUP_BRP_API_KEY=demo \
  LOOKUP_BRP_OIN=00000001000000000000

# The production server (docs/deploy.md): gunicorn with deploy/gunicorn.conf.py,
# DEBUG off, every setting from the environment. Refuses to start, naming what
# is missing, without SECRET_KEY and ACCESS_LOG_KEY (or their *_FILE).
serve: $(STAMP) messages
	DEBUG=false $(PY) manage.py check --deploy --fail-level ERROR
	DEBUG=false $(PY) manage.py migrate --no-input
	DEBUG=false $(PY) manage.py collectstatic --no-input --verbosity=0
	DEBUG=false exec $(VENV)/bin/gunicorn --config deploy/gunicorn.conf.py casework.wsgi:application

# The load benchmark (docs/performance.md, "Load test"): the server as `serve`
# starts it, on BENCH_DATABASE_URL (bench/generate.py's 1M database), under
# locust (pinned in pyproject.toml's `load` extra) in a virtualenv of its own,
# without the project, so `messages` finds no Django catalogues in it.
LOAD_VENV := bench/out/venv-load
$(LOAD_VENV)/bin/locust: pyproject.toml
	$(PYTHON) -m venv $(LOAD_VENV)
	$(LOAD_VENV)/bin/pip install --quiet "$$(sed -n 's/^ *"\(locust==[^"]*\)",*$$/\1/p' pyproject.toml)"
	touch $@

bench-load: $(STAMP) messages $(LOAD_VENV)/bin/locust
	$(PY) bench/load.py --locust $(LOAD_VENV)/bin/locust

# TESTS: which tests (pytest's arguments; all by default). .ci/run gives each
# of its runs a part of the suite.
TESTS ?=
test: install messages
	$(PY) -m pytest $(TESTS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
