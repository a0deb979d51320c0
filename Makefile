# Two commands do all set-up: `make run` and `make test`. Both go through `make install`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install run test lint bench fixtures clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	@# Compile the rules once now (kept in ~/.cache/deonto): the first `deonto serve` then starts
	@# in about a second instead of two and a half.
	$(BIN)/deonto rules list > /dev/null 2>&1 || true
	touch $@

run: install
	$(BIN)/deonto serve

lint: install
	$(BIN)/deonto rules lint

# Fixture pages bundle the real Quill and Lexical editors (npm, pinned by package-lock.json).
fixtures:
	$(MAKE) -C tests/fixtures

test: install lint fixtures
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/engine_bench.py
	$(BIN)/python bench/server_bench.py
	$(BIN)/python bench/soak.py

clean:
	rm -rf $(VENV) tests/fixtures/node_modules tests/fixtures/site/*.bundle.js
