"""Issue 13 item 7: what the Dashboard and History say about a run is true and said once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.store.runs import Run, RunState, new_run_id
from tests.support import panel as panel_support
from tests.support.local import fast_config

make_panel = panel_support.make_panel  # the fixture
T0 = datetime(2026, 11, 29, 1, 0, tzinfo=UTC)


def _run(**kw) -> Run:
    base = dict(id=new_run_id(), backend="local", state=RunState.RUNNING, created=T0, started=T0,
                display_name="t4-predict")
    base.update(kw)
    return Run(**base)


def test_already_going_message_leaves_when_that_run_is_cancelled(qtbot, make_panel):
    panel = make_panel(fast_config(seconds=30))
    panel.run_now()
    qtbot.waitUntil(lambda: panel.dashboard.cancel_button.isEnabled(), timeout=5_000)
    panel.run_now()
    message = panel.dashboard.message_label
    qtbot.waitUntil(lambda: "already going" in message.text(), timeout=5_000)
    panel.dashboard.cancel_button.click()
    qtbot.waitUntil(lambda: panel.dashboard.state_label.text() == "Cancelled", timeout=15_000)
    assert message.text() == ""
    detail = panel.dashboard.detail_label.text()
    assert "-15" not in detail and "Exit code" not in detail
    panel.window.show_page("history")
    table = panel.history_page.table
    qtbot.waitUntil(lambda: table.rowCount() == 1, timeout=5_000)
    assert not any("-15" in (table.item(0, c).text()) for c in range(table.columnCount()))


def test_a_failed_run_says_its_exit_code_once(qtbot, make_panel):
    panel = make_panel(fast_config(seconds=0.2, exit_code=1))
    panel.run_now()
    qtbot.waitUntil(lambda: panel.dashboard.state_label.text() == "Failed", timeout=15_000)
    detail = panel.dashboard.detail_label.text()
    assert "The job exited with code 1." in detail
    assert "Exit code" not in detail and detail.count("1.") == 1
    panel.window.show_page("history")
    table = panel.history_page.table
    qtbot.waitUntil(lambda: table.rowCount() == 1, timeout=5_000)
    details = table.item(0, table.columnCount() - 1).text()
    assert details.lower().count("code 1") == 1


def test_a_local_run_never_waits_for_a_gpu(qtbot):
    from gui.dashboard import Dashboard
    from gui.history_page import HistoryPage

    dash = Dashboard()
    qtbot.addWidget(dash)
    for state in (RunState.QUEUED, RunState.PENDING):
        run = _run(state=state, started=None)
        dash.set_run(run)
        assert dash.state_label.text() != "Waiting for a GPU"
        dash.set_timeline([(RunState.QUEUED, T0), (state, T0 + timedelta(seconds=1))])
        assert "GPU" not in dash.timeline_label.text()
        history = HistoryPage()
        qtbot.addWidget(history)
        history.set_runs([run])
        assert "GPU" not in history.table.item(0, 4).text()
    dash.set_run(_run(backend="vertex", state=RunState.PENDING, started=None))
    assert dash.state_label.text() == "Waiting for a GPU"  # on Vertex AI that is what happens


def test_history_names_a_job_that_never_got_one_without_empty_brackets(qtbot):
    from gui.history_page import HistoryPage

    page = HistoryPage()
    qtbot.addWidget(page)
    never = _run(backend="vertex", state=RunState.FAILED, job_name="", ended=T0)
    got = _run(backend="vertex", state=RunState.SUCCEEDED, job_name="projects/1/locations/x/customJobs/42", ended=T0)
    page.set_runs([never, got])
    jobs = sorted(page.table.item(r, 3).text() for r in range(2))
    assert jobs == ["t4-predict", "t4-predict (42)"]
