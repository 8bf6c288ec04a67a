# Developer shortcuts. `make package` builds the double-click app in dist/T4Panel/ (see packaging/README.md).
.PHONY: package test translations icons clean-package mutants

PYTHON ?= python3

package:
	$(PYTHON) -m PyInstaller --noconfirm --clean packaging/t4panel.spec

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
	rm -rf mutants
	bash tests/keyring_session.sh env QT_QPA_PLATFORM=offscreen NO_GCE_CHECK=true \
		$(PYTHON) -m mutmut run --max-children 2 $(MUTANTS)
	$(PYTHON) -m mutmut results
