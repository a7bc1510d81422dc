# The two commands (README): `make run` serves the demo city, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-browser bench bench-smoke bench-vote crash-test setup fonts lock lint format clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "需要 Python 3.11 或更高版本"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Installs the exact versions of requirements.lock (what CI tested), then the project itself.
$(STAMP): $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

# A CJK font for the charts inside the bulletin (matplotlib) and for rendering documents:
# Debian's fonts-noto-cjk, installed when missing and we may (root); otherwise we say so.
fonts:
	@fc-list :lang=zh 2>/dev/null | grep -q . || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null 2>&1; } \
	  || fc-list :lang=zh 2>/dev/null | grep -q . \
	  || echo "提示：未找到中文字体（Debian: apt-get install fonts-noto-cjk），通报中的图表将无法显示中文。"

setup: $(STAMP) node_modules/.package-lock.json fonts

# Re-resolves pyproject's ranges (with the dev extras) in a throwaway venv and pins the result.
lock:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || { echo "make lock 需要 Python 3.11"; exit 1; }
	rm -rf $(VENV)-lock
	$(PYTHON) -m venv $(VENV)-lock
	$(VENV)-lock/bin/pip install --quiet --upgrade pip
	$(VENV)-lock/bin/pip install --quiet -e '.[dev]'
	{ echo "# Exact versions of pyproject.toml's dependencies and dev extras on Python 3.11,"; \
	  echo "# installed by make setup. Regenerate with make lock (README \"Dependencies\")."; \
	  $(VENV)-lock/bin/pip freeze --exclude-editable; } > requirements.lock
	rm -rf $(VENV)-lock

# The demo city's passwords are printed for all to read, so the demo signs in without the
# second step (TOTP) unless asked: SHISHI_TOTP_ENFORCE=1 make run. Production leaves it unset (on).
run: export SHISHI_TOTP_ENFORCE ?= 0
run: setup
	$(BIN)/shishi migrate --noinput
	$(BIN)/shishi collectstatic --noinput --verbosity 0
	$(BIN)/shishi demo
	$(BIN)/shishi serve

test: setup
	$(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

test-browser: setup
	$(BIN)/pytest -m browser $(PYTEST_ARGS)

# Speed targets (DESIGN §8) are measured here, never in timed tests; results in bench/results/,
# method and numbers in docs/performance.md. 1M appeals on SQLite under bench/var/ (kept and
# reused), or DATABASE_URL; django-helpdesk alongside. BENCH_ARGS="--only search --no-peer" …
bench: setup
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# The same harness at tiny scale (CI): every scenario runs and none errs; speed is not judged.
bench-smoke: setup
	$(BIN)/python bench/run.py --smoke

# The public vote endpoint on loopback (gunicorn): throughput, latency, the daily limit held.
bench-vote: setup
	$(BIN)/python bench/vote.py --seconds 20 --threads 8 --phones 400

# Kill -9 of the web server and the worker, 20 rounds, while clients post appeals with
# Idempotency-Keys: nothing acknowledged may be lost (docs/reliability.md). DATABASE_URL for
# PostgreSQL; CRASH_ARGS="--kill-postgres 15/crash" also stops a local cluster (root).
crash-test: setup
	$(BIN)/python bench/crash.py --rounds 20 $(CRASH_ARGS)

lint: setup
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules var/static
