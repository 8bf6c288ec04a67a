"""Start-up benchmark: process start to the main window's first paint, against a bare PySide6 window.

Both are measured in the same run, alternating, so a noisy machine affects them alike.
    python tests/benchmarks/bench_startup.py [--rounds N]
Prints medians and the ratio (target: at most 1.3x).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

BARE = r"""
import sys, time
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
class W(QMainWindow):
    done = False
    def paintEvent(self, e):
        super().paintEvent(e)
        if not W.done:
            W.done = True
            print("PAINT", time.time(), flush=True)
            app.exit(0)
app = QApplication(sys.argv)
w = W(); w.setCentralWidget(QLabel("bare")); w.resize(1000, 700); w.show()
app.exec()
"""

APP = rf"""
import sys, time
sys.path.insert(0, {str(ROOT)!r})
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv)
from gui.app import PanelApp
p = PanelApp()
def painted():
    print("PAINT", time.time(), flush=True)
    p.quit()
p.window.firstPaint.connect(painted)
p.start()
app.exec()
"""


def measure(code: str, env: dict[str, str]) -> float:
    t0 = time.time()
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    for line in out.stdout.splitlines():
        if line.startswith("PAINT"):
            return float(line.split()[1]) - t0
    raise RuntimeError(f"no paint reported: {out.stderr[-500:]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="t4bench-")
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"), "T4PANEL_HOME": home}
    measure(BARE, env), measure(APP, env)  # warm the file cache for both
    bare, app = [], []
    for _ in range(args.rounds):
        bare.append(measure(BARE, env))
        app.append(measure(APP, env))
    b, a = statistics.median(bare), statistics.median(app)
    print(f"bare PySide6 window: median {b * 1000:.0f} ms  (min {min(bare) * 1000:.0f})")
    print(f"T4 Panel main window: median {a * 1000:.0f} ms  (min {min(app) * 1000:.0f})")
    print(f"ratio: {a / b:.2f}x  (target <= 1.3x)")


if __name__ == "__main__":
    main()
