"""House rules a test can check: core/ never imports Qt or gui; heavy clients stay off the start-up path."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_core_never_imports_qt_or_gui():
    offenders = []
    for path in (ROOT / "core").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                if name.split(".")[0] in ("PySide6", "shiboken6", "gui"):
                    offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert offenders == []


def test_window_is_shown_without_heavy_cloud_modules(tmp_path):
    # the bare `google.cloud` namespace package costs nothing; its client packages are what must wait
    code = (
        "import sys, os\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from PySide6.QtCore import QTimer\n"
        "app = QApplication([])\n"
        "from gui.app import PanelApp\n"
        "p = PanelApp()\n"
        "def painted():\n"
        "    heavy = sorted(m for m in sys.modules\n"
        "                   if m.startswith(('google.cloud.', 'grpc', 'supabase', 'postgrest')))\n"
        "    print('HEAVY=' + ','.join(heavy), flush=True)\n"
        "    p.quit()\n"
        "p.window.firstPaint.connect(painted)\n"
        "p.window.show()\n"
        "app.exec()\n"
    )
    env = {**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen", "T4PANEL_HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    line = next(line for line in out.stdout.splitlines() if line.startswith("HEAVY="))
    assert line == "HEAVY=", out.stdout + out.stderr


def test_smoke_prints_smoke_ok(tmp_path):
    env = {**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen", "T4PANEL_HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "main.py", "--smoke"], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "smoke ok"
