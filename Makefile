# The two commands of the README: `make run` and `make test`. Everything else supports them.
PY := .venv/bin/python
PORT ?= 8000
.DEFAULT_GOAL := run
.PHONY: run test venv messages check

.venv/.installed: requirements.txt
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

venv: .venv/.installed

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

test: venv
	scripts/ensure-system-packages
	$(PY) -m pytest $(PYTEST_ARGS)

check: venv
	$(PY) manage.py check
	$(PY) -m ruff check dsar tests bench
