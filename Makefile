# The two commands of the README: `make run` and `make test`. Everything else supports them.
PY := .venv/bin/python
PORT ?= 8000
.DEFAULT_GOAL := run
.PHONY: run test venv dev-venv messages check

# Runtime (make run) and, for make test, the pinned development tools on top.
.venv/.installed: requirements.txt
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

.venv/.installed-dev: .venv/.installed requirements.txt requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

venv: .venv/.installed
dev-venv: .venv/.installed-dev

# Compile translations (the .mo files are committed too, so msgfmt is only needed after edits).
messages: venv
	$(PY) manage.py compilemessages --ignore=.venv -v 0

run: venv
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py load_catalog --if-empty
	@echo ""
	@echo "  dsar is starting: open http://127.0.0.1:$(PORT)/  (web, Celery worker and beat; Ctrl-C stops all)"
	@echo ""
	DSAR_PORT=$(PORT) PATH="$(CURDIR)/.venv/bin:$$PATH" .venv/bin/honcho -f Procfile.dev start

# mypy first: its cache (.mypy_cache) makes a re-run take seconds.
test: dev-venv
	scripts/ensure-system-packages
	$(PY) -m mypy
	$(PY) -m pytest $(PYTEST_ARGS)

check: dev-venv
	$(PY) manage.py check
	$(PY) -m ruff check dsar tests bench
	$(PY) -m mypy
