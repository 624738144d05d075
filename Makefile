# Two set-up commands for a fresh Linux machine (see README):
#   make run    installs what is needed and opens the window on the bundled example
#   make test   installs what is needed and runs lint, types and the whole test suite
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test check lint typecheck pytest services bench dist clean

$(STAMP): pyproject.toml constraints.txt
	@scripts/system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test]'
	@touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/lambda-workbench $(or $(PROJECT),examples/hello-python)

test: $(STAMP) services lint typecheck pytest

services:
	@scripts/test-services.sh

lint: $(STAMP)
	$(VENV)/bin/ruff check workbench tests benchmarks
	$(VENV)/bin/ruff format --check workbench tests benchmarks
	$(VENV)/bin/lint-imports

typecheck: $(STAMP)
	$(VENV)/bin/mypy

pytest: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) benchmarks/run_all.py

# The wheel + sdist and the one-folder desktop app (packaging/lambda-workbench.spec)
# in dist/, then the bundle's own check. PyInstaller comes from the `dist` extra.
dist: $(STAMP)
	$(PY) -m PyInstaller --version >/dev/null 2>&1 || $(PY) -m pip install --quiet -c constraints.txt -e '.[dist]'
	$(PY) -m build --no-isolation --outdir dist .
	$(PY) -m PyInstaller --noconfirm --distpath dist --workpath build/pyinstaller packaging/lambda-workbench.spec
	packaging/check_bundle.sh dist/lambda-workbench
	$(PY) packaging/bundle_report.py dist/lambda-workbench

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache .pytest_cache
