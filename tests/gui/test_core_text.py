"""The window's wording of core sentences says the same as core (in English) and covers each fixed sentence."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core import cost, paths
from core.cost.rates import rates_for
from core.store import secrets
from core.store.config import AppConfig
from core.store.runs import Run, RunState, RunStore, new_run_id
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
    now = datetime.now(UTC)
    if spent:
        store.insert(Run(id=new_run_id(), backend="vertex", state=RunState.SUCCEEDED, created=now, started=now,
                         ended=now, cost_usd=spent))
    status = cost.budget_status(cfg, store, now)
    if status.level.value == "over100":
        assert core_text.budget_text(status).startswith(status.message.split(" Runs still")[0])
    else:
        assert core_text.budget_text(status) == status.message


@pytest.mark.parametrize(("region", "spot"),
                         [("us-central1", False), ("asia-northeast3", True), ("europe-west4", False)])
def test_rates_sentence_matches_cores_in_english(region, spot):
    rates = rates_for(region, "n1-standard-4", spot)
    assert core_text.rates_text(rates) == rates.basis


def _form_problems() -> list[str]:
    """Every field message a form can produce: one bad value per field, as an operator could type it."""
    from core.store import config as config_mod

    cases = {
        "job": [("backend", "vertex"), ("project_id", "X"), ("region", "mars-north1"), ("display_name", ""),
                ("display_name", "x" * 129), ("machine_type", "n2-standard-4"), ("accelerator_count", 3),
                ("machine_type", "n1-standard-96"), ("image_uri", "a b"), ("command", []),
                ("max_runtime_minutes", 5), ("boot_disk_gb", 50), ("service_account", "me"),
                ("env", {f"V{i}": "x" for i in range(101)}), ("env", {"1X": "y"}), ("env", {"SUPABASE_KEY": "k"})],
        "schedule": [("time", "25:00"), ("weekdays", []), ("weekdays", ["mon", "mon"]), ("timezone", "Mars/Base"),
                     ("catch_up_hours", 99)],
        "notifications": [("webhook_url", "ftp://x")],
        "budget": [("monthly_usd", -1.0), ("machine_rate_override", 5000.0)],
        "supabase": [("results_table", "bad table")],
    }
    messages = []
    for section, fields in cases.items():
        for name, value in fields:
            cfg = AppConfig()
            cfg.schedule.enabled = True
            setattr(getattr(cfg, section), name, value)
            messages += [p.message for p in config_mod.validate(cfg)]
    return messages


def test_every_form_message_of_core_has_a_template():
    messages = _form_problems()
    assert len(messages) >= 25
    assert [m for m in messages if core_text.template_of(m) is None] == []


def test_form_messages_read_korean_in_korean(qapp):
    from gui import i18n

    assert i18n.install_translators(qapp, "ko") == "ko"
    try:
        text = core_text.problem_text("A T4 GPU only fits N1 machine types; n2-standard-4 is not one.")
        assert "n2-standard-4" in text and "N1" in text and "only fits" not in text
        assert all(core_text.problem_text(m) != m for m in _form_problems())
    finally:
        i18n.remove_translators(qapp)


def test_run_messages_from_the_local_backend_and_controller_have_templates(tmp_path):
    from core.control.controller import _already_running
    from core.store.runs import utcnow
    from tests.support.local import controller, fast_config

    ctl = controller(fast_config(seconds=0.2, exit_code=3))
    failed = ctl.wait(ctl.launch().id, timeout=20)
    running = Run(id="r1", backend="local", state=RunState.RUNNING, created=utcnow())
    messages = [failed.error, _already_running(running), "Cancelled by the operator.",
                "Stopped after the max runtime of 10 minutes. Raise it on the Job page if the job needs longer."]
    assert [m for m in messages if core_text.template_of(m) is None] == []


def test_a_refusal_reads_korean_in_korean(qapp):
    from core.control.controller import _already_running
    from core.store.runs import utcnow
    from gui import i18n

    running = Run(id="r1", backend="local", state=RunState.RUNNING, created=utcnow())
    assert i18n.install_translators(qapp, "ko") == "ko"
    try:
        text = core_text.run_message_text(_already_running(running))
        assert "r1" in text and "already going" not in text
        assert "3" in core_text.run_message_text("The job exited with code 3.")
    finally:
        i18n.remove_translators(qapp)
