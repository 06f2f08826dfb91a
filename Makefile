# Loket: `make test` installs what the tests need and runs them; `make demo` shows a day.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Debian packages the test suite needs (installed when run as root on Debian).
DEB_PACKAGES ?= mosquitto socat zbar-tools fonts-dejavu-core xvfb xauth espeak-ng libmtdev1 chromium chromium-driver avahi-daemon avahi-utils dbus-daemon systemd

.PHONY: test demo lint format bench simulate deps venv clean faults soak i18n security deploy-check

test: deps venv lint
	$(BIN)/pytest

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
	$(BIN)/mypy queue_engine link siteconfig i18n apps central loket printer_drivers kiosk display_board live_page provisioning staff_terminal

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The translation catalogues: find the marked texts in the code (i18n/locale/loket.pot), add
# new ones to each language's .po (English ones filled with the source text), compile the .mo
# files the apps read. Translators edit the .po files (Poedit, Weblate), then run this again.
LOCALE := i18n/locale
i18n: venv
	$(BIN)/pybabel extract --mapping-file babel.cfg --no-default-keywords --keyword N_ \
		--keyword pN_:1c,2 --keyword nN_:1,2 --add-comments Translators: --sort-by-file \
		--project Loket --copyright-holder "Loket developers" \
		--output-file $(LOCALE)/loket.pot .
	$(BIN)/pybabel update --input-file $(LOCALE)/loket.pot --output-dir $(LOCALE) --domain loket \
		--ignore-obsolete
	$(BIN)/python scripts/fill-source-language $(LOCALE)/en/LC_MESSAGES/loket.po
	$(BIN)/pybabel compile --directory $(LOCALE) --domain loket --statistics

# The fault and reliability tests together (crashes, restarts, fuzz, the real day).
faults: venv
	$(BIN)/pytest -m faults

# The regression tests of what an attack on a provisioned site found (issue 13).
security: deps venv
	$(BIN)/pytest -m security

# The deployment guide run as written (as root, in a throw-away folder): users, folders,
# permissions, Mosquitto as its own user, systemd-analyze verify on the units.
deploy-check: deps venv
	$(BIN)/pytest tests/test_security_deploy.py

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
