# The only commands a person needs: run, test, bench, lint, messages.
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := sameboat.settings

.PHONY: run test bench lint messages install serve clean

$(BIN)/.installed: requirements/lock.txt pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(BIN)/.installed node_modules/.installed

# Build what the app serves: compiled translations and collected static files.
.PHONY: prepare
prepare: install
	$(BIN)/sameboat compilemessages --ignore=.venv --ignore=node_modules -v 0
	$(BIN)/sameboat collectstatic --noinput -v 0

run: prepare
	$(BIN)/sameboat migrate --noinput -v 0
	$(BIN)/sameboat demo --if-empty
	PORT=$(PORT) scripts/serve.sh

test: prepare
	scripts/test.sh $(ARGS)

bench: prepare
	scripts/bench.sh $(if $(ONLY),--only $(ONLY),)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy src
	$(BIN)/lint-imports

messages: install
	cd src/sameboat && ../../$(BIN)/django-admin makemessages -l zh_Hans --no-obsolete --ignore=static/vendor
	cd src/sameboat && ../../$(BIN)/django-admin makemessages -d djangojs -l zh_Hans --no-obsolete --ignore=static/vendor
	$(BIN)/sameboat compilemessages --ignore=.venv --ignore=node_modules -v 0

clean:
	rm -rf $(VENV) node_modules staticfiles var
