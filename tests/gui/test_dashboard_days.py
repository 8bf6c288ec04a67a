"""Issue 13 item 4: the Dashboard read in two seconds: 30 coloured days, the month's spend, nothing to scroll."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

from core import cost, paths
from core.store.config import AppConfig, JobConfig
from core.store.occurrences import OccurrenceStore, Outcome
from core.store.runs import Run, RunState, RunStore, utcnow
from gui.month_days import DayState
from tests.support import panel as panel_support
from tests.support.local import fast_config

make_panel = panel_support.make_panel  # the fixture
SEOUL = ZoneInfo("Asia/Seoul")
ERROR = "The job exited with code 1."
# days ago -> what happened that day; every other day from 1 to 29 succeeded on schedule
PLAN = {1: "failed", 3: "missed", 5: "skipped", 7: "blocked", 10: "retried", 12: "manual", 13: "nothing",
        20: "cancelled"}
EXPECTED = {"failed": DayState.FAILED, "missed": DayState.MISSED, "skipped": DayState.SKIPPED,
            "blocked": DayState.BLOCKED, "retried": DayState.RETRIED, "manual": DayState.NONE,
            "nothing": DayState.NONE, "cancelled": DayState.FAILED}


def _fire(days_ago: int) -> datetime:
    """01:00 in Seoul, `days_ago` days before today there, as UTC."""
    day = utcnow().astimezone(SEOUL).date() - timedelta(days=days_ago)
    return datetime.combine(day, time(1, 0), SEOUL).astimezone(ZoneInfo("UTC"))


def _run(run_id: str, when: datetime, state: RunState, trigger: str = "schedule", error: str | None = None,
         cost_usd: float = 0.4) -> Run:
    return Run(id=run_id, backend="local", state=state, created=when, started=when + timedelta(minutes=1),
               ended=when + timedelta(minutes=40), occurrence=when if trigger == "schedule" else None,
               trigger=trigger, display_name="t4-predict", error=error, exit_code=1 if error else 0,
               cost_usd=cost_usd)


def seed_month() -> dict[int, str]:
    """A month in history.sqlite3: returns days-ago -> the run id a click on that day must open."""
    store = RunStore(paths.history_path())
    occ = OccurrenceStore(paths.history_path())
    opens: dict[int, str] = {}
    for ago in range(1, 30):
        fire = _fire(ago)
        what = PLAN.get(ago, "ok")
        occ_id = f"{fire:%Y%m%dT%H%MZ}".lower()
        if what in ("missed", "skipped", "blocked"):
            occ.record(occ_id, fire, Outcome(what), reason="seeded")
        elif what == "manual":
            run = _run(f"rmanual{ago:02d}", fire + timedelta(hours=9), RunState.SUCCEEDED, trigger="manual")
            store.insert(run)
            opens[ago] = run.id
        elif what != "nothing":
            state = {"failed": RunState.FAILED, "retried": RunState.FAILED,
                     "cancelled": RunState.CANCELLED}.get(what, RunState.SUCCEEDED)
            run = _run(f"rsched{ago:02d}", fire, state, error=ERROR if state == RunState.FAILED else None)
            store.insert(run)
            occ.record(occ_id, fire, Outcome.LAUNCHED, run_id=run.id)
            opens[ago] = run.id
            if what == "retried":
                store.insert(_run(f"rretry{ago:02d}", fire + timedelta(hours=3), RunState.SUCCEEDED, trigger="manual"))
    occ.close()
    store.close()
    return opens


def seoul_config() -> AppConfig:
    cfg = fast_config(seconds=0.2)
    cfg.schedule.timezone = "Asia/Seoul"
    return cfg


def _strip_loaded(panel) -> bool:
    return len(panel.dashboard.day_strip.days) == 30


def test_the_strip_shows_30_days_with_their_outcomes_from_history(qtbot, make_panel):
    seed_month()
    panel = make_panel(seoul_config())
    qtbot.waitUntil(lambda: _strip_loaded(panel), timeout=10_000)
    days = panel.dashboard.day_strip.days
    today = utcnow().astimezone(SEOUL).date()
    assert [d.day for d in days] == [today - timedelta(days=29 - i) for i in range(30)]
    for ago in range(1, 30):
        assert days[29 - ago].state == EXPECTED.get(PLAN.get(ago, "ok"), DayState.SUCCEEDED), ago
    assert days[29].state == DayState.NONE  # today: nothing seeded yet
    summary = panel.dashboard.days_summary.text()
    assert summary.startswith("21 succeeded · 1 retried · 2 failed · 1 missed")
    assert "1 retried" in summary and "1 skipped" in summary and "1 blocked" in summary


def _hover(strip, index: int) -> str:
    strip.resize(max(strip.width(), 600), strip.height())
    centre = strip.cell_rect(index).center().toPoint()
    event = QHelpEvent(QEvent.Type.ToolTip, centre, strip.mapToGlobal(centre))
    QApplication.sendEvent(strip, event)
    return QToolTip.text()


def test_hovering_a_day_says_what_happened_in_a_sentence(qtbot, make_panel):
    seed_month()
    panel = make_panel(seoul_config())
    qtbot.waitUntil(lambda: _strip_loaded(panel), timeout=10_000)
    panel.window.show_page("dashboard")
    strip = panel.dashboard.day_strip
    failed = _hover(strip, 29 - 1)
    assert "The scheduled run failed." in failed and ERROR in failed and "01:01 Schedule: Failed" in failed
    assert "Click to open this run's log." in failed
    missed = _hover(strip, 29 - 3)
    assert "missed" in missed and "off or asleep" in missed and "Click" not in missed
    assert "skipped" in _hover(strip, 29 - 5) and "budget" in _hover(strip, 29 - 7)
    retried = _hover(strip, 29 - 10)
    assert "a later run did" in retried and "Run Now: Succeeded" in retried
    assert "No run was scheduled" in _hover(strip, 29 - 13)
    QToolTip.hideText()


def test_clicking_a_day_opens_that_run_on_the_logs_page(qtbot, make_panel):
    opens = seed_month()
    panel = make_panel(seoul_config())
    qtbot.waitUntil(lambda: _strip_loaded(panel), timeout=10_000)
    strip = panel.dashboard.day_strip
    strip.resize(max(strip.width(), 600), strip.height())
    with qtbot.waitSignal(panel.dashboard.dayRunClicked, timeout=2_000) as clicked:
        qtbot.mouseClick(strip, Qt.MouseButton.LeftButton, pos=strip.cell_rect(29 - 1).center().toPoint())
    assert clicked.args[0].id == opens[1]
    assert panel.window.current_page() == "logs"
    qtbot.waitUntil(lambda: f"Run {opens[1]}" in panel.logs_page.title.text(), timeout=5_000)
    # a missed day has no run: a click there opens nothing
    panel.window.show_page("dashboard")
    with qtbot.assertNotEmitted(panel.dashboard.dayRunClicked):
        qtbot.mouseClick(strip, Qt.MouseButton.LeftButton, pos=strip.cell_rect(29 - 3).center().toPoint())
    assert panel.window.current_page() == "dashboard"


def test_the_spend_line_matches_core_figures(qtbot, make_panel):
    seed_month()
    cfg = seoul_config()
    cfg.budget.monthly_usd = 10.0
    panel = make_panel(cfg)
    store = RunStore(paths.history_path())
    status = cost.budget_status(cfg, store)
    store.close()
    label, bar = panel.dashboard.budget_label, panel.dashboard.spend_bar
    qtbot.waitUntil(lambda: f"${status.spent:,.2f}" in label.text(), timeout=10_000)
    assert "$10.00" in label.text() and f"{round(status.fraction * 100)}%" in label.text()
    assert bar.value() == min(1000, round(status.fraction * 1000)) and bar.isVisibleTo(panel.window)


def _visible_descendants(root: QWidget) -> list[QWidget]:
    return [w for w in root.findChildren(QWidget) if w.isVisibleTo(root) and w.isWindow() is False]


@pytest.mark.parametrize("backend", ["local", "vertex"])
def test_nothing_needs_scrolling_at_1100_by_760(qtbot, make_panel, backend):
    seed_month()
    cfg = seoul_config()
    if backend == "vertex":
        cfg.job = JobConfig(backend="vertex", project_id="my-proj", region="asia-northeast3",
                            image_uri="asia-northeast3-docker.pkg.dev/p/r/i:1", command=["python", "predict.py"])
    cfg.budget.monthly_usd = 10.0
    panel = make_panel(cfg)
    panel.window.resize(1100, 760)
    panel.window.show_page("dashboard")
    dash = panel.dashboard
    qtbot.waitUntil(lambda: _strip_loaded(panel) and "$10.00" in dash.budget_label.text(), timeout=10_000)
    now = utcnow()
    run = Run(id="rrunning0000000000", backend=backend, state=RunState.FAILED, created=now, started=now,
              ended=now + timedelta(minutes=3), error=ERROR, exit_code=1, cost_usd=0.12, display_name="t4-predict",
              detail={"rows_written": 1204})
    dash.set_run(run)
    dash.set_timeline([(RunState.QUEUED, now), (RunState.RUNNING, now), (RunState.FAILED, now)])
    dash.set_console_url("https://console.cloud.google.com/x" if backend == "vertex" else None)
    dash.show_message("A run is already going (since 01:00 KST).")
    qtbot.wait(50)
    assert dash.invite.isVisibleTo(dash) == (backend == "local")
    assert dash.minimumSizeHint().height() <= dash.height(), "the page would be squeezed"
    for name in ("runCard", "daysPanel", "dayStrip", "daysLegend", "spendRow", "nextRunLabel", "runNowButton"):
        widget = dash.findChild(QWidget, name)
        assert widget is not None and widget.isVisibleTo(dash), name
        top_left = widget.mapTo(dash, QPoint(0, 0))
        assert dash.rect().contains(top_left) and top_left.y() + widget.height() <= dash.height(), name
        assert widget.height() >= widget.minimumSizeHint().height(), f"{name} is squeezed"
    for widget in _visible_descendants(dash):  # nothing drawn past the page's bottom edge
        assert widget.mapTo(dash, QPoint(0, widget.height())).y() <= dash.height(), widget.objectName()
    row = dash.findChild(QWidget, "lastCheckRow")
    assert row is not None and not row.isVisibleTo(dash)  # reserved for the setup check, hidden until then
