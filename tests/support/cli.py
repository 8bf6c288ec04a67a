"""The command line as its own process (`python main.py ...` from the repo, offscreen), and the Vertex AI fakes
with a saved Vertex config for it to launch against."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from core.store import config as config_mod
from core.store.config import AppConfig, JobConfig
from tests.integration.fakes.logging_server import scaled_quota
from tests.integration.fakes.vertex_server import FakeCloud

REPO = Path(__file__).resolve().parents[2]


def argv(*args: str) -> list[str]:
    return [sys.executable, str(REPO / "main.py"), *args]


def env() -> dict[str, str]:
    """This test's environment (T4PANEL_HOME, the fakes' endpoints) with the repo importable."""
    return {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}


def t4panel(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run the command to its end; its exit code and output are the test's to check."""
    return subprocess.run(argv(*args), cwd=str(REPO), env=env(), capture_output=True, text=True,
                          timeout=timeout, check=False)


def t4panel_bg(*args: str) -> subprocess.Popen[str]:
    """Start the command and go on: the caller waits for it or kills it."""
    return subprocess.Popen(argv(*args), cwd=str(REPO), env=env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


@contextmanager
def vertex_for_cli(monkeypatch: Any) -> Iterator[FakeCloud]:
    """The fakes, reads and polls on a fast clock, and a saved Vertex AI job in my-proj (`predict.py`)."""
    with FakeCloud(monkeypatch) as cloud:
        cloud.logging.read_quota = scaled_quota(0.02)  # the log reads of this clock
        monkeypatch.setenv("T4PANEL_MIN_POLL_SECONDS", "0.02")  # honoured because the endpoint is loopback
        config_mod.save(AppConfig(job=JobConfig(backend="vertex", project_id="my-proj", image_uri="img:1",
                                                command=["python", "predict.py"])))
        yield cloud
