"""Helpers for tests that run real local jobs: a config with a fast sample job, a quick controller."""

from __future__ import annotations

import sys
from pathlib import Path

from core import paths
from core.backends.local import LocalBackend
from core.control.controller import RunController
from core.store import config as config_mod
from core.store.config import AppConfig
from core.store.runs import RunStore


def fast_config(seconds: float = 1.0, exit_code: int = 0, **job: object) -> AppConfig:
    cfg = AppConfig()
    cfg.job.env = {"SAMPLE_JOB_SECONDS": str(seconds), "SAMPLE_JOB_EXIT": str(exit_code)}
    for key, value in job.items():
        setattr(cfg.job, key, value)
    return cfg


def script_config(tmp: Path, body: str, **job: object) -> AppConfig:
    """A job that runs `body` as a Python script."""
    script = tmp / "job.py"
    script.write_text(body, encoding="utf-8")
    cfg = AppConfig()
    cfg.job.command = [sys.executable, "-u", str(script)]
    for key, value in job.items():
        setattr(cfg.job, key, value)
    return cfg


def controller(cfg: AppConfig, minute_seconds: float = 60.0, **kwargs: object) -> RunController:
    """A real RunController on the local backend, polling quickly; `cfg` is also saved to config.toml."""
    config_mod.save(cfg)
    backend = LocalBackend(minute_seconds=minute_seconds, poll_seconds=0.05)
    return RunController(RunStore(paths.history_path()), lambda: cfg,
                         backend_factory=lambda name: backend, **kwargs)  # type: ignore[arg-type]
