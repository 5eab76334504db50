# sufficiency: the two set-up commands are `make demo` and `make test` (README).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PEERS := .peer-venvs
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest bench serve peers system frontend clean

# uv (from PyPI) installs into the environments: the same packages as pip, in a fifth of the time.
UV := $(BIN)/uv

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	test -x $(UV) || $(BIN)/pip install -q uv
	$(UV) pip install -q --python $(BIN)/python -e '.[dev,pdf,distributed,web]'
	touch $(STAMP)

venv: $(STAMP)

# Peer tools in their own environments (they pin old pandas / rich): the DfE rule validator and
# Social Finance's demand model. `validate --dfe-rules` finds the validator here.
$(PEERS)/val903/.installed: $(STAMP)
	$(PY) -m venv $(PEERS)/val903
	$(UV) pip install -q --python $(PEERS)/val903/bin/python csc-validator-be-903 pytest
	touch $@

$(PEERS)/demand/.installed: $(STAMP)
	$(PY) -m venv $(PEERS)/demand
	$(UV) pip install -q --python $(PEERS)/demand/bin/python cs-demand-model
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
	$(BIN)/python -m pytest -n 2 --dist loadfile -q -p no:cacheprovider --durations=20

# The checks and the installs the tests need run side by side (mypy takes one core, the installs
# wait on the network), then the suite.
test: $(STAMP)
	$(MAKE) --no-print-directory -j4 lint typecheck peers system frontend
	$(MAKE) --no-print-directory pytest

bench: $(STAMP) peers
	$(BIN)/python -m benchmarks.run

serve: $(STAMP) frontend
	$(BIN)/sufficiency serve --demo

clean:
	rm -rf $(VENV) $(PEERS) demo test-output bench-output
