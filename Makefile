# Newsroom CMS: everyday developer commands.
#
#   make run       set up .venv, compile translations, migrate, seed a demo editor, serve on 127.0.0.1:8000
#   make test      run the test suite (SQLite, or whatever DATABASE_URL names); extra args: PYTEST_ARGS="-k foo"
#                  browser tests (tests/browser) run when /usr/bin/chromium exists, else skip; screenshots land
#                  in test-artifacts/screenshots/ (NEWSROOM_SCREENSHOTS_DIR); leave them out: PYTEST_ARGS="-m 'not browser'"
#   make lint      ruff
#   make check     missing migrations, and Django's deploy checks with production-like settings
#   make messages  refresh locale/*.po for ar and en, then compile them
#   make bench     run the benchmarks in bench/ and write their figures to bench/results/: renditions, page weight,
#                  every page's render time and queries at BENCH_SIZES articles (default 1000,10000,100000) on SQLite
#                  and PostgreSQL (BENCH_DATABASE_URL), throughput under gunicorn + wrk: bench/results/latest.md;
#                  the query plans of the heaviest queries at 100,000 articles; a 10,000-post WordPress import
#   make load      60 s of 50 readers and 5 saving editors against gunicorn on PostgreSQL (DATABASE_URL; a throwaway
#                  database newsroom_load by default): bench/results/load.md
#   make drill     stop and restart a throwaway PostgreSQL under load: bench/results/outage-drill.md
#   make multinode two gunicorn nodes sharing PostgreSQL and a throwaway redis-server: shared cache invalidation,
#                  sessions, publish_scheduled exactly once: bench/results/multinode.md
#   make clean     remove the virtualenv and caches (keeps db.sqlite3 and media/)
#
# Django 6.1 needs Python 3.12+. Pick one explicitly with: make run PYTHON=/path/to/python3.12

SHELL := /bin/bash

# The check every candidate interpreter must pass (exit 0 only on 3.12+).
PY_OK = import sys; sys.exit(sys.version_info < (3, 12))

# First working Python >= 3.12. Each candidate is actually run, because `python3.12` on PATH may be
# a pyenv shim that exists but fails ("command not found"). We keep the real executable path
# (sys.executable), not the shim. Recursive `?=` means this only runs when $(PYTHON) is expanded,
# i.e. when the venv recipe needs it, and PYTHON=... on the command line or in the env wins.
PY_CANDIDATES = python3.13 python3.12 python3 \
	$$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3.1? 2>/dev/null | sort -rV) \
	$$(ls -d /usr/bin/python3.1[2-9] /usr/local/bin/python3.1[2-9] 2>/dev/null | sort -rV)
PYTHON ?= $(shell for c in $(PY_CANDIDATES); do \
	"$$c" -c 'import sys; sys.version_info >= (3, 12) or sys.exit(1); print(sys.executable)' 2>/dev/null && break; \
	done)

VENV    := .venv
VPY     := $(VENV)/bin/python
MANAGE  := $(VPY) manage.py
STAMP   := $(VENV)/.installed
PYTEST_ARGS ?=

# Development by default: settings need DEBUG=1 (or a SECRET_KEY) to start. A DEBUG the user sets wins.
DEBUG ?= 1
export DEBUG

.PHONY: run test lint check bench load drill multinode messages compilemessages gettext venv $(VENV) clean

venv $(VENV): $(STAMP)

# Reinstall only when a requirements file changes. The venv is (re)created only when it is missing
# or was made with a Python older than 3.12; pip itself is left as the venv ships it.
$(STAMP): requirements.txt requirements-dev.txt
	@if ! $(VPY) -c '$(PY_OK)' 2>/dev/null; then \
	  if [ -z "$(PYTHON)" ] || ! "$(PYTHON)" -c '$(PY_OK)' 2>/dev/null; then \
	    echo "error: Python 3.12 or newer is required (Django 6.1), but none was found$(if $(PYTHON), (PYTHON=$(PYTHON) is too old or does not run))." >&2; \
	    echo "Install Python 3.12+ and point make at it, e.g.: make $(or $(MAKECMDGOALS),run) PYTHON=/path/to/python3.12" >&2; \
	    exit 1; \
	  fi; \
	  echo "Creating $(VENV) with $(PYTHON)"; \
	  rm -rf $(VENV); \
	  "$(PYTHON)" -m venv $(VENV); \
	fi
	$(VPY) -m pip install --disable-pip-version-check --progress-bar off -r requirements-dev.txt
	@touch $@

# compilemessages/makemessages need GNU gettext (msgfmt, xgettext). As root with apt-get we install
# it; otherwise say how.
gettext:
	@command -v msgfmt >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "msgfmt (GNU gettext) is missing; installing gettext with apt-get"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext; \
	  else \
	    echo "error: msgfmt not found. Translations need GNU gettext:" >&2; \
	    echo "  Debian/Ubuntu: sudo apt-get install gettext   Fedora: sudo dnf install gettext   macOS: brew install gettext" >&2; \
	    exit 1; \
	  fi; }

compilemessages: venv gettext
	$(MANAGE) compilemessages --ignore=$(VENV)

run: compilemessages
	$(MANAGE) migrate
	$(MANAGE) seed_demo
	$(MANAGE) runserver 127.0.0.1:8000

# Tests always get DEBUG=1 so settings are the dev-safe ones (no HTTPS redirect, no SECRET_KEY needed);
# Django itself still runs the tests with DEBUG=False.
test: compilemessages
	DEBUG=1 $(VENV)/bin/pytest $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .

# The deploy check runs with production settings, a throwaway random key (50+ chars, as check W009 wants) and
# a mail server name (production must have one: invitations and password links go by mail).
check: venv
	$(MANAGE) makemigrations --check --dry-run
	DEBUG=0 ALLOWED_HOSTS=example.org EMAIL_HOST=smtp.example.org \
	SECRET_KEY="$$($(VPY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	$(MANAGE) check --deploy --fail-level WARNING

# Benchmarks measure, they do not pass or fail: figures land in bench/results/ for the README to quote.
bench: compilemessages
	$(VPY) bench/renditions.py
	$(VPY) bench/page_weight.py
	$(VPY) bench/pages.py
	$(VPY) bench/throughput.py
	$(VPY) bench/thin_edition.py
	$(VPY) bench/query_plans.py
	$(VPY) bench/wordpress_import.py

# These need PostgreSQL and run with production settings (bench/load.py sets them); they stay on 127.0.0.1.
load: compilemessages
	$(VPY) bench/load.py

drill: compilemessages
	$(VPY) bench/outage_drill.py

multinode: compilemessages
	$(VPY) bench/multinode.py

messages: venv gettext
	$(MANAGE) makemessages -l ar -l en --ignore=$(VENV) --ignore=media --ignore=staticfiles --ignore=tests --ignore=bench
	$(MANAGE) makemessages -d djangojs -l ar -l en --ignore=$(VENV) --ignore=media --ignore=staticfiles --ignore=tests \
	    --ignore=bench --ignore=static/vendor --ignore=node_modules
	$(MANAGE) compilemessages --ignore=$(VENV)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles test-artifacts
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
