"""Core's messages reach the window by id: every id in core/ has Korean, Korean mode shows Korean (and the
parameters), English mode shows core's own sentence, and history keeps the id of a run's error."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core import cost, paths
from core.cost.rates import rates_for
from core.errors import Message
from core.store import secrets
from core.store.config import AppConfig
from core.store.runs import Run, RunState, RunStore, new_run_id
from gui import core_text

ROOT = Path(__file__).resolve().parents[2]
# Calls that make a message: core.errors.msg / Message, and the local runner's own (it imports nothing of ours).
_MAKERS = {"msg", "Message", "_error"}


def test_keyring_sentences_are_messages_with_ids():
    fixed = [secrets.NO_KEYRING_MESSAGE, secrets.LOCKED_MESSAGE, secrets.INIT_MESSAGE, secrets.PLAINTEXT_MESSAGE]
    assert all(m.id.startswith("keyring.") for m in fixed) and len({m.id for m in fixed}) == 4


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


def _core_message_ids() -> dict[str, str]:
    """Every message id written in core/ (first argument of msg/Message/_error), with where it is."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "core").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) in _MAKERS and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.setdefault(node.args[0].value, f"{path.relative_to(ROOT)}:{node.lineno}")
    found.pop("", None)  # Message("", text): plain text passed by a caller, nothing to translate
    found.pop(core_text.LIST_ID, None)  # joined messages: only the items are translated
    for state in RunState:  # core.control.controller.state_word builds these from the states
        found[f"state.{state.value.lower()}"] = "core/control/controller.py: state_word"
    return found


def test_every_message_id_of_core_has_korean():
    ids = _core_message_ids()
    assert len(ids) > 150  # the scan really reads core/
    korean = core_text.catalog("ko")
    assert {i: where for i, where in ids.items() if not korean.get(i, "").strip()} == {}


def test_korean_keeps_every_parameter_of_the_english():
    """A Korean text that drops {code} would hide the exit code: each field of core's default must be there."""
    import re

    korean = core_text.catalog("ko")
    for path in sorted((ROOT / "core").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) in _MAKERS and len(node.args) >= 2
                    and all(isinstance(a, ast.Constant) for a in node.args[:2]) and node.args[0].value in korean):
                fields = set(re.findall(r"{(\w+)}", node.args[1].value))
                assert fields <= set(re.findall(r"{(\w+)}", korean[node.args[0].value])), node.args[0].value


def test_no_korean_for_ids_core_no_longer_has():
    stale = set(core_text.catalog("ko")) - set(_core_message_ids()) - {core_text.LIST_ID}
    assert stale == set()


def test_every_operator_error_raised_in_core_carries_an_id():
    """`raise SomeError("an English sentence")` would reach the window untranslatable."""
    plain = []
    for path in sorted((ROOT / "core").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args:
                name = getattr(node.exc.func, "id", "")
                first = node.exc.args[0]
                if name.endswith(("Error", "Refused")) and name not in ("ValueError", "TypeError", "KeyError") \
                        and isinstance(first, (ast.Constant, ast.JoinedStr, ast.BinOp)):
                    plain.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}")
    assert plain == []


def _form_problems() -> list:
    """Every field problem a form can produce: one bad value per field, as an operator could type it."""
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
    problems = []
    for section, fields in cases.items():
        for name, value in fields:
            cfg = AppConfig()
            cfg.schedule.enabled = True
            setattr(getattr(cfg, section), name, value)
            problems += config_mod.validate(cfg)
    return problems


@pytest.fixture
def korean(qapp):
    from gui import i18n

    assert i18n.install_translators(qapp, "ko") == "ko"
    yield
    i18n.remove_translators(qapp)


def test_form_problems_have_ids_and_show_core_english_in_english():
    problems = _form_problems()
    assert len(problems) >= 25
    assert [p.message for p in problems if not p.msg.id] == []
    assert [core_text.problem_text(p) for p in problems] == [p.message for p in problems]


def test_form_problems_read_korean_in_korean(korean):
    problems = _form_problems()
    by_id = {p.msg.id: core_text.problem_text(p) for p in problems}
    assert "n2-standard-4" in by_id["config.job.machine_type.not_n1"]
    assert "only fits" not in by_id["config.job.machine_type.not_n1"]
    assert [core_text.problem_text(p) for p in problems if core_text.problem_text(p) == p.message] == []


def test_the_running_refusal_is_all_korean_in_korean(korean):
    """Issue 13 item 8: the word "running" stayed English inside the Korean sentence."""
    from core.control.controller import _already_running
    from core.errors import RunRefused
    from core.store.runs import utcnow

    running = Run(id="r1", backend="local", state=RunState.RUNNING, created=utcnow())
    text = core_text.error_message(RunRefused(_already_running(running), reason="running"))
    assert text.startswith("이미 실행 중인 작업이 있습니다 (실행 r1, ") and "UTC부터 실행 중)" in text
    assert "running" not in text and "already going" not in text


def test_the_running_refusal_reads_as_core_wrote_it_in_english():
    from core.control.controller import _already_running
    from core.errors import RunRefused
    from core.store.runs import utcnow

    refusal = RunRefused(_already_running(Run(id="r1", backend="local", state=RunState.RUNNING, created=utcnow())))
    assert core_text.error_message(refusal) == refusal.message and ", running since " in refusal.message


def test_the_supabase_results_table_message_is_korean_in_korean(korean):
    """Issue 13 item 8: "Enter the results table..." stayed English in Korean mode."""
    from core.app import supabase_check
    from core.errors import ConfigError

    with pytest.raises(ConfigError) as raised:
        supabase_check.count_rows("https://abc.supabase.co", "key", "")
    assert raised.value.message.startswith("Enter the results table")
    text = core_text.error_message(raised.value)
    assert text == "설정에서 결과 테이블(작업이 쓰는 테이블)을 입력한 뒤 다시 테스트하세요."
    assert core_text.error_title(raised.value) == "설정을 확인해야 합니다"


def test_a_settings_refusal_translates_each_problem_inside_it(korean):
    from core.errors import RunRefused
    from tests.support.local import controller, fast_config

    cfg = fast_config(seconds=0.2)
    ctl = controller(cfg)  # saved while valid; then broken as a hand edit would
    cfg.schedule.time = "25:99"
    cfg.job.max_runtime_minutes = 5
    with pytest.raises(RunRefused) as raised:
        ctl.launch()
    text = core_text.error_message(raised.value)
    assert text.startswith("작업 설정에 문제가 있습니다: ")
    assert "HH:MM" in text and "최대 실행 시간" in text and "must be" not in text


def test_a_failed_runs_error_keeps_its_id_in_history_and_reads_korean(korean):
    """The local runner's "exited with code 3" is stored with its id and parameters; the window shows Korean."""
    from tests.support.local import controller, fast_config

    ctl = controller(fast_config(seconds=0.2, exit_code=3))
    failed = ctl.wait(ctl.launch().id, timeout=20)
    stored = RunStore(paths.history_path()).get(failed.id)
    assert stored.error == "The job exited with code 3."
    assert stored.error_msg == Message("run.exit_code", "The job exited with code {code}.", {"code": "3"})
    assert stored.to_json()["error_id"] == "run.exit_code"
    assert core_text.run_error_text(stored) == "작업이 종료 코드 3(으)로 끝났습니다."


def test_a_history_written_before_message_ids_opens_and_shows_its_text(tmp_path, korean):
    """Schema 1 (no error_msg column): migrated in place, old rows read as they were, new rows get ids."""
    import sqlite3

    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    columns = ("id TEXT PRIMARY KEY, profile TEXT NOT NULL, backend TEXT NOT NULL, state TEXT NOT NULL, created TEXT "
               "NOT NULL, occurrence TEXT, trigger TEXT NOT NULL, job_name TEXT NOT NULL DEFAULT '', display_name "
               "TEXT NOT NULL DEFAULT '', started TEXT, ended TEXT, exit_code INTEGER, error TEXT, cost_usd REAL, "
               "log_path TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '{}'")
    db.executescript(f"CREATE TABLE runs ({columns}); CREATE TABLE state_changes (run_id TEXT, state TEXT, at TEXT);"
                     "PRAGMA user_version=1;")
    db.execute("INSERT INTO runs (id, profile, backend, state, created, trigger, error) VALUES (?,?,?,?,?,?,?)",
               ("rold", "default", "local", "FAILED", "2026-11-01T01:00:00Z", "manual", "The job exited with code 2."))
    db.commit()
    db.close()
    store = RunStore(path)
    old = store.get("rold")
    assert old.error == "The job exited with code 2." and old.error_msg is None
    assert core_text.run_error_text(old) == "The job exited with code 2."  # as stored: no id to translate by
    new = Run(id="rnew", backend="local", state=RunState.FAILED, created=datetime.now(UTC))
    store.insert(new)
    updated = store.update(new, error=Message("run.cancelled", "Cancelled by the operator."))
    assert RunStore(path).get("rnew").error_msg == updated.error_msg
    assert store.update(updated, error="plain").error_msg is None  # plain text replaces the id too
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 2
