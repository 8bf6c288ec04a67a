"""Issue 13 item 6: the Logs page says "live" only while the run goes, and after a restart it shows the
latest run's log (from the Logs page itself and from the Dashboard's Show log)."""

from __future__ import annotations

from tests.support import panel as panel_support
from tests.support.local import fast_config

make_panel = panel_support.make_panel  # the fixture

LAST_LINE = "predict: wrote predictions, finished"


def _finish_one_run(qtbot, panel):
    panel.run_now()
    qtbot.waitUntil(lambda: panel.dashboard.state_label.text() == "Succeeded", timeout=20_000)
    return panel.dashboard.run


def test_the_header_drops_live_when_the_run_ends(qtbot, make_panel):
    panel = make_panel(fast_config(seconds=1.0))
    page = panel.logs_page
    panel.run_now()
    qtbot.waitUntil(lambda: "(live)" in page.title.text(), timeout=5_000)
    qtbot.waitUntil(lambda: panel.dashboard.state_label.text() == "Succeeded", timeout=20_000)
    assert "(live)" not in page.title.text()
    assert "Succeeded" in page.title.text() and panel.dashboard.run.id in page.title.text()


def test_after_a_restart_the_logs_page_shows_the_latest_run(qtbot, make_panel):
    first = make_panel(fast_config(seconds=0.2))
    run = _finish_one_run(qtbot, first)
    first.shutdown()

    second = make_panel(fast_config(seconds=0.2), save=False)
    qtbot.waitUntil(lambda: second.dashboard.run is not None, timeout=5_000)
    second.window.show_page("logs")
    page = second.logs_page
    qtbot.waitUntil(lambda: LAST_LINE in page.view.visible_text(), timeout=5_000)
    assert "No run yet" not in page.title.text() and run.id in page.title.text()


def test_after_a_restart_show_log_opens_the_dashboards_run(qtbot, make_panel):
    first = make_panel(fast_config(seconds=0.2))
    run = _finish_one_run(qtbot, first)
    first.shutdown()

    second = make_panel(fast_config(seconds=0.2), save=False)
    qtbot.waitUntil(lambda: second.dashboard.run is not None, timeout=5_000)
    second.dashboard.log_button.click()
    assert second.window.current_page() == "logs"
    page = second.logs_page
    qtbot.waitUntil(lambda: LAST_LINE in page.view.visible_text(), timeout=5_000)
    assert run.id in page.title.text()


def test_show_log_is_offered_only_once_there_is_a_run(qtbot, make_panel):
    panel = make_panel(fast_config(seconds=0.2))
    qtbot.waitUntil(lambda: panel.core.controller is not None, timeout=5_000)
    button = panel.dashboard.log_button
    assert not button.isEnabled()  # a fresh install: no run, so no log to show
    _finish_one_run(qtbot, panel)
    assert button.isEnabled()
    button.click()
    assert panel.window.current_page() == "logs"
