#!/usr/bin/env bash
# Refresh the Korean translation source from the code, then compile it for the app.
#   bash scripts/update_translations.sh
# 1. pyside6-lupdate reads every tr()/QT_TRANSLATE_NOOP literal in gui/*.py into resources/i18n/t4panel_ko.ts
#    (existing translations are kept; strings gone from the code are dropped). English needs a file only for
#    plural forms ("%n run(s)" -> "1 run" / "2 runs"): t4panel_en.ts holds just those.
# 2. Translate the new "unfinished" messages (Qt Linguist: pyside6-linguist resources/i18n/t4panel_ko.ts).
# 3. pyside6-lrelease compiles each .ts into the .qm the app loads (both are committed).
# tests/gui/test_translations.py fails while any message is unfinished.
set -euo pipefail
cd "$(dirname "$0")/.."
I18N=resources/i18n
# The tools inside the PySide6 folder (what the pyside6-lupdate/-lrelease wrappers start).
QT_TOOLS=$(python3 -c 'import os, PySide6.QtCore as q; print(os.path.dirname(q.__file__))')
lupdate() { "$QT_TOOLS/lupdate" "$@"; }
lrelease() { "$QT_TOOLS/lrelease" "$@"; }
lupdate -silent -no-obsolete -locations relative -target-language ko_KR gui/*.py -ts $I18N/t4panel_ko.ts
lupdate -silent -no-obsolete -locations relative -target-language en_US -pluralonly gui/*.py \
    -ts $I18N/t4panel_en.ts
for lang in ko en; do
    lrelease -silent $I18N/t4panel_$lang.ts -qm $I18N/t4panel_$lang.qm
done
python3 - <<'PY'
import xml.etree.ElementTree as ET
for lang in ("ko", "en"):
    root = ET.parse(f"resources/i18n/t4panel_{lang}.ts").getroot()
    todo = []
    for m in root.iter("message"):
        tr = m.find("translation")
        text = (tr.text or "") + "".join(f.text or "" for f in tr.findall("numerusform"))
        if tr.get("type") in ("unfinished", "obsolete", "vanished") or not text.strip():
            todo.append(m.findtext("source"))
    print(f"{lang}: {sum(1 for _ in root.iter('message'))} messages, {len(todo)} still to translate")
    for text in todo:
        print("  TODO:", text)
PY
