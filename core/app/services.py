"""Assembles the core for a front end (GUI, CLI, daemon): history, config source and the controller."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from core import paths
from core.app import notify
from core.control.controller import RunController
from core.store import config as config_mod
from core.store.config import AppConfig
from core.store.runs import RunStore

log = logging.getLogger(__name__)


def load_config() -> AppConfig:
    """The saved config (defaults when there is none). A damaged file carries its problems (`file_problems`),
    so every launch on it is refused; the file itself is left as it is."""
    return config_mod.load().config


def build_controller(
    config_source: Callable[[], AppConfig] | None = None,
    store: RunStore | None = None,
    secret_store: Any = None,
    webhook: bool = True,
    **overrides: object,
) -> RunController:
    """A RunController wired with every guard and hook the app has (budget, Supabase, cost).

    Args:
        config_source: returns the current config (default: read config.toml at each call).
        store: the run history (default: the app's history file).
        secret_store: the app's one SecretStore, so "this session only" secrets reach runs too.
        webhook: post each finished run to the webhook (`t4panel fire` posts once per occurrence itself).
        overrides: RunController keyword arguments to replace (tests: backend_factory, ...).
    """
    from core import cost
    from core.app import supabase_check
    from core.store import secrets

    source = config_source or load_config
    store = store or RunStore(paths.history_path())
    secret_store = secret_store if secret_store is not None else shared_secret_store()
    options: dict[str, object] = {
        "cost_of": lambda run: cost.cost_of_run(run, overrides=cost.overrides_from(source())),
        "guards": [cost.BudgetGuard(store)],
        "secret_env": lambda cfg: secrets.supabase_env(secret_store),
        "hooks": [supabase_check.RowsWrittenHook(secret_store)],
        "claims": occurrence_claims,
    }
    options.update(overrides)
    # each value matches its RunController keyword; a dict of mixed values cannot say so to mypy
    controller = RunController(store, source, **options)  # type: ignore[arg-type]
    if webhook:
        controller.subscribe(notify.webhook_subscriber(lambda: source().notifications.webhook_url))
    return controller


def occurrence_claims(cfg: AppConfig, profile: str) -> Any:
    """The Cloud Storage claim book for a Vertex AI job's project (None for the local backend: one computer)."""
    if cfg.job.backend != "vertex" or not cfg.job.project_id:
        return None
    from core.google.storage import OccurrenceClaims

    return OccurrenceClaims(cfg.job.project_id, cfg.job.region, profile)


_SECRET_STORE: Any = None


def shared_secret_store() -> Any:
    """The process's one SecretStore (keyring, or this session only when the operator chose so)."""
    global _SECRET_STORE
    if _SECRET_STORE is None:
        from core.store.secrets import SecretStore

        _SECRET_STORE = SecretStore()
    return _SECRET_STORE
