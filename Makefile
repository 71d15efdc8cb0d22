# Service Network Map. `make help` lists the targets; `## text` after a target documents it.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# `make run` is the development server: DEBUG on unless the environment says otherwise.
export DJANGO_DEBUG ?= 1

.PHONY: help system setup run test bench stop lint format messages db

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	@command -v python3 >/dev/null || { echo "python3 is required (3.11 or newer)"; exit 1; }
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

CATALOGS := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))
locale/%.mo: locale/%.po
	msgfmt --check -o $@ $<

system:
	@scripts/system-packages.sh $(if $(BROWSER),--browser,)

db: ## Start the local PostgreSQL + PostGIS cluster (skipped when DATABASE_URL is set)
	@if [ -z "$$DATABASE_URL" ]; then scripts/localdb.sh start; else echo "Using DATABASE_URL"; fi

# Real public data read in place (never copied into the repository), when it is there.
SHARED_DATA_DIR ?= ../shared/data
FSA_CENTROIDS := $(SHARED_DATA_DIR)/canada_fsa_centroids.csv
CONTACT_CENTRE := $(SHARED_DATA_DIR)/serviceontario_contact_centre_wait_times_2016-2020.csv

# The development settings every shell's manage.py reads (DJANGO_DEBUG=1, this checkout's
# key); written once, never overwritten, never for production (see scripts/dotenv.sh).
.env:
	@scripts/dotenv.sh

setup: system $(VENV)/.installed .env db $(CATALOGS) ## Install and prepare everything, idempotently
	@$(MANAGE) migrate --no-input -v 0
	@$(MANAGE) collectstatic --no-input -v 0
	@$(MANAGE) load_demo
	@$(MANAGE) load_partnerships
	@$(MANAGE) load_survey_demo
	@if [ -f "$(FSA_CENTROIDS)" ]; then \
	  $(MANAGE) load_postal_areas "$(FSA_CENTROIDS)" --source canada_fsa_centroids.csv; \
	else echo "No $(FSA_CENTROIDS): imports cannot place address-only rows (see README)"; fi
	@$(MANAGE) load_layers --data-dir "$(SHARED_DATA_DIR)" -v 0
	@if [ -f "$(CONTACT_CENTRE)" ]; then \
	  $(MANAGE) import_channel_statistics "$(CONTACT_CENTRE)" --organization serviceontario; \
	else echo "No $(CONTACT_CENTRE): the dashboard has no channel statistics (see README)"; fi

# The task worker (imports) runs beside the web server and stops with it: the trap ends it,
# and its autoreloading child, however runserver exits.
run: setup ## Set up, then serve on http://$(HOST):$(PORT) with demonstration data and the task worker
	@echo ""
	@echo "Service Network Map: http://$(HOST):$(PORT)/en/  (French: http://$(HOST):$(PORT)/fr/)"
	@echo "Demonstration accounts (password: demo): analyst, editor-on, editor-nb, dataadmin"
	@echo ""
	@$(MANAGE) db_worker --queue-name imports,default & worker=$$!; \
	trap 'pkill -TERM -P $$worker 2>/dev/null; kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(MANAGE) runserver $(HOST):$(PORT)

test: BROWSER=1
test: setup ## Set up, then run the whole test suite against real PostGIS
	$(VENV)/bin/pytest --create-db

bench: setup ## Run the benchmarks and print their table (not part of make test)
	$(PY) -m benchmarks

stop: ## Stop the local database
	@scripts/localdb.sh stop

lint: $(VENV)/.installed ## ruff check and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed ## Format the code with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

MESSAGES_IGNORE := --ignore ".venv/*" --ignore "staticfiles/*" --ignore "tests/*" --ignore "static/vendor/*" --ignore ".pgdata/*"
messages: $(VENV)/.installed ## Update locale/fr from the code and templates (then translate the new entries)
	$(MANAGE) makemessages -l fr --no-obsolete --add-location file $(MESSAGES_IGNORE)
	$(MANAGE) makemessages -l fr -d djangojs --no-obsolete --add-location file $(MESSAGES_IGNORE)
