"""ruff and mypy --strict stay clean: the rule sets live in pyproject.toml, this keeps them passing.

ruff covers the whole repository tree (gui/, core/, tests/, scripts/, packaging/*.py, main.py), so a file added
anywhere is linted without anyone remembering to list it; [tool.ruff] extend-exclude in pyproject.toml is the only
place a path may be left out. mypy --strict covers core/ (files = ["core"] in pyproject.toml).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# "." is the repository root (cwd=REPO below): every .py file not in extend-exclude.
RUFF_SCOPE = ["."]
# mypy reads files = ["core"] and strict = true from pyproject.toml. A cold run (no .mypy_cache) takes
# about 35 s on a busy 2-core machine, a warm one about a second.
MYPY_TIMEOUT = 110


def _run(args: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=timeout, check=False)


def test_ruff_finds_nothing():
    result = _run(["ruff", "check", "--no-fix", "--output-format", "concise", *RUFF_SCOPE], timeout=60)
    assert result.returncode == 0, f"ruff check {' '.join(RUFF_SCOPE)}:\n{result.stdout}{result.stderr}"


@pytest.mark.timeout(MYPY_TIMEOUT + 10)
def test_mypy_strict_on_core_finds_nothing():
    result = _run(["mypy"], timeout=MYPY_TIMEOUT)
    assert result.returncode == 0, f"mypy (strict on core/):\n{result.stdout}{result.stderr}"
    assert "Success: no issues found" in result.stdout
