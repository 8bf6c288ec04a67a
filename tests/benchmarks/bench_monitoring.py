"""How much T4 Panel asks of Google while it watches a one-hour Vertex AI job, how soon it knows the end,
and how soon a log line reaches the screen.

Runs a simulated job (5 min in the queue, 60 min running, one log line every 2 s) on the fake Vertex
and Cloud Logging servers, with time compressed, watched by the real RunController and VertexBackend,
three times: reading the log by polling `entries.list` only (the baseline), with the live tail
(`TailLogEntries`), and with the live tail cut by the server every few minutes. Prints the write-to-screen
delay side by side, API calls per job-hour, the most log reads in any minute, the delay between the job's
end and the app knowing it, and the same figures for `gcloud ai custom-jobs stream-logs` (one log read per
60 s, the job's state read once). Not a pass/fail test:

    python tests/benchmarks/bench_monitoring.py [--scale 50] [--run-minutes 60] [--queue-minutes 5] [--cut-minutes 5]

Compression magnifies every millisecond of real thread and socket work by `--scale`: at 200, a 20 ms
pause of a loaded machine reads as 4 s of delay, which is why the default is 50 (about 4 1/2 minutes).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

TARGET_CALLS_PER_HOUR = 400
TARGET_LOG_READS_PER_MINUTE = 12


class _Env:
    """Set env vars for the run; give them back afterwards."""

    def __init__(self, **values: str) -> None:
        self.values, self.saved = values, {k: os.environ.get(k) for k in values}

    def setenv(self, key: str, value: str) -> None:
        self.saved.setdefault(key, os.environ.get(key))
        os.environ[key] = value

    def __enter__(self) -> _Env:
        os.environ.update(self.values)
        return self

    def __exit__(self, *_: object) -> None:
        for k, v in self.saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _max_in_window(times: list[float], window: float) -> int:
    best, start = 0, 0
    for end, t in enumerate(times):
        while t - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


def _last_gap(times: list[float], end: float) -> float:
    """The gap between the last state read before `end` and the first one after it."""
    before = max((t for t in times if t <= end), default=end)
    after = min((t for t in times if t > end), default=float("inf"))
    return after - before


def run(scale: float, run_minutes: float, queue_minutes: float, live_tail: bool = False,
        cut_minutes: float | None = None) -> dict[str, float]:
    """One simulated job watched the way the app watches it; `live_tail` False is the polling-only baseline,
    `cut_minutes` cuts every live tail session that long after it opened."""
    from google.oauth2.credentials import Credentials

    from core.backends.vertex.backend import VertexBackend
    from core.control.controller import RunController
    from core.google import endpoints
    from core.google.logs import ReadLimiter
    from core.store.config import AppConfig, JobConfig
    from core.store.runs import RunState, RunStore
    from tests.integration.fakes.oauth_server import CLIENT_ID, CLIENT_SECRET, FakeOAuthServer
    from tests.integration.fakes.vertex_server import FakeCloud, Script

    def job_s(seconds: float) -> float:
        return seconds / scale

    running = run_minutes * 60
    lines = [(job_s(t), f"step {t // 2}", "INFO") for t in range(0, int(running), 2)]
    home = tempfile.mkdtemp(prefix="t4bench-")
    with _Env(T4PANEL_HOME=home) as env, FakeOAuthServer() as oauth, FakeCloud(env) as cloud:
        # Signed in as an operator is (the fakes demand a token), without a keyring: the refresh token
        # goes straight into the credentials the app would have read from it.
        refresh = oauth.issue_refresh_token("https://www.googleapis.com/auth/cloud-platform")
        endpoints.set_credentials_provider(lambda: Credentials(
            None, refresh_token=refresh, token_uri=f"{oauth.url}/token", client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET, scopes=["https://www.googleapis.com/auth/cloud-platform"]))
        cloud.logging.read_quota = (60, 60.0 / scale)  # Google's read quota on the compressed clock
        cloud.logging.tail.faults.cut_every = job_s(cut_minutes * 60) if cut_minutes else None
        cloud.vertex.script = Script(queued=job_s(60), pending=job_s(queue_minutes * 60 - 60), running=job_s(running),
                                     logs=lines, log_delay=job_s(2))
        cfg = AppConfig(job=JobConfig(backend="vertex", project_id="bench-proj", image_uri="img:1",
                                      command=["python", "job.py"], max_runtime_minutes=int(run_minutes * 2)))
        backend = VertexBackend(min_poll_seconds=job_s(5), limiter=ReadLimiter(job_s(5)), log_lag_seconds=job_s(5),
                                live_tail=live_tail)
        controller = RunController(RunStore(Path(home) / "history.sqlite3"), lambda: cfg,
                                   backend_factory=lambda _name: backend)
        known_end = threading.Event()
        known_at: list[float] = []

        line_delays: list[float] = []

        def on_event(event) -> None:  # type: ignore[no-untyped-def]
            if event.kind == "log":
                line_delays.extend((time.time() - ln.time.timestamp()) * scale for ln in event.lines)

            if event.kind == "state" and event.run.state.terminal and not known_at:
                known_at.append(time.time())
                known_end.set()

        controller.subscribe(on_event)
        began = time.time()
        run_ = controller.launch("manual")
        known_end.wait(timeout=job_s(running + queue_minutes * 60) * 3 + 30)
        done = controller.wait(run_.id, timeout=60)
        controller.shutdown()
        job = cloud.vertex.get(done.job_name)
        end = job.end_time.timestamp()
        log_reads = sorted(r.at for r in cloud.logging.requests)
        began_running, ended_running = job.start_time.timestamp(), end
        # A poll stays behind "now" (its filter has an upper timestamp bound); a backfill, a gap fill and the
        # final drain read to "now". Told apart on the wire, as Google sees them.
        before_end = [r for r in cloud.logging.requests if r.at <= ended_running]
        polls = [r for r in before_end if 'timestamp<="' in r.filter and r.at >= began_running]
        fills = [r for r in before_end if 'timestamp<="' not in r.filter]
        sessions = cloud.logging.tail.requests
        lifetime_h = (end - job.create_time.timestamp()) * scale / 3600
        return {
            "state": done.state.value == RunState.SUCCEEDED.value,
            "lines": len(Path(done.log_path).read_text(encoding="utf-8").splitlines()),
            "expected_lines": len(lines),
            "vertex_calls": len(cloud.vertex.requests),
            "log_reads": len(log_reads),
            "lifetime_h": lifetime_h,
            "max_reads_minute": _max_in_window([t * scale for t in log_reads], 60.0),
            "end_delay_s": (known_at[0] - end) * scale if known_at else float("inf"),
            "end_poll_s": backend.policy.state_every(RunState.RUNNING, 1e9) / backend.policy.factor,
            "state_gap_s": _last_gap([r.at for r in cloud.vertex.requests if r.method == "GET"], end) * scale,
            "wall_s": time.time() - began,
            "line_delay_avg_s": sum(line_delays) / len(line_delays) if line_delays else float("nan"),
            "line_delay_max_s": max(line_delays, default=float("nan")),
            "running_polls": len(polls),
            "fill_reads": len(fills),
            "tail_sessions": len(sessions),
            "tail_cut": sum(1 for t in sessions if t.status == "UNAVAILABLE"),
            "tail_open_after": cloud.logging.tail.open_sessions,
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=50.0, help="job seconds per real second (default 50)")
    parser.add_argument("--run-minutes", type=float, default=60.0)
    parser.add_argument("--queue-minutes", type=float, default=5.0)
    parser.add_argument("--cut-minutes", type=float, default=5.0,
                        help="the third run's live tail sessions are cut this long after they open (default 5)")
    args = parser.parse_args()
    os.environ.setdefault("GRPC_VERBOSITY", "ERROR")
    poll = run(args.scale, args.run_minutes, args.queue_minutes)
    tail = run(args.scale, args.run_minutes, args.queue_minutes, live_tail=True)
    cut = run(args.scale, args.run_minutes, args.queue_minutes, live_tail=True, cut_minutes=args.cut_minutes)
    print(f"Simulated job: {args.queue_minutes:g} min queued/pending + {args.run_minutes:g} min running, one line "
          f"every 2 s written 2 s before Cloud Logging has it (x{args.scale:g} time compression, "
          f"{poll['wall_s'] + tail['wall_s'] + cut['wall_s']:.1f} s of wall time for three runs)")
    for name, r in (("polling", poll), ("live tail", tail), ("live tail, cut", cut)):
        print(f"  {name}: ended {'SUCCEEDED' if r['state'] else 'NOT SUCCEEDED'}; log lines kept "
              f"{r['lines']}/{r['expected_lines']}")
    print()
    _compare(args, poll, tail, cut)
    print()
    _usage(args, poll)
    return 0


def _compare(args: argparse.Namespace, poll: dict[str, float], tail: dict[str, float], cut: dict[str, float]) -> None:
    """Write-to-screen delay and reads: polling (the baseline) beside the live tail, healthy and cut."""
    cut_head = f"tail, cut /{args.cut_minutes:g}m"
    print(f"{'':36}{'polling':>12}{'live tail':>12}{cut_head:>16}{'goal':>10}")

    def row(label: str, key: str, fmt: str, goal: str = "") -> None:
        p, t, c = (format(r[key], fmt) for r in (poll, tail, cut))
        print(f"{label:36}{p:>12}{t:>12}{c:>16}{goal:>10}")

    row("Log line shown after, average (s)", "line_delay_avg_s", ".1f", "< 4")
    row("Log line shown after, worst (s)", "line_delay_max_s", ".1f", "< 10")
    row("entries.list polls while running", "running_polls", "d", "0 (tail)")
    row("entries.list backfills and gap fills", "fill_reads", "d")
    row("Cloud Logging reads, whole job", "log_reads", "d")
    row("Live tail sessions opened", "tail_sessions", "d")
    row("  cut by the server", "tail_cut", "d")
    row("  still open after the run", "tail_open_after", "d", "0")
    ok = (tail["line_delay_avg_s"] < 4 and tail["line_delay_max_s"] < 10 and tail["running_polls"] == 0
          and all(r["lines"] == r["expected_lines"] and r["tail_open_after"] == 0 for r in (poll, tail, cut)))
    print("Live tail goals " + ("met" if ok else "NOT met") + " (the cut run shows what a dropped stream costs: its "
          "gap fills, and polls while it waits to reconnect).")


def _usage(args: argparse.Namespace, r: dict[str, float]) -> None:
    """The polling run's calls against the quota targets and gcloud stream-logs."""
    calls = r["vertex_calls"] + r["log_reads"]
    per_hour = calls / r["lifetime_h"]
    gcloud_reads = args.run_minutes + args.queue_minutes  # one read per 60 s for as long as it is left running
    print(f"{'Polling run':34}{'T4 Panel':>14}{'gcloud stream-logs':>22}{'target':>10}")
    print(f"{'Vertex calls (create, state)':34}{r['vertex_calls']:>14}{1:>22}{'':>10}")
    print(f"{'Cloud Logging reads':34}{r['log_reads']:>14}{gcloud_reads:>22.0f}{'':>10}")
    print(f"{'API calls per job-hour':34}{per_hour:>14.0f}{(gcloud_reads + 1) / r['lifetime_h']:>22.0f}"
          f"{'<= ' + str(TARGET_CALLS_PER_HOUR):>10}")
    print(f"{'Most log reads in any minute':34}{r['max_reads_minute']:>14}{1:>22}"
          f"{'<= ' + str(TARGET_LOG_READS_PER_MINUTE):>10}")
    print(f"{'Delay from job end to app knowing':34}{r['end_delay_s']:>13.1f}s{'never':>22}"
          f"{'<= ' + format(r['state_gap_s'], '.0f') + 's':>10}")
    print(f"{'Log line shown after (avg / max)':34}{r['line_delay_avg_s']:>7.0f}s /{r['line_delay_max_s']:>4.0f}s"
          f"{'~30 s / 60 s':>22}{'':>10}")
    print(f"{'State read interval at the end':34}{r['state_gap_s']:>13.1f}s{'(reads state once)':>22}"
          f"{'':>10}")
    print()
    print(f"The policy reads the state every {r['end_poll_s']:.0f} s in a long run; the observed interval also "
          "holds the time each round of calls takes,\nwhich time compression magnifies. The end must be known "
          "within one observed state-read interval.")
    ok = (per_hour <= TARGET_CALLS_PER_HOUR and r["max_reads_minute"] <= TARGET_LOG_READS_PER_MINUTE
          and r["end_delay_s"] <= r["state_gap_s"] + 1e-6 and r["lines"] == r["expected_lines"])
    print("Targets " + ("met." if ok else "NOT met."), "(Vertex calls include the create and its lookup.)")


if __name__ == "__main__":
    sys.exit(main())
