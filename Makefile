PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format screenshots bench demo clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/mlplanner

demo: $(STAMP)
	$(BIN)/mlplanner --demo

test: $(STAMP)
	$(BIN)/ruff check mlplanner tests benchmarks
	$(BIN)/ruff format --check mlplanner tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check mlplanner tests benchmarks

format: $(STAMP)
	$(BIN)/ruff format mlplanner tests benchmarks
	$(BIN)/ruff check --fix mlplanner tests benchmarks

screenshots: $(STAMP)
	$(BIN)/python -m mlplanner.tui.screenshots screenshots

clean:
	rm -rf $(VENV) build dist *.egg-info
