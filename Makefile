# sufficiency: the two set-up commands are `make demo` and `make test` (README).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PEERS := .peer-venvs
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest bench serve peers system frontend clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,pdf,distributed,web]'
	touch $(STAMP)

venv: $(STAMP)

# Peer tools in their own environments (they pin old pandas / rich): the DfE rule validator and
# Social Finance's demand model. `validate --dfe-rules` finds the validator here.
$(PEERS)/val903/.installed:
	$(PY) -m venv $(PEERS)/val903
	$(PEERS)/val903/bin/pip install -q csc-validator-be-903 pytest
	touch $@

$(PEERS)/demand/.installed:
	$(PY) -m venv $(PEERS)/demand
	$(PEERS)/demand/bin/pip install -q cs-demand-model
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
	$(BIN)/python -m pytest -n 2 --dist loadfile -q -p no:cacheprovider

test: lint typecheck pytest

bench: $(STAMP) peers
	$(BIN)/python -m benchmarks.run

serve: $(STAMP) frontend
	$(BIN)/sufficiency serve --demo

clean:
	rm -rf $(VENV) $(PEERS) demo test-output bench-output
