# Hemicycle: `make run` to try it, `make test` to check it. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
TEST_PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
TRANSLATIONS := elearn/translations

.PHONY: run serve install install-test db demo translations extract-messages test test-pg lint fuzz clean

run: install db demo
	$(FLASK) run --host 127.0.0.1 --port 5000

# Several workers share one login-throttling count through Redis.
serve: install db demo
	RATELIMIT_STORAGE_URI=$${RATELIMIT_STORAGE_URI:-redis://127.0.0.1:6379/0} $(BIN)/gunicorn --workers 4 --bind 127.0.0.1:5000 --access-logfile - wsgi:app

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

$(VENV)/.installed-fuzz: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e '.[fuzz]'
	touch $@

instance/secret_key:
	mkdir -p instance
	$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(48))" > $@
	chmod 600 $@

install: $(VENV)/.installed instance/secret_key translations

install-test: $(VENV)/.installed-test translations node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

translations:
	$(BIN)/pybabel compile --statistics -d $(TRANSLATIONS)

extract-messages:
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k _lp:1c,2 -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --no-fuzzy-matching

db: install
	$(FLASK) db upgrade

demo: db
	$(FLASK) demo seed

# Static checks: ruff (style and likely bugs) and bandit (medium and high findings).
lint: install-test
	$(BIN)/ruff check .
	$(BIN)/bandit -q -r elearn -ll

test: install-test
	$(BIN)/python -m pytest

test-pg: install-test
	TEST_DATABASE_URL=$(TEST_PG_URL) $(BIN)/python -m pytest

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
