# Developer shortcuts. `make package` builds the double-click app in dist/T4Panel/ (see packaging/README.md).
.PHONY: package test translations icons clean-package mutants mutants-sample runner-image runner-image-push

PYTHON ?= python3
# The organisation's "Desktop app" OAuth client JSON for Sign in with Google (kept out of git):
#   make package OAUTH_CLIENT=path/to/client.json
OAUTH_CLIENT ?=

package:
	OAUTH_CLIENT="$(OAUTH_CLIENT)" $(PYTHON) -m PyInstaller --noconfirm --clean packaging/t4panel.spec

test:
	bash scripts/test.sh

translations:
	bash scripts/update_translations.sh

icons:
	QT_QPA_PLATFORM=offscreen $(PYTHON) packaging/make_icons.py

clean-package:
	rm -rf build/T4Panel dist/T4Panel

# Mutation run over the money and schedule modules (config: [tool.mutmut] in pyproject.toml). Slow: not CI.
# Inside a private keyring session (the secrets tests need a real Secret Service) and offscreen Qt.
# A part of it: make mutants MUTANTS='core.control.controller.* core.schedule.*' (see docs/testing.md).
MUTANTS ?=
mutants:
	$(PYTHON) -m pip install -q -e ".[test,mutation]"
	rm -rf mutants
	bash tests/keyring_session.sh env QT_QPA_PLATFORM=offscreen NO_GCE_CHECK=true \
		$(PYTHON) -m mutmut run --max-children 2 $(MUTANTS)
	$(PYTHON) -m mutmut results

# The run docs/testing.md reports: core/store/secrets.py whole, then a seeded sample of the other modules
# (scripts/mutants_sample.py), then the tables (scripts/mutants_report.py). About an hour on two cores.
MUTMUT = bash tests/keyring_session.sh env QT_QPA_PLATFORM=offscreen NO_GCE_CHECK=true $(PYTHON) -m mutmut run --max-children 2
mutants-sample:
	$(PYTHON) -m pip install -q -e ".[test,mutation]"
	rm -rf mutants
	$(MUTMUT) 'core.store.secrets*'
	$(MUTMUT) $$($(PYTHON) scripts/mutants_sample.py)
	$(PYTHON) scripts/mutants_report.py

# The cloud schedule's runner image (packaging/docker/Dockerfile; Cloud Run runs it with args ["fire"]), tagged for
# an Artifact Registry repository. See packaging/README.md, "The cloud schedule's runner image".
#   make runner-image REGISTRY=us-central1-docker.pkg.dev/my-project/t4panel [VERSION=0.1.0]
#   make runner-image-push REGISTRY=...   (after: gcloud auth configure-docker us-central1-docker.pkg.dev)
REGISTRY ?=
VERSION ?= $(shell $(PYTHON) -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])")
DOCKER ?= docker
RUNNER_IMAGE = $(REGISTRY)/t4panel:$(VERSION)

runner-image:
	@test -n "$(REGISTRY)" || { echo "Set REGISTRY to an Artifact Registry repository, for example: make runner-image REGISTRY=us-central1-docker.pkg.dev/my-project/t4panel" >&2; exit 2; }
	$(DOCKER) build --platform linux/amd64 -f packaging/docker/Dockerfile -t $(RUNNER_IMAGE) .
	@echo "Built $(RUNNER_IMAGE). Push it with: make runner-image-push REGISTRY=$(REGISTRY) VERSION=$(VERSION)"

runner-image-push: runner-image
	$(DOCKER) push $(RUNNER_IMAGE)
