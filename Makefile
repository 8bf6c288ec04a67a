# Developer shortcuts. `make package` builds the double-click app in dist/T4Panel/ (see packaging/README.md).
.PHONY: package test translations icons clean-package

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
