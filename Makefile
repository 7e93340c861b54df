# Vigie: `make run` starts the bot, `make test` runs the whole suite. Both bootstrap .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint check clean browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install only when the project definition changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,lexicons,faq-semantic]'
	touch $(VENV)/.installed $@

run: $(VENV)/.installed
	$(BIN)/vigie run

# The dashboard's browser tests drive Debian's headless chromium (installed once, when missing).
browser:
	@command -v chromedriver >/dev/null || (apt-get update && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver)

test: $(VENV)/.installed-test browser
	$(BIN)/ruff check bot plugins tests
	$(BIN)/mypy
	$(BIN)/python -m pytest

check: $(VENV)/.installed
	$(BIN)/vigie check config/rules.yaml

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
