# Two commands for a newcomer: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# XStatic-Bootstrap builds from source and needs an older setuptools (constraints.txt).
PIP := PIP_CONSTRAINT=$(CURDIR)/constraints.txt PIP_DISABLE_PIP_VERSION_CHECK=1 $(BIN)/pip
MANAGE := $(BIN)/python manage.py

.PHONY: install install-dev run migrate test test-instants lint audit format messages migrations-check clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("Python 3.12 or newer is needed (see .python-version)") if sys.version_info < (3, 12) else None'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt constraints.txt | $(BIN)/python
	$(PIP) install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt constraints.txt | $(BIN)/python
	$(PIP) install -q -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

migrate: install
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(MANAGE) migrate --no-input

run: migrate
	@echo ""
	@echo "  Site:   http://127.0.0.1:8000/"
	@echo "  Admin:  http://127.0.0.1:8000/admin/"
	@echo "  Create a staff account first (another terminal):"
	@echo "      DJANGO_DEBUG=true $(BIN)/python manage.py createsuperuser"
	@echo "  Send due reminders and queued mail:"
	@echo "      DJANGO_DEBUG=true $(BIN)/python manage.py run_jobs"
	@echo ""
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(MANAGE) runserver 127.0.0.1:8000

# The Nu HTML checker (pages, stylesheets, emails) comes from npm and runs on Java.
# Without npm or Java its tests skip with the reason (CI sets REQUIRE_VNU=1: a failure).
VNU_JAR := node_modules/vnu-jar/build/dist/vnu.jar

$(VNU_JAR):
	@if command -v npm >/dev/null 2>&1; then \
	  npm install --no-save --no-audit --no-fund --loglevel=error vnu-jar || echo "vnu-jar not installed: the Nu HTML checker tests will skip"; \
	else echo "npm not found: the Nu HTML checker tests will skip"; fi

test: install-dev lint | $(VNU_JAR)
	$(BIN)/pytest $(PYTEST_ARGS)

# The date-sensitive tests again at five instants chosen to be hard (README, "Development"),
# the whole process's clock moved by libfaketime. SQLite follows the fake clock; a
# PostgreSQL server does not, hence SQLite and "not postgres_only".
# faketime reads "@" times in the process's zone: TZ=UTC below makes every instant UTC,
# and the clinic time of each is in its label (America/New_York: EST = UTC-5, EDT = UTC-4).
# libfaketime 0.9.10 (Debian 12) moves the monotonic clock too but does not wrap
# sem_clockwait, so a Python wait with a timeout (Event.wait(1)) never times out; with
# FAKETIME_DONT_FAKE_MONOTONIC=1 instead, time.sleep() fails with EINVAL. Hence the
# default, and the one test that relies on a timed wait expiring (run_jobs --loop after a
# failed run; no dates in it) is left out here. `timeout` turns any other hang into a
# failure instead of a stuck CI.
INSTANT_DESELECT := --deselect tests/booking/test_one_bad_message.py::test_the_loop_outlives_a_run_that_fails
# The set: everything that books, reminds or shows dates (booking, reminders and the
# outbox's lifecycle, the browser), the structured data's hours and closures, and the
# security tests that walk bookings. Not the rest of tests/security and tests/clinic
# (headers, rate limits, fuzzing, log-in, caches: no dates, and slow), nor tests/faq.
INSTANT_TESTS ?= tests/booking tests/waitlist tests/browser tests/clinic/test_structured_data.py \
	tests/security/test_privacy.py tests/security/test_access_matrix.py \
	tests/security/test_permissions.py
INSTANTS := \
	"2027-03-13 17:00:00|Saturday 13 March 2027, noon EST: daylight saving starts the next night" \
	"2027-11-06 16:00:00|Saturday 6 November 2027, noon EDT: daylight saving ends the next night" \
	"2027-07-03 03:30:00|Friday 2 July 2027, 23:30 EDT, already Saturday in UTC: a weekend and Monday's Independence Day (observed) next" \
	"2027-12-23 17:00:00|Thursday 23 December 2027, noon EST: Christmas and New Year observed on Fridays 24 and 31, a year end in the horizon" \
	"2028-02-29 17:00:00|Tuesday 29 February 2028, noon EST: after 2027, a leap day"

test-instants: install-dev
	@command -v faketime >/dev/null 2>&1 || { \
	  echo "test-instants: faketime is missing (apt-get install -y faketime); failing, not skipping." >&2; \
	  exit 1; }
	@printf '%s\n' $(INSTANTS) | { \
	  failed=""; \
	  while IFS='|' read -r instant why; do \
	    echo "=== tests at $$instant UTC ($$why) ==="; \
	    start=$$(date +%s); \
	    TZ=UTC REQUIRE_BROWSER=1 timeout -k 30 1800 faketime -f "@$$instant" \
	      $(BIN)/pytest -p no:cacheprovider -m "not postgres_only" $(INSTANT_DESELECT) \
	      $(INSTANT_TESTS) $(PYTEST_ARGS) </dev/null || failed="$$failed, $$instant"; \
	    echo "=== tests at $$instant UTC took $$(( $$(date +%s) - start )) s ==="; \
	  done; \
	  if [ -n "$$failed" ]; then echo "test-instants: failed at $${failed#, } (UTC)" >&2; exit 1; fi; \
	  echo "test-instants: passed at all five instants"; }

lint: install-dev migrations-check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check templates
	$(BIN)/bandit -q -c pyproject.toml -r clinic faq feedback booking intake waitlist
	$(BIN)/semgrep scan --config .semgrep.yml --error --metrics=off --disable-version-check --quiet clinic faq feedback booking intake waitlist templates
	DJANGO_DEBUG=true $(MANAGE) check --fail-level WARNING
	DJANGO_DEBUG=true $(MANAGE) check_translations

# After changing an interface string: update the Spanish catalogue, translate what is
# new in locale/es/LC_MESSAGES/django.po, then run this again to compile it.
messages: install-dev
	DJANGO_DEBUG=true $(MANAGE) makemessages --locale es --no-location --no-obsolete --ignore .venv --ignore node_modules --ignore tests --ignore bench --ignore staticfiles --ignore templates/admin --ignore templates/simple_history
	DJANGO_DEBUG=true $(MANAGE) compilemessages --locale es --ignore .venv

migrations-check: install-dev
	DJANGO_DEBUG=true $(MANAGE) makemigrations --check --dry-run

# Known vulnerabilities in our pinned dependencies. Needs the vulnerability database
# online: --strict makes an unreachable database a failure, never a silent pass.
audit: install-dev
	$(BIN)/pip-audit --strict --requirement requirements.txt

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml templates

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
