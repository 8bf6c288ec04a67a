"""History keeps as many rows as it loads: runs added live push the oldest row out instead of growing
the table for as long as the app stays open (the soak benchmark's finding)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt

from core.store.runs import Run, RunState
from gui.history_page import HistoryPage

START = datetime(2026, 11, 1, 1, 0, tzinfo=UTC)


def _run(i: int) -> Run:
    when = START + timedelta(hours=i)
    return Run(id=f"r{i:04d}", backend="local", state=RunState.SUCCEEDED, created=when, started=when,
               ended=when + timedelta(minutes=3), display_name="t4-predict")


def _ids(page: HistoryPage) -> list[str]:
    return [page.table.item(row, 0).data(Qt.ItemDataRole.UserRole) for row in range(page.table.rowCount())]


def test_runs_added_live_keep_the_newest_rows_up_to_what_a_reload_shows(qtbot):
    page = HistoryPage()
    qtbot.addWidget(page)
    page.max_rows = 5
    page.set_runs([_run(i) for i in (2, 1, 0)])
    for i in range(3, 9):
        page.update_run(_run(i))
    assert _ids(page) == ["r0008", "r0007", "r0006", "r0005", "r0004"]  # newest first, as the table sorts
    assert set(page.runs) == set(_ids(page))
    page.update_run(_run(6))  # a change to a run already shown replaces its row, it adds none
    assert page.table.rowCount() == 5


def test_a_new_run_adds_one_row_and_leaves_the_others_as_they_are(qtbot):
    """An open window adds each new run as one row: the rows already shown are not built again."""
    page = HistoryPage()
    qtbot.addWidget(page)
    page.max_rows = 4
    page.set_runs([_run(i) for i in (3, 2, 1, 0)])
    page.table.sortItems(1, Qt.SortOrder.AscendingOrder)  # the operator sorts by another column
    kept = {page.table.item(row, 0).data(Qt.ItemDataRole.UserRole): page.table.item(row, 0)
            for row in range(page.table.rowCount())}
    page.update_run(_run(4))
    assert sorted(_ids(page)) == ["r0001", "r0002", "r0003", "r0004"]  # the oldest run went, whatever the order
    for row in range(page.table.rowCount()):
        item = page.table.item(row, 0)
        run_id = item.data(Qt.ItemDataRole.UserRole)
        if run_id != "r0004":
            assert item is kept[run_id]  # the same row, not a refilled one
    assert page.table.horizontalHeader().sortIndicatorSection() == 1  # the operator's order stays


def test_the_first_run_in_an_empty_history_shows(qtbot):
    page = HistoryPage()
    qtbot.addWidget(page)
    page.update_run(_run(0))
    page.update_run(_run(1))
    assert _ids(page) == ["r0001", "r0000"]
    assert page.table.item(0, 4).text()  # its state is written


def test_a_running_retried_run_prices_its_current_attempt_with_the_operators_own_rates(qtbot):
    """Settings' own rates (machine $0.20/h, T4 $0.40/h): the attempt running for 30 min so far is $0.30, as the
    Cost page says; the price table would make it $0.31 ($0.62099885 an hour)."""
    from core.cost import RateOverrides
    from core.store.runs import utcnow
    from tests.support.cost import spec

    started = utcnow() - timedelta(minutes=30)
    run = Run(id="r1", backend="vertex", state=RunState.RUNNING, created=started - timedelta(hours=1),
              started=started, display_name="t4-predict",
              detail={"spec": spec(), "attempts": [{"region": "us-central1", "spot": True, "cost_usd": 0.07}]})
    page = HistoryPage(rate_overrides=lambda: RateOverrides(machine_usd_per_hour=0.20, gpu_usd_per_hour=0.40))
    qtbot.addWidget(page)
    page.set_runs([run])
    assert page.table.item(0, 6).toolTip().endswith("us-central1, on demand: $0.30")
    table_priced = HistoryPage()
    qtbot.addWidget(table_priced)
    table_priced.set_runs([run])
    assert table_priced.table.item(0, 6).toolTip().endswith("us-central1, on demand: $0.31")


def test_the_run_the_operator_selected_stays_selected_when_a_new_run_arrives(qtbot):
    page = HistoryPage()
    qtbot.addWidget(page)
    page.max_rows = 4
    page.set_runs([_run(i) for i in (3, 2, 1, 0)])
    page.table.selectRow(_ids(page).index("r0002"))
    page.update_run(_run(4))
    page.update_run(_run(5))
    [selected] = {index.row() for index in page.table.selectionModel().selectedRows()}
    assert page.table.item(selected, 0).data(Qt.ItemDataRole.UserRole) == "r0002"
