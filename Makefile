# jupyterlab-sentinel — one entry point for people and CI.
#   make lab    build everything and start JupyterLab with the local demo workspace
#   make test   run every test suite: jest, pytest, Galata (Debian's chromium)
# Everything lives in a virtual environment in $(VENV); Node comes from the machine.

VENV ?= .venv
PYTHON ?= python3
BIN := $(abspath $(VENV))/bin
export PATH := $(BIN):$(PATH)
# Only the configured package index is reachable here: fail fast instead of retrying other hosts.
export PIP_RETRIES ?= 0
export PIP_DISABLE_PIP_VERSION_CHECK := 1

JUPYTERLAB_VERSION := 4.6.6
LAB_PORT ?= 8888
CHROMIUM ?= /usr/bin/chromium

.PHONY: corpus lab test install build demo jest pytest ui-test lint format bench wheel clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Python tooling first (the editable install's build hook needs it), then the package itself, whose
# build hook runs `jlpm install` and `jlpm build`; `develop` links the built extension into the venv.
$(VENV)/.installed: $(BIN)/python pyproject.toml package.json
	$(BIN)/pip install -q "jupyterlab==$(JUPYTERLAB_VERSION)" hatch-jupyter-builder hatch-nodejs-version editables "jupyter-builder>=1.2.0,<2"
	# A second install would write the wheel's install.json through the link `develop` made into
	# the built extension, whose next wheel would then hold it twice (and fail): unlink first.
	rm -rf $(VENV)/share/jupyter/labextensions/jupyterlab-sentinel jupyterlab_sentinel/labextension/install.json
	$(BIN)/pip install -q -e ".[dev,test,spark,jobs]"
	$(BIN)/jupyter-builder develop --overwrite .
	$(BIN)/jupyter server extension enable --sys-prefix jupyterlab_sentinel
	touch $@

install: $(VENV)/.installed

build: install
	jlpm build

demo: install
	$(BIN)/python -m jupyterlab_sentinel.demo --if-missing

lab: build demo
	$(BIN)/jupyter lab --port=$(LAB_PORT) --LabApp.extension_manager=readonly --ServerApp.allow_root=True

jest: build
	jlpm test

pytest: build
	$(BIN)/python -m pytest -q tests

ui-tests/node_modules/.installed: ui-tests/package.json
	cd ui-tests && jlpm install
	touch $@

ui-test: build demo ui-tests/node_modules/.installed
	@test -x $(CHROMIUM) || { echo "Galata needs Debian's chromium at $(CHROMIUM): apt-get install chromium"; exit 1; }
	@command -v java >/dev/null || echo "No Java: spark.spec.ts is skipped (apt-get install openjdk-17-jre-headless)"
	# With Java, spark.spec.ts runs against a local Spark Connect server (ui-tests/spark_server.py).
	cd ui-tests && CHROMIUM_PATH=$(CHROMIUM) SENTINEL_SPARK=$$(command -v java >/dev/null && echo 1) jlpm test

test: lint jest pytest ui-test

lint: install
	jlpm lint:check
	# The build compiles src/ without its tests: type-check the tests and the Azure emulator too.
	jlpm tsc -p tsconfig.test.json --noEmit
	$(BIN)/ruff check jupyterlab_sentinel tests benchmarks
	$(BIN)/ruff format --check jupyterlab_sentinel tests benchmarks
	$(BIN)/mypy

format: install
	jlpm lint
	$(BIN)/ruff format jupyterlab_sentinel tests benchmarks
	$(BIN)/ruff check --fix jupyterlab_sentinel tests benchmarks

bench: build demo ui-tests/node_modules/.installed
	$(BIN)/python benchmarks/bench_local.py
	$(BIN)/python benchmarks/bench_kql.py
	$(BIN)/python benchmarks/bench_spark.py
	$(BIN)/python benchmarks/bench_dataframe.py
	$(BIN)/python benchmarks/bench_latency.py --rows 5000 10000 --runs 7
	$(BIN)/python benchmarks/bench_grid.py --runs 3
	$(BIN)/python benchmarks/bench_startup.py --runs 7
	$(BIN)/python benchmarks/bench_loganalytics.py
	$(BIN)/python benchmarks/bench_server_limits.py

corpus: build
	bin/kql check --schema ../shared/corpus/table_schemas.json ../shared/corpus/sentinel_queries.jsonl

wheel: install
	jlpm clean:all
	$(BIN)/python -m build

clean:
	jlpm clean:all || true
	rm -rf $(VENV) node_modules ui-tests/node_modules dist
