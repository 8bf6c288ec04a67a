"""The operator's first day, in real widgets: Run Now, watch the log, see history, hear from the tray."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import QWidget

from core.store.runs import RunState
from tests.support import panel as panel_support
from tests.support.local import fast_config

make_panel = panel_support.make_panel  # the fixture


def _state(panel):
    return panel.dashboard.state_label.text()


def test_run_now_shows_log_lines_then_success_history_and_a_notification(qtbot, make_panel):
    panel = make_panel(fast_config(seconds=1.0))
    button = panel.window.findChild(type(panel.dashboard.run_now_button), "runNowButton")
    log_view = panel.window.findChild(type(panel.logs_page.view), "logView")
    with qtbot.waitSignal(panel.tray.notified, timeout=20_000) as notified:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "batch 1/10" in log_view.visible_text(), timeout=2_000)
    title, message, failure = notified.args
    assert failure is False and "finished" in title and "succeeded" in message
    assert _state(panel) == "Succeeded"
    qtbot.waitUntil(lambda: "predict: wrote predictions, finished" in log_view.visible_text(), timeout=1_000)
    table = panel.window.findChild(type(panel.history_page.table), "historyTable")
    qtbot.waitUntil(lambda: table.rowCount() == 1, timeout=5_000)
    states = [table.item(0, c).text() for c in range(table.columnCount())]
    assert "Succeeded" in states and "Run Now" in states


def test_second_run_now_during_a_run_is_refused_with_a_message(qtbot, make_panel):
    panel = make_panel(fast_config(seconds=5))
    panel.run_now()
    qtbot.waitUntil(lambda: panel.dashboard.cancel_button.isEnabled(), timeout=5_000)
    panel.run_now()
    qtbot.waitUntil(lambda: "already going" in panel.dashboard.message_label.text(), timeout=5_000)
    assert len(panel.core.controller.store.recent()) == 1
    qtbot.mouseClick(panel.window.findChild(type(panel.dashboard.cancel_button), "cancelButton"),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _state(panel) == "Cancelled", timeout=15_000)


def test_cancel_ends_the_run_cancelled(qtbot, make_panel):
    panel = make_panel(fast_config(seconds=30))
    with qtbot.waitSignal(panel.tray.notified, timeout=20_000) as notified:
        panel.run_now()
        qtbot.waitUntil(lambda: "batch" in panel.logs_page.view.visible_text() or
                        "starting" in panel.logs_page.view.visible_text(), timeout=5_000)
        qtbot.mouseClick(panel.dashboard.cancel_button, Qt.MouseButton.LeftButton)
    assert "cancelled" in notified.args[0]
    assert panel.core.controller.store.recent()[0].state == RunState.CANCELLED


def test_a_job_that_exits_3_shows_failed_with_the_exit_code(qtbot, make_panel):
    panel = make_panel(fast_config(seconds=0.3, exit_code=3))
    with qtbot.waitSignal(panel.tray.notified, timeout=20_000) as notified:
        panel.run_now()
    assert notified.args[2] is True
    assert _state(panel) == "Failed"
    assert "The job exited with code 3." in panel.dashboard.detail_label.text()  # once: no "Exit code: 3" too
    assert "Exit code" not in panel.dashboard.detail_label.text()
    log_view = panel.logs_page.view
    qtbot.waitUntil(lambda: "asked to fail" in log_view.visible_text(), timeout=2_000)
    rows = [i for i in range(log_view.model.rowCount()) if "asked to fail" in log_view.model.index(i).data()]
    assert log_view.model.index(rows[0]).data(Qt.ItemDataRole.UserRole) == "ERROR"  # shown in red


def test_success_notification_can_be_turned_off(qtbot, make_panel):
    cfg = fast_config(seconds=0.2)
    cfg.notifications.on_success = False
    panel = make_panel(cfg)
    with qtbot.assertNotEmitted(panel.tray.notified, wait=500):
        panel.run_now()
        qtbot.waitUntil(lambda: _state(panel) == "Succeeded", timeout=15_000)


def test_history_double_click_opens_that_runs_log(qtbot, make_panel):
    panel = make_panel(fast_config(seconds=0.2))
    panel.run_now()
    qtbot.waitUntil(lambda: _state(panel) == "Succeeded", timeout=15_000)
    panel.logs_page.view.clear()
    table = panel.history_page.table
    qtbot.waitUntil(lambda: table.rowCount() == 1, timeout=5_000)
    panel.history_page._open(0, 0)  # what a double-click on row 0 does
    assert panel.window.current_page() == "logs"
    qtbot.waitUntil(lambda: "wrote predictions" in panel.logs_page.view.visible_text(), timeout=5_000)


def test_job_form_shows_inline_messages_and_refuses_to_save(qtbot, make_panel):
    panel = make_panel(fast_config())
    page = panel.job_page
    form = panel.window.findChild(type(page.form_widget), "jobForm")
    assert form is page.form_widget
    page.machine.setCurrentText("n2-standard-4")
    assert page.errors["machine_type"].text() == "A T4 GPU only fits N1 machine types; n2-standard-4 is not one."
    assert not page.save_button.isEnabled()
    page.machine.setCurrentText("n1-standard-8")
    assert page.errors["machine_type"].isHidden()
    page.env.setPlainText("BATCH=64\nnot a pair")
    assert "NAME=value" in page.errors["env"].text()
    page.env.setPlainText("BATCH=64")
    assert page.save_button.isEnabled()
    with qtbot.waitSignal(panel.core.configChanged, timeout=5_000):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    from core.store import config as config_mod

    saved = config_mod.load().config
    assert saved.job.machine_type == "n1-standard-8"
    assert saved.job.env == {"BATCH": "64"}


def test_closing_the_window_keeps_the_app_in_the_tray(qtbot, make_panel):
    panel = make_panel(fast_config())
    panel.window.show()
    panel.window.close()
    assert not panel.window.isVisible()
    assert panel.window.quitting is False


def test_schedule_set_in_the_form_shows_in_the_preview_and_next_run_label(qtbot, make_panel):
    panel = make_panel(fast_config(), run_scheduler=True)
    label = panel.window.findChild(type(panel.dashboard.next_run_label), "nextRunLabel")
    qtbot.waitUntil(lambda: panel.scheduler is not None, timeout=10_000)
    assert label.text() == "Next run: no schedule yet"
    page = panel.schedule_page
    panel.window.show_page("schedule")
    form = panel.window.findChild(QWidget, "scheduleForm")
    assert form is not None
    page.enabled.setChecked(True)
    page.time.setTime(QTime(23, 45))
    assert all("23:45" in zone_text for zone_text, _ in page.preview_rows())
    page.save_button.click()
    qtbot.waitUntil(lambda: "23:45" in label.text(), timeout=10_000)
    assert label.text().startswith("Next run: ")
    assert "KST" in label.text()


def test_a_daemon_holding_the_lock_keeps_the_window_from_scheduling(qtbot, make_panel):
    from core.app import instance_lock

    held = instance_lock.acquire("daemon")
    assert held is not None
    try:
        panel = make_panel(fast_config(), run_scheduler=True)
        qtbot.waitUntil(lambda: "handled elsewhere" in panel.dashboard.next_run_label.text(), timeout=10_000)
        assert "daemon" in panel.dashboard.next_run_label.text()
        assert panel.scheduler is None
    finally:
        held.release()


def test_the_window_holding_the_lock_makes_a_daemon_refuse(qtbot, make_panel):
    import os
    import subprocess
    import sys
    from pathlib import Path

    panel = make_panel(fast_config(), run_scheduler=True)
    qtbot.waitUntil(lambda: panel.scheduler is not None, timeout=10_000)
    out = subprocess.run([sys.executable, "main.py", "daemon"], cwd=Path(__file__).resolve().parents[2],
                         env=dict(os.environ), capture_output=True, text=True, timeout=60)
    assert out.returncode == 3
    assert "window" in (out.stdout + out.stderr)


def test_general_settings_save_budget_and_notifications(qtbot, make_panel):
    panel = make_panel(fast_config())
    panel.window.show_page("settings")
    general = panel.general_settings
    general.monthly.setValue(25)
    general.block.setChecked(True)
    general.on_success.setChecked(False)
    general.webhook.setText("ftp://not-a-webhook")
    general.save_button.click()
    assert "https://" in general.status.text()  # refused with the reason; nothing saved
    general.webhook.setText("")
    with qtbot.waitSignal(panel.core.configChanged, timeout=5_000):
        general.save_button.click()
    from core.store import config as config_mod

    saved = config_mod.load().config
    assert saved.budget.monthly_usd == 25 and saved.budget.block_when_over is True
    assert saved.notifications.on_success is False


def test_start_at_login_writes_an_xdg_autostart_entry(qtbot, make_panel, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    panel = make_panel(fast_config())
    panel.window.show_page("settings")
    general = panel.general_settings
    qtbot.waitUntil(lambda: general.autostart.isEnabled(), timeout=5_000)
    general.autostart.setChecked(True)
    entry = tmp_path / "xdg" / "autostart"
    qtbot.waitUntil(lambda: any(entry.glob("*.desktop")), timeout=5_000)
    general.autostart.setChecked(False)
    qtbot.waitUntil(lambda: not any(entry.glob("*.desktop")), timeout=5_000)
