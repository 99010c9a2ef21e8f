# Hemicycle: `make run` to try it, `make test` to check it. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
TEST_PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
TRANSLATIONS := elearn/translations
# Where `make run` and `make serve` listen: `make run PORT=8000`. Plain assignments, not ?=,
# so that a shell's own HOST (tcsh exports the machine's name) never opens the site to the network.
HOST = 127.0.0.1
PORT = 5000

# Exact pins generated from pyproject.toml's ranges by `make lock`: run (the app), dev (run, test
# and lint tools), fuzz (run and atheris). Locked for the machines: CPython 3.11 on x86_64 Linux.
LOCK_RUN := requirements/run.txt
LOCK_DEV := requirements/dev.txt
LOCK_FUZZ := requirements/fuzz.txt
UV_VERSION := 0.13.9
UV_COMPILE = $(BIN)/uv pip compile pyproject.toml --python-version 3.11 --python-platform x86_64-manylinux_2_28 \
	--custom-compile-command "make lock" --quiet $(LOCK_FLAGS)

.PHONY: run serve install install-test db demo translations extract-messages new-language test test-pg lint fuzz lock lock-upgrade clean screenshots screenshots-ar vendor-zxing

run: install db demo
	$(FLASK) run --host $(HOST) --port $(PORT)

# Several workers share one login-throttling count through Redis.
serve: install db demo
	RATELIMIT_STORAGE_URI=$${RATELIMIT_STORAGE_URI:-redis://127.0.0.1:6379/0} $(BIN)/gunicorn --workers 4 --bind $(HOST):$(PORT) --access-logfile - wsgi:app

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The pins first, then the project itself without resolving again; `pip check` fails when
# pyproject.toml asks for something the lock lacks (run `make lock`).
$(VENV)/.installed: $(BIN)/python $(LOCK_RUN) pyproject.toml
	$(BIN)/pip install --quiet -r $(LOCK_RUN)
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/pip check || { echo "pyproject.toml asks for more than $(LOCK_RUN) holds: run make lock"; exit 1; }
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed $(LOCK_DEV)
	$(BIN)/pip install --quiet -r $(LOCK_DEV)
	touch $@

$(VENV)/.installed-fuzz: $(VENV)/.installed $(LOCK_FUZZ)
	$(BIN)/pip install --quiet -r $(LOCK_FUZZ)
	touch $@

$(BIN)/uv: | $(BIN)/python
	$(BIN)/pip install --quiet uv==$(UV_VERSION)

# Refresh the locks after editing pyproject.toml: pins already in a lock are kept where they still
# fit. `make lock-upgrade` moves every pin to the newest release the ranges allow.
# The dev and fuzz locks are constrained by the run lock, so every lock pins the app's own
# dependencies alike and `make test` tests what `make run` runs.
lock: $(BIN)/uv
	$(UV_COMPILE) -o $(LOCK_RUN)
	$(UV_COMPILE) --extra test --extra dev -c $(LOCK_RUN) -o $(LOCK_DEV)
	$(UV_COMPILE) --extra fuzz -c $(LOCK_RUN) -o $(LOCK_FUZZ)

lock-upgrade:
	$(MAKE) lock LOCK_FLAGS=--upgrade

instance/secret_key:
	mkdir -p instance
	$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(48))" > $@
	chmod 600 $@

install: $(VENV)/.installed instance/secret_key translations

install-test: $(VENV)/.installed-test translations node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The check-in page's QR decoder, copied from npm (package.json pins zxing-wasm) into static/vendor/zxing-wasm/.
# To upgrade: npm install zxing-wasm@<version> --save-dev --save-exact, then make vendor-zxing and commit both.
ZXING_DIR := static/vendor/zxing-wasm
vendor-zxing: node_modules/.installed
	cp node_modules/zxing-wasm/dist/iife/reader/index.js $(ZXING_DIR)/zxing-reader.js
	cp node_modules/zxing-wasm/dist/reader/zxing_reader.wasm node_modules/zxing-wasm/LICENSE $(ZXING_DIR)/
	@echo "Check $(ZXING_DIR)/NOTICE and LICENSE-zxing-cpp still describe what was copied."
	printf 'zxing-wasm %s (npm), MIT: the check-in page decodes QR codes with it where the browser has no BarcodeDetector\n' \
	  "$$(node -p 'require("./node_modules/zxing-wasm/package.json").version')" > $(ZXING_DIR)/VERSION

translations:
	$(BIN)/pybabel compile --statistics -d $(TRANSLATIONS)

# Start the catalog of a new interface language: `make new-language CODE=sw` (docs/LANGUAGES.md says the rest).
new-language: $(VENV)/.installed
	@test -n "$(CODE)" || { echo "usage: make new-language CODE=<language code, e.g. sw>"; exit 2; }
	@test ! -e $(TRANSLATIONS)/$(CODE) || { echo "$(TRANSLATIONS)/$(CODE) exists already"; exit 2; }
	$(MAKE) extract-messages
	$(BIN)/pybabel init -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) -l $(CODE)
	@echo "Next: translate $(TRANSLATIONS)/$(CODE)/LC_MESSAGES/messages.po, add $(CODE) to LANGUAGES (elearn/config.py)"
	@echo "and to elearn/languages.py and tests/test_i18n.py's TRANSLATED, then make translations (docs/LANGUAGES.md)."

extract-messages:
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k _lp:1c,2 -k lazy_pgettext:1c,2 -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --no-fuzzy-matching --ignore-obsolete

db: install
	$(FLASK) db upgrade

demo: db
	$(FLASK) demo seed

# Static checks: ruff (style, likely bugs, functions above complexity 12), bandit (medium and
# high findings), and the layer order of .importlinter (no feature imports one above it).
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/bandit -q -r elearn -ll
	$(BIN)/lint-imports

# The suite on every core (pytest-xdist; each worker has its own databases, browser and ports), the
# long sweeps shared out test by test. `make test PYTEST_WORKERS=0` runs it in one process.
PYTEST_WORKERS ?= auto
PYTEST_PARALLEL = -n $(PYTEST_WORKERS) --dist worksteal

test: install-test
	$(BIN)/python -m pytest $(PYTEST_PARALLEL)

test-pg: install-test
	TEST_DATABASE_URL=$(TEST_PG_URL) $(BIN)/python -m pytest $(PYTEST_PARALLEL)

# The README's pictures, docs/screenshots/*.png: a throw-away database with the demo data, the site on a free
# loopback port, and Chromium (/usr/bin/chromium) driven by Playwright as a visitor, the demo learner and trainer.
screenshots: install-test
	$(BIN)/python docs/screenshots/take.py

# The site in Arabic, right to left, at a phone's and a desktop's width: docs/screenshots/ar/*.png.
screenshots-ar: install-test
	$(BIN)/python docs/screenshots/take_arabic.py

# Coverage-guided fuzzing (atheris) of the people CSV import and the course checker, FUZZ_SECONDS each.
# Not part of `make test` or CI. The corpus grows in fuzz/corpus/; crashing inputs land in fuzz/findings/.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := csv_importer course_checker

fuzz: $(VENV)/.installed-fuzz translations
	@mkdir -p fuzz/findings
	@status=0; for target in $(FUZZ_TARGETS); do \
	  echo "== fuzz/$$target.py, $(FUZZ_SECONDS) s =="; \
	  $(BIN)/python -m fuzz.$$target fuzz/corpus/$$target -dict=fuzz/$$target.dict -max_len=8192 \
	    -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=fuzz/findings/$$target- -print_final_stats=1 \
	    || status=1; \
	done; exit $$status

clean:
	rm -rf $(VENV) node_modules instance .pytest_cache
