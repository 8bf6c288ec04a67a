"""Start-up benchmark: `python main.py` (the way `t4panel` starts) to the main window's first paint,
against a bare PySide6 window that also waits for its first paint.

Both are fresh processes, measured alternately in the same run so a noisy machine affects them alike.
The app runs its whole GUI start-up (`run_gui`: app log, single-instance check, translators, the
first-run check, the window); `T4PANEL_EXIT_AT_FIRST_PAINT=1` only makes it print the time of its first
paint and quit. Its home holds a saved config, as on every start after the first.
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
            print("first paint", time.time(), "cpu", time.process_time(), flush=True)
            app.exit(0)
app = QApplication(sys.argv)
w = W(); w.setCentralWidget(QLabel("bare")); w.resize(1000, 700); w.show()
app.exec()
"""


def measure(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds from spawn to first paint, CPU seconds the process used until then)."""
    t0 = time.time()
    out = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    for line in out.stdout.splitlines():
        if line.startswith("first paint"):
            words = line.split()
            return float(words[2]) - t0, float(words[4])
    raise RuntimeError(f"no paint reported (exit {out.returncode}): {out.stdout[-300:]} {out.stderr[-800:]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="t4bench-"))
    (home / "config.toml").write_text('[job]\nbackend = "local"\n', encoding="utf-8")  # not a first run
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "T4PANEL_HOME": str(home), "T4PANEL_EXIT_AT_FIRST_PAINT": "1"}
    # an installed t4panel has its bytecode compiled (pip does it at install, PyInstaller at build): let the
    # warm-up runs write it, or every start would compile the app's modules from source
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    bare_argv = [sys.executable, "-c", BARE]
    app_argv = [sys.executable, str(ROOT / "main.py")]
    measure(bare_argv, env), measure(app_argv, env)  # warm the file cache for both, write the bytecode
    bare, app = [], []
    for _ in range(args.rounds):
        bare.append(measure(bare_argv, env))
        app.append(measure(app_argv, env))
    for label, index in (("wall", 0), ("CPU", 1)):
        b_all, a_all = [r[index] * 1000 for r in bare], [r[index] * 1000 for r in app]
        b, a = statistics.median(b_all), statistics.median(a_all)
        print(f"{label:4s} bare PySide6 window: median {b:.0f} ms (min {min(b_all):.0f}); "
              f"T4 Panel (python main.py): median {a:.0f} ms (min {min(a_all):.0f}); ratio {a / b:.2f}x")
    print("target: wall ratio <= 1.3x (the CPU ratio is the steadier figure on a busy machine)")


if __name__ == "__main__":
    main()
