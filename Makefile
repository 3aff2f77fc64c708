PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-slow lint format screenshots bench demo clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/mlplanner

demo: $(STAMP)
	$(BIN)/mlplanner --demo

# Bytecode is written (and pytest's rewritten test modules kept) even where the environment
# says not to: without it every run and every xdist worker compiles the project and rewrites
# each test module's asserts again, some 4 s a worker.
KEEP_BYTECODE := PYTHONDONTWRITEBYTECODE=

test: $(STAMP)
	$(BIN)/ruff check mlplanner tests benchmarks
	$(BIN)/ruff format --check mlplanner tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(KEEP_BYTECODE) $(BIN)/python -m pytest -q -m "not slow" -n auto --dist worksteal

# The tests marked slow (a PostgreSQL server, racing processes, a browser, the wheel, long
# screen sessions): run one after another, since several start servers or processes.
# `make test` and `make test-slow` together run every test once; .ci/run runs both.
test-slow: $(STAMP)
	$(KEEP_BYTECODE) $(BIN)/python -m pytest -q -m slow --snapshot-warn-unused

lint: $(STAMP)
	$(BIN)/ruff check mlplanner tests benchmarks

format: $(STAMP)
	$(BIN)/ruff format mlplanner tests benchmarks
	$(BIN)/ruff check --fix mlplanner tests benchmarks

screenshots: $(STAMP)
	$(BIN)/python -m mlplanner.tui.screenshots screenshots

clean:
	rm -rf $(VENV) build dist *.egg-info
