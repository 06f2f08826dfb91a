# Loket: `make test` installs what the tests need and runs them; `make demo` shows a day.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Debian packages the test suite needs (installed when run as root on Debian).
DEB_PACKAGES ?= mosquitto socat zbar-tools fonts-dejavu-core xvfb xauth espeak-ng libmtdev1 chromium chromium-driver avahi-daemon avahi-utils dbus-daemon

.PHONY: test demo lint format bench simulate deps venv clean faults soak security

test: deps venv lint
	$(BIN)/pytest

# The regression tests of the security issue (#13): attacks on a provisioned site.
security: deps venv
	$(BIN)/pytest -m security

# The whole system: broker, hub, kiosk, staff terminal and display board (in windows where
# there is a screen) with simulated visitors and counters; Ctrl-C stops it.
demo: venv
	$(BIN)/loket demo --simulate $(if $(DEMO_SECONDS),--duration $(DEMO_SECONDS))

# A whole simulated day through the engine, with its KPIs and wait-estimate error.
simulate: venv
	$(BIN)/loket simulate --config config/townhall.yaml --visitors 300 --seed 1 --day 2026-12-03

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy queue_engine link siteconfig apps central loket printer_drivers kiosk display_board live_page provisioning staff_terminal

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The fault and reliability tests together (crashes, restarts, fuzz, the real day).
faults: venv
	$(BIN)/pytest -m faults

# A busy day's peak held for SOAK_SECONDS (at most 600) with faults injected; prints a report.
SOAK_SECONDS ?= 300
soak: venv
	$(BIN)/python bench/soak.py --seconds $(SOAK_SECONDS)

bench: venv
	$(BIN)/python bench/bench_engine.py

deps:
	@scripts/install-debian-packages $(DEB_PACKAGES)

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Loket needs Python 3.11 or newer; $(PYTHON) is $$($(PYTHON) --version)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,ui]"
	touch $@

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis build *.egg-info
