# supply_service — two commands: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
export DJANGO_SETTINGS_MODULE ?= supply_service.settings

.PHONY: run setup test test-sqlite test-postgres lint messages graphs requirements clean bench-cluster

$(VENV)/bin/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(VENV)/bin/python
	$(PIP) install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(PIP) install -q -e ".[dev]"
	touch $@ $(VENV)/.installed-run

# Everything `make run` needs: packages, database, translations, static files, demo data, schedules.
setup: export DJANGO_DEBUG ?= 1
setup: $(VENV)/.installed-run
	scripts/sysdeps.sh run
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py openwork_rebuild -v0
	DJANGO_DEBUG=1 $(PY) manage.py compilemessages -v0 --ignore=.venv
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py sync_schedules
	$(PY) manage.py seed_demo

run: export DJANGO_DEBUG ?= 1
run: setup
	@echo ""
	@echo "  Staff workbench:  http://127.0.0.1:8000/            (log in with a demo login above)"
	@echo "  Administration:   http://127.0.0.1:8000/admin/"
	@echo "  Kiosk:            http://127.0.0.1:8000/kiosk/   (Chinese and Uyghur side by side: bind the terminal with /kiosk/office/tianshan/)"
	@echo "  Public pages:     http://127.0.0.1:8000/public/outages/  /public/commitments/  /public/feedback/  /public/appointments/"
	@echo "  Counter:          /counter/take/ (number printer)  /counter/board/<office code>/ (hall board)  /counter/windows/"
	@echo "  Managers:         /dashboard/  /audits/  /quality/"
	@echo "  Background worker: django-q2 cluster (SLA sweep and outbox every minute)"
	@echo ""
	scripts/run.sh

messages: $(VENV)/.installed-dev
	DJANGO_DEBUG=1 $(PY) manage.py compilemessages -v0 --ignore=.venv

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .

test-sqlite: $(VENV)/.installed-dev
	DJANGO_SETTINGS_MODULE=supply_service.settings_test $(VENV)/bin/pytest -q $(PYTEST_ARGS)

test-postgres: $(VENV)/.installed-dev
	DJANGO_SETTINGS_MODULE=supply_service.settings_test scripts/with-postgres.sh $(VENV)/bin/pytest -q $(PYTEST_ARGS)

# The whole suite on SQLite and again on a throwaway PostgreSQL cluster, side by side (one pass per core; the
# PostgreSQL pass's output is kept in var/test-postgres.log and shown when it ends); ruff first.
# TEST_SERIAL=1 runs the two passes one after the other.
test: $(VENV)/.installed-dev
	scripts/sysdeps.sh test
	$(MAKE) --no-print-directory messages lint
	scripts/test-both.sh

# The requirement map docs/REQUIREMENTS.md, generated from code, seeded commitments and tests (no database);
# tests/core/test_requirements_map.py fails when it is stale.
requirements: $(VENV)/.installed-dev
	DJANGO_SETTINGS_MODULE=supply_service.settings_test $(PY) manage.py requirements_map

# Page speed against a bare view (not part of `make test`): BENCH_CUSTOMERS, BENCH_ITEMS (defaults 100000, 500000),
# BENCH_RUNS (30), BENCH_ONLY (words of page names); the seeded SQLite file is kept in var/bench/ per scale.
# On PostgreSQL: `make bench DATABASE_URL=postgres://…`, or `make bench BENCH_PG=1` for a throwaway cluster.
bench: $(VENV)/.installed-dev
	$(if $(BENCH_PG),scripts/with-postgres.sh) $(PY) scripts/bench.py

# The work lists' time as the tickets grow: one database grown to each size of BENCH_SWEEP in turn.
bench-flat: export BENCH_SWEEP ?= 10000,100000,1000000
bench-flat: export BENCH_CUSTOMERS ?= 20000
bench-flat: $(VENV)/.installed-dev
	$(if $(BENCH_PG),scripts/with-postgres.sh) $(PY) scripts/bench.py

# Past one machine (issue 12): Redis, a throwaway PostgreSQL, two gunicorn and two qcluster on loopback under a
# bounded load, an outage fan-out and two concurrent breach sweeps; prints the numbers. A slim size of the same run
# is part of `make test` (tests/cluster, in the PostgreSQL pass).
bench-cluster: $(VENV)/.installed-dev
	scripts/sysdeps.sh test
	CLUSTER_SCALE=bench DJANGO_SETTINGS_MODULE=supply_service.settings_test \
	  scripts/with-postgres.sh $(VENV)/bin/pytest -q -s tests/cluster $(PYTEST_ARGS)

# Pictures of the ticket machines (needs Debian graphviz): docs/machines/*.png
graphs: $(VENV)/.installed-dev
	@for m in repair:RepairTicket expansion:BusinessExpansion meter_fault:MeterFaultTicket bill_query:BillQuery \
	          consultation:Consultation; do \
	  DJANGO_DEBUG=1 $(PY) manage.py graph_transitions -e reopen -o docs/machines/$${m%%:*}.png tickets.$${m##*:}; done

clean:
	rm -rf $(VENV) var
