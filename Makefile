# Two commands matter: `make demo` and `make test`. Both set everything up from a clean clone.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
WORK := .tmp
COLLECTIONS := $(CURDIR)/$(WORK)/collections
LINK := $(COLLECTIONS)/ansible_collections/cyberark_community/identity
SANITY_ROOT := $(CURDIR)/$(WORK)/sanity/ansible_collections/cyberark_community/identity
TARGETS_ROOT := $(CURDIR)/$(WORK)/targets/ansible_collections/cyberark_community/identity
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export ANSIBLE_COLLECTIONS_SCAN_SYS_PATH := false
export PYTHONDONTWRITEBYTECODE := 1
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: help venv link demo simulator test units integration sanity targets matrix lint docs docs-check docsite docsite-check changelog-check build release bench clean

help:
	@echo "make demo       - start the tenant simulator, show the tenant, run the onboarding with an import file, print the report, stop it"
	@echo "make simulator  - run the tenant simulator in the foreground until Ctrl-C (prints its URLs and the lines to export)"
	@echo "make test       - unit, integration, sanity, ansible-lint, docs and changelog checks, collection build"
	@echo "make units | integration | sanity | targets | matrix | lint | docs-check | changelog-check | build - one part of make test"
	@echo "make matrix VERSIONS=2.21 - the version matrix for some ansible-core versions (MATRIX_PARTS=units,smoke for some parts)"
	@echo "make docs       - the module, role and guide reference as reStructuredText in docs/reference"
	@echo "make docsite    - the HTML docsite as the community's tooling builds it (.tmp/docsite/build/html); docsite-check opens every page in Chromium"
	@echo "make bench      - benchmarks (figures recorded in docs/performance.md)"
	@echo "make release    - lint the changelog and the docs, build the tarball, print the publish command"
	@echo "make clean      - remove .venv and .tmp"

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 10), "Python 3.10 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

venv: $(BIN)/.installed

# Playbooks, pytest and ansible-lint find the working tree itself through this link.
link:
	@mkdir -p $(dir $(LINK))
	@[ -L $(LINK) ] || ln -sfn $(CURDIR) $(LINK)

demo: venv link
	$(BIN)/python tests/tools/demo.py

# The simulator in the foreground: it prints its start-up JSON line, then the export lines for playbooks; Ctrl-C stops it and removes its files.
simulator: venv
	PYTHONPATH=tests/simulator $(BIN)/python -m idsim $(SIMULATOR_ARGS)

# Line and branch coverage of plugins/ (.coveragerc) printed; tests/tools/coverage_gate.py fails below the floors, which
# rise towards the targets of 90% overall and 75% for every file (it lists the files below them) and never fall.
COVERAGE_TOTAL ?= 90
COVERAGE_FILE ?= 75

units: venv link
	$(BIN)/python -m pytest -q tests/unit --cov --cov-report=term --cov-report=json:$(WORK)/coverage.json
	$(BIN)/python tests/tools/coverage_gate.py $(WORK)/coverage.json --total $(COVERAGE_TOTAL) --file $(COVERAGE_FILE)

integration: venv link
	$(BIN)/python -m pytest -q -n 2 tests/integration

# ansible-test needs a real copy at ansible_collections/<ns>/<name>, and a pip bootstrap it cannot download here.
# A copy of the working tree (tracked and new files) at $(1), as a git repository.
define collection_copy
	rm -rf $(1) && mkdir -p $(1)
	git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -xf - -C $(1)
	cd $(1) && git init -q && git add -A
endef

sanity: venv
	$(call collection_copy,$(SANITY_ROOT))
	$(BIN)/python tests/tools/ansible_test_pip_bootstrap.py
	cd $(SANITY_ROOT) && $(CURDIR)/$(BIN)/ansible-test sanity --venv --python 3.11 --color no

# The version matrix: for each ansible-core minor meta/runtime.yml admits, a venv under $(WORK)/matrix/<version> (reused
# while its requirements are the same) and sanity, units, the smoke set from the installed tarball, ansible-lint and
# molecule with it (tests/matrix/run.py). A version whose Python is missing here is skipped, saying so (MATRIX_FLAGS=
# --require-python fails instead). Two versions at a time (MATRIX_JOBS), each run whatever another's result (-k);
# MATRIX_PARTS_<version> narrows one version's parts.
MATRIX_VERSIONS := 2.16 2.17 2.18 2.19 2.20 2.21
VERSIONS ?= $(MATRIX_VERSIONS)
MATRIX_PARTS ?= sanity,units,smoke,lint,molecule
MATRIX_FLAGS ?=

MATRIX_JOBS ?= 2

matrix:
	@status=0; $(MAKE) -k -j$(MATRIX_JOBS) --output-sync=target $(addprefix matrix-,$(VERSIONS)) || status=$$?; \
	$(PYTHON) tests/matrix/run.py --summary $(VERSIONS) && exit $$status

# Only the venvs (made or reused), one after the other: make test makes them while the unit tests run.
matrix-venvs:
	$(PYTHON) tests/matrix/run.py $(VERSIONS) --parts ''

.PHONY: matrix-venvs $(addprefix matrix-,$(MATRIX_VERSIONS))
$(addprefix matrix-,$(MATRIX_VERSIONS)): matrix-%:
	$(PYTHON) tests/matrix/run.py $* --parts $(or $(MATRIX_PARTS_$*),$(MATRIX_PARTS)) $(MATRIX_FLAGS)

# The ansible-test integration targets (tests/integration/targets), each against its own simulator, in this venv.
targets: venv link
	$(call collection_copy,$(TARGETS_ROOT))
	cd $(TARGETS_ROOT) && $(CURDIR)/$(BIN)/ansible-test integration --local --python 3.11 --color no

lint: venv link
	rm -rf $(WORK)/ansible-home
	ANSIBLE_HOME=$(CURDIR)/$(WORK)/ansible-home $(BIN)/ansible-lint --profile production
	$(BIN)/antsibull-docs lint-collection-docs --plugin-docs $(LINK)
	$(BIN)/antsibull-changelog lint

# The module and role reference, generated from the plugin docs by antsibull-docs (not committed: run make docs).
docs: venv link
	rm -rf docs/reference && mkdir -p docs/reference
	$(BIN)/antsibull-docs collection --use-current --dest-dir docs/reference cyberark_community.identity

docs-check: venv link
	rm -rf $(WORK)/reference && mkdir -p $(WORK)/reference
	$(BIN)/antsibull-docs collection --use-current --dest-dir $(WORK)/reference cyberark_community.identity
	test -s $(WORK)/reference/collections/cyberark_community/identity/identity_bulk_import_module.rst

build: venv
	rm -rf $(WORK)/build && mkdir -p $(WORK)/build
	$(BIN)/ansible-galaxy collection build --output-path $(WORK)/build .

# The changelog renders (a release of the waiting fragments, or the committed CHANGELOG.rst regenerated) with its title.
changelog-check: venv link
	$(BIN)/antsibull-changelog lint
	$(BIN)/python tests/tools/changelog_check.py

VERSION = $(shell $(BIN)/python -c 'import yaml; print(yaml.safe_load(open("galaxy.yml"))["version"])')

# The docsite as the community's docs-build tooling makes it: antsibull-docs sphinx-init, then its build.sh (Sphinx with
# warnings as errors). Offline, tests/docsite/inventories.py stands in for the intersphinx inventories it cannot fetch.
DOCSITE := $(WORK)/docsite

docsite: venv link
	rm -rf $(DOCSITE) && mkdir -p $(DOCSITE)
	$(BIN)/antsibull-docs sphinx-init --use-current --squash-hierarchy --fail-on-error --dest-dir $(DOCSITE) cyberark_community.identity
	$(BIN)/python tests/docsite/inventories.py $(DOCSITE)
	cd $(DOCSITE) && ./build.sh > build.log 2>&1 || { tail -40 build.log; exit 1; }
	@echo "The docsite: $(DOCSITE)/build/html/index.html"

# Every module, lookup, role and guide page opened in headless Chromium (Debian's, installed when missing and allowed).
docsite-check: docsite
	tests/docsite/ensure_chromium.sh
	DOCSITE_REQUIRED=1 DOCSITE_HTML=$(CURDIR)/$(DOCSITE)/build/html $(BIN)/python -m pytest -q -p no:cacheprovider tests/docsite

# Publishing stays a person's decision: this prints the command instead of running it.
release: venv link
	@test -z "$$(ls changelogs/fragments/*.yml 2>/dev/null)" || { echo "changelog fragments are waiting: run antsibull-changelog release --version $(VERSION)"; exit 1; }
	$(MAKE) changelog-check lint docs-check build
	@echo
	@echo "Built $(WORK)/build/cyberark_community-identity-$(VERSION).tar.gz. To publish it on Galaxy:"
	@echo "  ansible-galaxy collection publish $(WORK)/build/cyberark_community-identity-$(VERSION).tar.gz --api-key <your Galaxy API key>"
	@echo "and tag the commit: git tag $(VERSION) && git push origin $(VERSION)"

# The matrix's venvs are made beside the unit tests; sanity and the targets (one process each) run side by side on the
# 2 cores, then the lints, then the matrix (2.19 is .venv's version, tested above: only its smoke set runs there).
# Each part's output is printed whole when it ends. Times: README, "The version matrix".
# Each step says how long it took ([make test] lines), so that the 20-minute budget shows where it goes.
test:
	@$(call timed,units and matrix venvs,$(MAKE) -j2 --output-sync=target units matrix-venvs)
	@$(call timed,integration,$(MAKE) integration)
	@$(call timed,sanity and targets,$(MAKE) -j2 --output-sync=target sanity targets)
	@$(call timed,lint and docs,$(MAKE) -j3 --output-sync=target lint docs-check changelog-check docsite-check)
	@$(call timed,version matrix,$(MAKE) matrix MATRIX_PARTS_2.19=smoke)
	@$(call timed,build,$(MAKE) build)

timed = started=$$(date +%s); $(2) && echo "[make test] $(1): $$(( $$(date +%s) - started )) s"

bench: venv link
	$(BIN)/python tests/bench/run.py

clean:
	rm -rf $(WORK) $(VENV)
