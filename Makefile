# Two commands for a newcomer: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# XStatic-Bootstrap builds from source and needs an older setuptools (constraints.txt).
PIP := PIP_CONSTRAINT=$(CURDIR)/constraints.txt PIP_DISABLE_PIP_VERSION_CHECK=1 $(BIN)/pip
MANAGE := $(BIN)/python manage.py

.PHONY: install install-dev run migrate test lint audit format migrations-check clean

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

test: install-dev lint
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev migrations-check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check templates
	$(BIN)/bandit -q -c pyproject.toml -r clinic faq booking
	$(BIN)/semgrep scan --config .semgrep.yml --error --metrics=off --disable-version-check --quiet clinic faq booking templates
	DJANGO_DEBUG=true $(MANAGE) check --fail-level WARNING

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
