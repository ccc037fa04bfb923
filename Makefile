# GovCube — two commands do everything on a fresh machine:
#   make run    set up, migrate the embedded SQLite database, load the Jing'an demo, serve on :8000
#   make test   the whole test suite (SQLite; set DATABASE_URL=postgres://… for PostgreSQL)

PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
STAMP  := $(VENV)/.installed-$(shell cat requirements/base.txt requirements/dev.txt | cksum | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run venv test test-fast lint format migrate demo worker messages check clean

$(STAMP): requirements/base.txt requirements/dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements/dev.txt
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

venv: $(STAMP)

migrate: $(STAMP)
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo --if-empty

run: demo
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py run_demo_server --host $(HOST) --port $(PORT)

worker: $(STAMP)
	$(PY) manage.py db_worker

test: $(STAMP)
	$(PY) -m pytest -n auto --dist loadfile $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(PY) -m pytest -x -q -m "not e2e" $(PYTEST_ARGS)

# API fuzzing, the long run: schemathesis with FUZZ_EXAMPLES examples per operation, mode and persona
# (CI runs the same test with 3). FUZZ_SEED picks another deterministic run; DATABASE_URL as for make test.
FUZZ_EXAMPLES ?= 50
FUZZ_SEED     ?= 20261129
.PHONY: fuzz
fuzz: $(STAMP)
	GOVCUBE_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) GOVCUBE_FUZZ_SEED=$(FUZZ_SEED) \
		$(PY) -m pytest tests/api/test_fuzz.py -n 2 --dist load $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Extract every translatable string into the zh-Hans and Japanese catalogues and compile them
# (needs GNU gettext; the compiled .mo files are committed, so `make run` does not).
messages: $(STAMP)
	cd src/govcube && ../../$(PY) ../../manage.py makemessages --locale zh_Hans --locale ja --no-obsolete --ignore "*/tests/*"
	cd src/govcube && ../../$(PY) ../../manage.py makemessages --domain djangojs --locale zh_Hans --locale ja --no-obsolete --ignore "static/vendor/*"
	cd src/govcube && ../../$(PY) ../../manage.py compilemessages --locale zh_Hans --locale ja

check: $(STAMP)
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) staticfiles var .pytest_cache .ruff_cache
