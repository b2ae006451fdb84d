# kis-async developer commands. Every target creates or reuses .venv first.
# The first interpreter that runs and is 3.11+ (a pyenv shim can exist without a working python behind it).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { command -v $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install gen check-gen test lint demo bench examples sandbox clean redis-server

install: $(STAMP) redis-server

# The fleet tests (tests/fleet) need a real redis-server. As root with apt-get, install it quietly;
# anywhere else say how, and never fail: the tests then skip (but fail under CI=true).
redis-server:
	@command -v redis-server >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing redis-server (apt-get) for the fleet tests"; \
	    { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null 2>&1 || \
	      { apt-get update -qq >/dev/null 2>&1 && \
	        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null 2>&1; }; } || \
	    echo "could not install redis-server; the fleet tests will skip"; \
	  else \
	    echo "redis-server not found: the fleet tests will skip (install it: apt-get install redis-server, brew install redis)"; \
	  fi; }

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "kis-async needs Python 3.11 or newer")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

gen: install
	$(BIN)/python -m codegen gen

check-gen: install
	$(BIN)/python -m codegen check

# Many tests wait on sockets, subprocesses and the rate limiter rather than the CPU: one worker per
# core (pytest-xdist) keeps the suite well inside 5 minutes on a 2-core machine.
test: install check-gen
	$(BIN)/python -m pytest -q -n auto

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy kis_async codegen examples

demo: install
	$(BIN)/python examples/credit_balance.py

examples: install
	@for f in examples/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

bench: install
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python -m benchmarks

sandbox: install
	$(BIN)/python -m kis_async.sandbox

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
