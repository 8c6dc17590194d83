# matchmaker: `make run` serves the app, `make test` runs the whole suite.
# Both create .venv on first use; torch (CPU build) is installed before anything that
# depends on it, so that pip does not fetch a multi-GB CUDA build.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
TORCH_VERSION := 2.13.0
HOST ?= 127.0.0.1
PORT ?= 5000
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run test install install-test lint format demo init clean help translations

help:
	@echo "make run    - install, create/upgrade the SQLite database in instance/, serve http://$(HOST):$(PORT)/"
	@echo "make test   - install with test extras and run the whole test suite"
	@echo "make lint   - ruff check and format check"
	@echo "make translations - extract the Italian strings, update and compile the English catalogue"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/python -m pip install --quiet torch==$(TORCH_VERSION)
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	@touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test tests/js/node_modules

tests/js/node_modules:
	npm ci --prefix tests/js --no-audit --no-fund

init: install
	$(BIN)/matchmaker init --demo

run: init
	$(BIN)/matchmaker serve --host $(HOST) --port $(PORT)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: install-test lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# English catalogue (Flask-Babel; source text Italian). Extracts with babel.cfg into
# messages.pot (sorted, no locations; rewritten only when a message changes, so no date
# churn), merges into en/LC_MESSAGES/messages.po (new messages arrive untranslated, none
# guessed) and compiles messages.mo. Commit all three; run after `make install`.
I18N := web/translations
translations:
	$(BIN)/pybabel -q extract -F babel.cfg -k lazy_gettext -k _l -k operation --no-location --sort-output \
		--no-wrap --project=matchmaker -o $(I18N)/messages.pot.new \
		--header-comment="# English catalogue of the matchmaker interface (source text: Italian)." .
	@if [ -f $(I18N)/messages.pot ] && \
		[ "$$(grep -v '^"POT-Creation-Date:' $(I18N)/messages.pot)" = \
		  "$$(grep -v '^"POT-Creation-Date:' $(I18N)/messages.pot.new)" ]; \
	then rm $(I18N)/messages.pot.new; else mv $(I18N)/messages.pot.new $(I18N)/messages.pot; fi
	$(BIN)/pybabel -q update -i $(I18N)/messages.pot -d $(I18N) -D messages -l en --init-missing \
		--no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date --no-wrap
	$(BIN)/pybabel compile -d $(I18N) -D messages -l en --statistics

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
