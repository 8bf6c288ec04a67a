"""Log silence counts as a stall for a job that logs, when Monitoring cannot say whether the run works.

Monitoring is the fake server read by the real MetricServiceClient; the job's earlier runs and the running
run have real job.log files under T4PANEL_HOME, as the controller writes them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core import paths
from core.app.stall import StallWatch
from core.google.monitoring import Metric
from core.store.config import AppConfig
from core.store.runs import Run, RunState, RunStore, iso, new_run_id
from tests.support import monitoring as monitoring_support
from tests.support.monitoring import Controller, fake_monitoring

NOW = datetime.now(UTC).replace(microsecond=0)
START = NOW - timedelta(minutes=35)
JOB = "4444444444"
webhook = monitoring_support.webhook


def write_log(run_id: str, times: list[datetime]) -> str:
    path = paths.runs_dir() / run_id / "job.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{iso(t)}\tO\tbatch {i} done\n" for i, t in enumerate(times)), encoding="utf-8")
    return str(path)


def add_history(store: RunStore, every_minutes: float | None, runs: int = 5) -> None:
    """Earlier successful hour-long runs that logged every `every_minutes` (None: only a line at the end)."""
    for day in range(1, runs + 1):
        started = NOW - timedelta(days=day)
        ended = started + timedelta(minutes=60)
        run_id = new_run_id()
        if every_minutes is None:
            times = [ended - timedelta(seconds=5)]
        else:
            times = [started + timedelta(minutes=every_minutes * (i + 1)) for i in range(int(60 // every_minutes))]
        store.insert(Run(id=run_id, backend="vertex", state=RunState.SUCCEEDED, created=started, started=started,
                         ended=ended, log_path=write_log(run_id, times)))


def add_running(store: RunStore, last_line_minutes_ago: float) -> Run:
    """The run now RUNNING since START, with a line a minute until `last_line_minutes_ago`."""
    run_id = new_run_id()
    times, t = [], START + timedelta(minutes=1)
    while t <= NOW - timedelta(minutes=last_line_minutes_ago):
        times.append(t)
        t += timedelta(minutes=1)
    run = Run(id=run_id, backend="vertex", state=RunState.RUNNING, created=START, started=START,
              job_name=f"projects/my-proj/locations/us-central1/customJobs/{JOB}", log_path=write_log(run_id, times))
    store.insert(run)
    return run


@pytest.fixture
def fake(google_signed_in, monkeypatch):
    with fake_monitoring(monkeypatch) as server:
        server.read_quota = (0, 60.0)  # Monitoring refuses every read: it cannot say how the T4 is doing
        yield server


@pytest.fixture
def store():
    s = RunStore(paths.history_path())
    yield s
    s.close()


def watch_for(store, url, cancel=False, minutes=20):
    cfg = AppConfig()
    cfg.notifications.webhook_url, cfg.notifications.cancel_when_stalled = url, cancel
    cfg.notifications.stall_minutes = minutes
    warned: list[str] = []
    controller = Controller(store)
    watch = StallWatch(controller, lambda: cfg, lambda t, m: warned.append(m.text), clock=lambda: NOW)
    return watch, controller, warned


def test_a_chatty_job_gone_silent_is_warned_about_although_monitoring_cannot_be_read(fake, store, webhook):
    add_history(store, every_minutes=2)
    run = add_running(store, last_line_minutes_ago=25)
    url, posted = webhook
    watch, controller, warned = watch_for(store, url)

    verdicts = watch.check()

    assert [v.run_id for v in verdicts] == [run.id]
    assert timedelta(minutes=24) < verdicts[0].idle <= timedelta(minutes=25)
    assert len(warned) == 1 and "written nothing to its log for 25 minutes" in warned[0]
    assert "never quiet for more than 2 minutes" in warned[0]
    assert len(posted) == 1 and run.id in posted[0].body["text"]
    assert controller.cancelled == []
    assert watch.check() == []  # once per run


def test_the_opt_in_cancels_the_silent_run_when_monitoring_answers_without_figures(fake, store, webhook):
    fake.read_quota = (10**6, 60.0)  # Monitoring answers, but has no figures for this job
    add_history(store, every_minutes=2)
    run = add_running(store, last_line_minutes_ago=25)
    watch, controller, warned = watch_for(store, webhook[0], cancel=True)

    (verdict,) = watch.check()

    assert controller.cancelled == [run.id] and verdict.cancelled
    assert "is cancelling it" in warned[0]


def test_silence_alone_never_cancels_while_monitoring_cannot_be_read(fake, store, webhook):
    # both unreadable: the silence may be our own failing reads (network, the shared Logging quota)
    add_history(store, every_minutes=2)
    run = add_running(store, last_line_minutes_ago=25)
    watch, controller, warned = watch_for(store, webhook[0], cancel=True)

    (verdict,) = watch.check()

    assert verdict.run_id == run.id and not verdict.cancelled and controller.cancelled == []
    assert "is cancelling it" not in warned[0]


def test_a_job_that_never_logs_is_never_flagged_for_silence(fake, store, webhook):
    add_history(store, every_minutes=None)  # one line at the end of each run
    add_running(store, last_line_minutes_ago=35)  # nothing at all yet
    watch, controller, warned = watch_for(store, webhook[0], cancel=True)

    assert watch.check() == [] and warned == [] and controller.cancelled == []


def test_a_chatty_job_that_is_logging_is_not_flagged(fake, store, webhook):
    add_history(store, every_minutes=2)
    add_running(store, last_line_minutes_ago=1)
    watch, controller, warned = watch_for(store, webhook[0], cancel=True)

    assert watch.check() == [] and warned == [] and controller.cancelled == []


def test_silence_shorter_than_the_stretch_or_a_job_with_long_pauses_is_not_flagged(fake, store, webhook):
    add_history(store, every_minutes=12)  # quiet up to 12 minutes on a good day: 24 > the 20-minute stretch
    add_running(store, last_line_minutes_ago=25)
    assert watch_for(store, webhook[0])[0].check() == []
    assert watch_for(store, webhook[0], minutes=30)[0].check() == []  # 25 min silent < 30: not yet


def test_too_few_earlier_runs_say_nothing_about_the_job(fake, store, webhook):
    add_history(store, every_minutes=2, runs=2)
    add_running(store, last_line_minutes_ago=25)
    assert watch_for(store, webhook[0])[0].check() == []


def test_monitoring_seeing_the_run_work_outweighs_a_silent_log(fake, store, webhook):
    fake.read_quota = (1000, 60.0)
    fake.seed(JOB, Metric.GPU.value, START, [0.8] * 35)
    fake.seed(JOB, Metric.CPU.value, START, [0.4] * 35)
    add_history(store, every_minutes=2)
    add_running(store, last_line_minutes_ago=25)
    assert watch_for(store, webhook[0], cancel=True)[0].check() == []
