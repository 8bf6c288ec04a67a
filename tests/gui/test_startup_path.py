"""The real start-up path (`python main.py`) up to its first paint, as bench_startup.py measures it.

The app log is opened after the first paint; what is logged before it must still reach the file.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

EARLY_LOG = r"""
import logging, sys
sys.argv = ["main.py"]
from gui import single_instance
listen = single_instance.SingleInstance.listen
def noisy(self):
    logging.getLogger("t4panel.test").warning("said before the first paint")
    return listen(self)
single_instance.SingleInstance.listen = noisy
import main
sys.exit(main.main([]))
"""


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "T4PANEL_HOME": str(home), "QT_QPA_PLATFORM": "offscreen",
            "T4PANEL_EXIT_AT_FIRST_PAINT": "1"}


def test_main_py_reports_its_first_paint_and_exits(t4panel_home):
    (t4panel_home / "config.toml").write_text('[job]\nbackend = "local"\n', encoding="utf-8")
    out = subprocess.run([sys.executable, str(ROOT / "main.py")], env=_env(t4panel_home), cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    assert re.fullmatch(r"first paint \d+\.\d+ cpu \d+\.\d+", out.stdout.strip()), out.stdout


def test_what_is_logged_before_the_first_paint_reaches_the_app_log(t4panel_home):
    out = subprocess.run([sys.executable, "-c", EARLY_LOG], env=_env(t4panel_home), cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    log = (t4panel_home / "logs" / "t4panel.log").read_text(encoding="utf-8")
    assert "WARNING t4panel.test" in log and "said before the first paint" in log
