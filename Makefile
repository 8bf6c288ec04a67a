# Developer shortcuts. `make package` builds the double-click app in dist/T4Panel/ (see packaging/README.md).
.PHONY: package test translations icons clean-package

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
