# Two commands for a new user: `make demo` and `make test`. Each creates or reuses .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_DB := out/demo.db

.PHONY: install demo test lint typecheck clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,eval]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	@mkdir -p out
	$(BIN)/newstrace run examples/ --db $(DEMO_DB)
	$(BIN)/newstrace stats --db $(DEMO_DB)
	$(BIN)/newstrace export articles --db $(DEMO_DB) -o out/articles.jsonl
	@echo "articles exported to out/articles.jsonl; the store is $(DEMO_DB)"

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: install
	$(BIN)/mypy

test: install lint typecheck
	$(BIN)/pytest -q

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache
