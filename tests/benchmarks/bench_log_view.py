"""Log view benchmark: 500,000 lines in bursts through the app's LogView vs a naive QPlainTextEdit.

Measures, in the same run: throughput (lines/s until every line is shown), the longest event-loop stall
(a 5 ms heartbeat timer's worst gap) and peak memory growth (RSS). The naive view is fed line by line
with appendPlainText, as a first attempt would be, and (to keep the run short) only 50,000 lines.
    python tests/benchmarks/bench_log_view.py [--lines N]
Targets: >= 10x the naive throughput, no stall over 50 ms, memory bounded however long the log grows.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from core.backends.base import LogLine
from gui.log_view import LogView

BURST = 2_000  # lines per arrival, as a chatty job's log reader would hand over
BURST_EVERY_MS = 1


def rss_mb() -> float:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_lines(n: int) -> list[LogLine]:
    now = datetime.now(UTC)
    sev = ("INFO", "INFO", "INFO", "WARNING", "ERROR")
    return [LogLine(now, f"predict: batch {i} done, loss=0.{i % 997:03d} rows={i * 7}", sev[i % 5]) for i in range(n)]


def run(app: QApplication, feed, done, total: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Feed bursts from a timer; measure until `done()`; a heartbeat timer records the worst stall."""
    worst = [0.0]
    beat = QElapsedTimer()
    beat.start()

    def heartbeat() -> None:
        worst[0] = max(worst[0], beat.restart())

    hb = QTimer()
    hb.setInterval(5)
    hb.timeout.connect(heartbeat)
    hb.start()
    sent = [0]
    feeder = QTimer()
    feeder.setInterval(BURST_EVERY_MS)

    def tick() -> None:
        if sent[0] >= total:
            feeder.stop()
            return
        feed(sent[0], min(BURST, total - sent[0]))
        sent[0] += BURST

    feeder.timeout.connect(tick)
    rss0 = rss_mb()
    peak = [rss0]
    t0 = time.perf_counter()
    feeder.start()
    while not (sent[0] >= total and done()):
        app.processEvents()
        peak[0] = max(peak[0], rss_mb())
    elapsed = time.perf_counter() - t0
    hb.stop()
    return {"seconds": elapsed, "lines_per_s": total / elapsed, "stall_ms": max(worst[0] - 5, 0),
            "mem_mb": peak[0] - rss0}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=500_000)
    parser.add_argument("--naive-lines", type=int, default=50_000)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    lines = make_lines(args.lines)

    naive = QPlainTextEdit()
    naive.resize(900, 600)
    naive.show()
    texts = [f"{line.time:%H:%M:%S}  {line.text}" for line in lines[: args.naive_lines]]

    def naive_feed(start: int, n: int) -> None:
        for text in texts[start:start + n]:
            naive.appendPlainText(text)

    base = run(app, naive_feed, lambda: True, len(texts))
    naive.close()
    naive.deleteLater()
    app.processEvents()

    view = LogView(max_lines=100_000)
    view.resize(900, 600)
    view.show()
    ours = run(app, lambda s, n: view.append_lines(lines[s:s + n]), lambda: view.line_count() == view.model.rowCount()
               and not view._pending, args.lines)
    shown = view.model.rowCount()
    second = run(app, lambda s, n: view.append_lines(lines[s:s + n]), lambda: not view._pending, args.lines)

    print(f"naive QPlainTextEdit: {base['lines_per_s']:,.0f} lines/s over {len(texts):,} lines, "
          f"longest stall {base['stall_ms']:.0f} ms, memory +{base['mem_mb']:.0f} MB")
    print(f"T4 Panel LogView:     {ours['lines_per_s']:,.0f} lines/s over {args.lines:,} lines, "
          f"longest stall {ours['stall_ms']:.0f} ms, memory +{ours['mem_mb']:.0f} MB, {shown:,} lines kept")
    print(f"  a second {args.lines:,} lines: memory +{second['mem_mb']:.0f} MB more "
          f"(bounded: kept {view.model.rowCount():,})")
    print(f"throughput ratio: {ours['lines_per_s'] / base['lines_per_s']:.1f}x (target >= 10x); "
          f"longest stall {ours['stall_ms']:.0f} ms (target <= 50 ms)")


if __name__ == "__main__":
    main()
