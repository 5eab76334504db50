# sufficiency: the two set-up commands are `make demo` and `make test` (README).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PEERS := .peer-venvs
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest bench serve peers system frontend clean

# uv (from PyPI) installs into the environments: the same packages as pip, in a fifth of the time.
# Bytecode: Python writes a module's the first time it is imported (PYTHONDONTWRITEBYTECODE, which
# CI images set, is not passed on to the commands here), so only the modules a run uses are
# compiled, once. Compiling every installed module up front (uv's --compile-bytecode) took 76 s of
# a clean set-up; never writing it made every process compile Django, Polars and the rest again
# (4.1 s instead of 2.1 s to start the web app).
unexport PYTHONDONTWRITEBYTECODE
UV := $(BIN)/uv
UV_INSTALL := $(UV) pip install -q

# uv first, on its own (the system's pip puts it in an environment made without pip: seeding pip
# took 10 s; a pip older than 22.3 has no --python, and the environment's own pip is seeded then):
# the project's environment and the peers' are then installed side by side.
$(UV):
	test -x $(BIN)/python || $(PY) -m venv --without-pip $(VENV)
	$(PY) -m pip --python $(BIN)/python install -q uv || \
		($(BIN)/python -m ensurepip >/dev/null && $(BIN)/python -m pip install -q uv)

$(STAMP): pyproject.toml $(UV)
	$(UV_INSTALL) --python $(BIN)/python -e '.[dev,pdf,distributed,web]'
	touch $(STAMP)

venv: $(STAMP)

# Peer tools in their own environments (they pin old pandas / rich): the DfE rule validator and
# Social Finance's demand model. `validate --dfe-rules` finds the validator here.
$(PEERS)/val903/.installed: $(UV)
	$(UV) venv -q --python $(PY) $(PEERS)/val903
	$(UV_INSTALL) --python $(PEERS)/val903/bin/python csc-validator-be-903 pytest
	touch $@

$(PEERS)/demand/.installed: $(UV)
	$(UV) venv -q --python $(PY) $(PEERS)/demand
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
	bash scripts/demo.sh

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy src

pytest: $(STAMP) peers system frontend
	$(BIN)/python -m pytest -n 2 --dist loadfile --no-loadscope-reorder -q -p no:cacheprovider --durations=20

# The installs the tests need run side by side (they wait on the network and the disk: the
# project's environment, the peers', Debian's packages), then the suite with the checks beside it:
# mypy takes one core for half a minute, which the suite's two workers would otherwise wait for,
# and the last test file leaves a core idle anyway.
test:
	$(MAKE) --no-print-directory -j4 $(STAMP) peers system frontend
	$(MAKE) --no-print-directory -j3 lint typecheck pytest

bench: $(STAMP) peers
	$(BIN)/python -m benchmarks.run

serve: $(STAMP) frontend
	$(BIN)/sufficiency serve --demo

clean:
	rm -rf $(VENV) $(PEERS) demo test-output bench-output
