# sufficiency: the two set-up commands are `make demo` and `make test` (README).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PEERS := .peer-venvs
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest bench serve peers system frontend clean

# uv (from PyPI) installs into the environments: the same packages as pip, in a fifth of the time.
# --compile-bytecode: uv, unlike pip, leaves modules uncompiled, and where PYTHONDONTWRITEBYTECODE
# is set (CI images) every process then compiles Django, Polars and the rest from source again:
# 4.1 s instead of 2.1 s to start the web app, 2.7 s instead of 1.0 s to import the forecast stack.
UV := $(BIN)/uv
UV_INSTALL := $(UV) pip install -q --compile-bytecode

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	test -x $(UV) || $(BIN)/pip install -q uv
	$(UV_INSTALL) --python $(BIN)/python -e '.[dev,pdf,distributed,web]'
	touch $(STAMP)

venv: $(STAMP)

# Peer tools in their own environments (they pin old pandas / rich): the DfE rule validator and
# Social Finance's demand model. `validate --dfe-rules` finds the validator here.
$(PEERS)/val903/.installed: $(STAMP)
	$(PY) -m venv $(PEERS)/val903
	$(UV_INSTALL) --python $(PEERS)/val903/bin/python csc-validator-be-903 pytest
	touch $@

$(PEERS)/demand/.installed: $(STAMP)
	$(PY) -m venv $(PEERS)/demand
	$(UV_INSTALL) --python $(PEERS)/demand/bin/python cs-demand-model
	touch $@

peers: $(PEERS)/val903/.installed $(PEERS)/demand/.installed

# System packages the tests need (chromium, poppler-utils, postgresql, fonts), installed by script.
system:
	bash scripts/install-system.sh

# The web front end (govuk-frontend 5.x, plotly.js strict bundle) from the npm registry.
frontend: $(STAMP)
	$(BIN)/python -m sufficiency.web.frontend

demo: $(STAMP) $(PEERS)/val903/.installed
	$(BIN)/python -m compileall -q -j 0 src
	bash scripts/demo.sh

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy src

# The package's own modules compiled once (an editable install is not): every command the tests
# start imports them.
pytest: $(STAMP) peers system frontend
	$(BIN)/python -m compileall -q -j 0 src
	$(BIN)/python -m pytest -n 2 --dist loadfile --no-loadscope-reorder -q -p no:cacheprovider --durations=20

# The installs the tests need run side by side (they wait on the network), then the suite with
# the checks beside it: mypy takes one core for half a minute, which the suite's two workers would
# otherwise wait for, and the last test file leaves a core idle anyway.
test: $(STAMP)
	$(MAKE) --no-print-directory -j3 peers system frontend
	$(MAKE) --no-print-directory -j3 lint typecheck pytest

bench: $(STAMP) peers
	$(BIN)/python -m benchmarks.run

serve: $(STAMP) frontend
	$(BIN)/sufficiency serve --demo

clean:
	rm -rf $(VENV) $(PEERS) demo test-output bench-output
