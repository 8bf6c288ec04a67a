"""The window's wording of core sentences says the same as core (in English) and covers each fixed sentence."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from core import cost, secrets
from core.config import AppConfig
from core.cost_rates import rates_for
from core.runs import Run, RunState, RunStore, new_run_id
from core import paths
from gui import core_text


def test_every_fixed_keyring_sentence_of_core_is_listed():
    fixed = [secrets.NO_KEYRING_MESSAGE, secrets.LOCKED_MESSAGE, secrets.INIT_MESSAGE, secrets.PLAINTEXT_MESSAGE,
             "Keyring unavailable", "Keyring locked"]
    for sentence in fixed:
        assert sentence in core_text.KEYRING_SENTENCES


@pytest.mark.parametrize("spent", [0.0, 5.0, 17.0, 25.0])
@pytest.mark.parametrize("budget", [0.0, 20.0])
def test_budget_sentence_matches_cores_in_english(spent, budget):
    cfg = AppConfig()
    cfg.budget.monthly_usd = budget
    store = RunStore(paths.history_path())
    now = datetime.now(timezone.utc)
    if spent:
        store.insert(Run(id=new_run_id(), backend="vertex", state=RunState.SUCCEEDED, created=now, started=now,
                         ended=now, cost_usd=spent))
    status = cost.budget_status(cfg, store, now)
    if status.level.value == "over100":
        assert core_text.budget_text(status).startswith(status.message.split(" Runs still")[0])
    else:
        assert core_text.budget_text(status) == status.message


@pytest.mark.parametrize(("region", "spot"), [("us-central1", False), ("asia-northeast3", True), ("europe-west4", False)])
def test_rates_sentence_matches_cores_in_english(region, spot):
    rates = rates_for(region, "n1-standard-4", spot)
    assert core_text.rates_text(rates) == rates.basis
