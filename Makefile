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
	$(BIN)/python -m pip install --quiet -e '.[dev,eval,postgres]'
	touch $(STAMP)

install: $(STAMP)

# The example corpus is about fictional countries: its actor dictionary is imported first, as a
# user brings their own. Re-running the demo is safe: nothing already stored is redone.
demo: install
	@mkdir -p out
	$(BIN)/newstrace actors import examples/actors.txt --db $(DEMO_DB)
	$(BIN)/newstrace run examples/ --db $(DEMO_DB)
	$(BIN)/newstrace stats --db $(DEMO_DB)
	$(BIN)/newstrace quotes --db $(DEMO_DB) --limit 12
	$(BIN)/newstrace export articles --db $(DEMO_DB) -o out/articles.jsonl
	$(BIN)/newstrace export quotes --db $(DEMO_DB) -o out/quotes.jsonl
	$(BIN)/newstrace export entities --db $(DEMO_DB) -o out/entities.jsonl
	@echo "exported out/articles.jsonl, out/quotes.jsonl and out/entities.jsonl; the store is $(DEMO_DB)"
	@# Serving blocks until Ctrl-C: only when someone is at a terminal to press it.
	@if [ -t 0 ]; then \
		$(BIN)/newstrace serve --db $(DEMO_DB); \
	else \
		echo "to browse it (pages at /, JSON API at /api/v1): $(BIN)/newstrace serve --db $(DEMO_DB)"; \
	fi

lint: install
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts

typecheck: install
	$(BIN)/mypy

test: install lint typecheck
	$(BIN)/pytest -q

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache
