# Developer shortcuts. `make package` builds the double-click app in dist/T4Panel/ (see packaging/README.md).
.PHONY: package test translations icons clean-package mutants

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
