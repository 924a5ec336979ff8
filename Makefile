# The README's quick start is exactly two commands: `make run` and `make test`. Both set up everything themselves.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
# The PostgreSQL server the web tests run against a second time (they create and drop their own database).
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/techguard

.PHONY: run test install native pure lint typecheck pytest pytest-postgres services bench clean lock
comma := ,

# Every extra (the web app, Japanese readings, Parquet, Spark, the test tools) at the versions of the lock file
# that CI tests; then techguard itself, editable, without resolving anything again.
EXTRAS := web,japanese,parquet,spark,sso,ldap,dev
LOCK := requirements-lock.txt

$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	bash scripts/ensure-build-deps.sh
	$(BIN)/python -m pip install --quiet -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e '.[$(EXTRAS)]'
	$(BIN)/python scripts/compile_messages.py  # the .mo files are built from the .po files, not kept in git
	touch $(STAMP)

## make lock: re-resolve requirements-lock.txt from pyproject.toml after changing a dependency
lock:
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links \
	  $(foreach extra,$(subst $(comma), ,$(EXTRAS)),--extra $(extra)) --output-file $(LOCK) pyproject.toml
	sed -i '/^techguard @ /d' $(LOCK)  # the project itself (its extras name it), installed editable above

# The screening hot path compiled with mypyc beside its sources (src/techguard/native.py says which modules and
# refuses a build older than its sources); `make pure` goes back to plain Python, `NATIVE=0` skips compiling.
NATIVE ?= 1
NATIVE_MANIFEST := src/techguard/native.json
NATIVE_SOURCES := src/techguard/native.py $(wildcard src/techguard/matching/*.py src/techguard/text/*.py)
ifeq ($(NATIVE),1)
NATIVE_TARGET := $(NATIVE_MANIFEST)
endif

$(NATIVE_MANIFEST): $(STAMP) $(NATIVE_SOURCES) scripts/compile_native.py
	$(BIN)/python scripts/compile_native.py

native: $(STAMP)
	$(BIN)/python scripts/compile_native.py

pure: $(STAMP)
	$(BIN)/python scripts/compile_native.py --clean

install: $(STAMP) $(NATIVE_TARGET)

## make run: install into .venv, migrate the SQLite database, create the first administrator, serve the web app
run: $(STAMP) $(NATIVE_TARGET)
	$(BIN)/techguard web serve --host $(HOST) --port $(PORT)

## make test: everything that checks the project
test: lint typecheck pytest pytest-postgres

lint: $(STAMP)
	$(BIN)/ruff check src tests bench

typecheck: $(STAMP) $(NATIVE_TARGET)
	$(BIN)/mypy

services:
	bash scripts/ensure-test-services.sh

pytest: $(STAMP) $(NATIVE_TARGET) services
	$(BIN)/pytest -q -p no:cacheprovider

pytest-postgres: $(STAMP) $(NATIVE_TARGET) services
	DATABASE_URL=$(TEST_POSTGRES_URL) $(BIN)/pytest -q -p no:cacheprovider tests/web tests/reliability -m "not browser"

## make bench: the benchmarks behind docs/benchmarks.md (minutes; never part of `make test`)
bench: $(STAMP) $(NATIVE_TARGET)
	$(BIN)/python bench/screening.py
	$(BIN)/python bench/screening_batch.py
	$(BIN)/python bench/rules.py
	$(BIN)/python bench/research.py
	$(BIN)/python bench/web_load.py
	$(BIN)/python bench/web_load.py --postgres postgres://postgres@127.0.0.1:5432/techguard --requests 0 --users 50
	$(BIN)/python bench/web_load.py --postgres postgres://postgres@127.0.0.1:5432/techguard --requests 0 --users 200 --pause 5
	# the reliability suite, longer: more schemathesis examples, a 2-minute load, on PostgreSQL
	DATABASE_URL=$(TEST_POSTGRES_URL) TECHGUARD_SCHEMATHESIS_EXAMPLES=100 TECHGUARD_LOAD_CLIENTS=50 \
	  TECHGUARD_LOAD_SECONDS=120 $(BIN)/pytest -q -p no:cacheprovider tests/reliability
	$(BIN)/python bench/classification.py
	$(BIN)/python bench/catalogue_crosswalk.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
	rm -f $(NATIVE_MANIFEST) $(wildcard src/techguard/*.so src/techguard/matching/*.so src/techguard/text/*.so)
