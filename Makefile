# Casework: `make demo` runs the app on SQLite with demo data; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint install messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

messages: $(STAMP)
	$(PY) manage.py compilemessages --ignore=.venv --verbosity=0

demo: $(STAMP) messages
	DEBUG=true $(PY) manage.py migrate --no-input --verbosity=0
	DEBUG=true $(PY) manage.py seed_demo
	@echo ""
	@echo "Casework demo: http://127.0.0.1:8000/"
	@echo "Log in with password 'demo' as one of:"
	@echo "  jurist burgemeester bibob coordinator casusregisseur toezicht"
	@echo "  politie om belastingdienst fg beheerder"
	@echo ""
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP) messages
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
