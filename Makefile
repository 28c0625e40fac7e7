# Two commands on a fresh machine: `make run` and `make test`. Both create .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-slow test-spark lint format screenshot app clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/photoorg

test: $(STAMP) lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -m "not slow"

test-slow: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -m slow

# The optional Spark extra (~500 MB, Java 17): its tests skip unless it is installed.
test-spark: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,spark]'
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest tests/services/spark

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf build dist tests/.cache .pytest_cache

app:
	scripts/build-app
