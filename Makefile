# OpsCore Workbench: `make run` starts the app on the sample data; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DB := data/workbench.duckdb

.PHONY: run test test-fast lint install bench sample-csv

$(VENV)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed, found " + sys.version' 
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	$(PY) scripts/vendor_leaflet.py
	touch $@

install: $(VENV)/.installed

$(DB): | $(VENV)/.installed  # only when missing: the workspace holds the user's own scenarios and imports
	$(PY) -m opscore.sample build $(DB)

run: install $(DB)
	$(VENV)/bin/streamlit run app.py --server.address 127.0.0.1 --server.port 8501

lint: install  # ruff (style, imports, bugbear) on everything; mypy --strict on opscore (settings in pyproject.toml)
	$(VENV)/bin/ruff check opscore ui views tests bench app.py scripts
	$(PY) -m mypy

test: lint
	$(PY) -m pytest

test-fast: install  # unit and page tests only (no browser, no notebooks), on both cores
	$(PY) -m pytest -m "unit or page" -n 2

bench: install
	$(PY) bench/pages.py

sample-csv: install
	$(PY) -m opscore.sample csv data/sample
