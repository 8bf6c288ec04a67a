"""Screenshots of every page in English and Korean, for the README: docs/screenshots/<page>-<lang>.png.

    python scripts/screenshots.py            # offscreen
    # as committed: the real xcb platform and a real Secret Service, so Settings shows where keys are kept
    xvfb-run -a -s "-screen 0 1280x1024x24" bash tests/keyring_session.sh \
        env QT_QPA_PLATFORM=xcb python scripts/screenshots.py

Each language runs in its own process with a fresh temporary T4PANEL_HOME: a Vertex AI config for a
Seoul team, a month of seeded history (core.store.runs.RunStore) and one saved log, so every page has
something to show. Nothing is contacted: the runs are all finished, and no secret is set.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, NoReturn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CONFIG = """\
[job]
backend = "vertex"
project_id = "my-team-predict"
region = "asia-northeast3"
display_name = "t4-predict"
machine_type = "n1-standard-4"
accelerator_count = 1
image_uri = "asia-northeast3-docker.pkg.dev/my-team-predict/jobs/predict:latest"
command = ["python", "-u", "predict.py"]
spot = false
max_runtime_minutes = 120

[schedule]
enabled = true
time = "01:00"
timezone = "Asia/Seoul"

[budget]
monthly_usd = 30.0

[supabase]
results_table = "predictions"
"""

LOG = [
    ("O", "predict: starting prediction job on 1 x NVIDIA T4"),
    ("O", "predict: Supabase credentials received"),
    ("O", "predict: loaded model v3 (412 MB) in 18.2 s"),
    *[("O", f"predict: batch {i}/10 done ({i * 10}%)") for i in range(1, 11)],
    ("E", "predict: warning: 3 rows skipped (missing features)"),
    ("O", "predict: wrote 1,204 predictions to predictions"),
    ("O", "predict: finished"),
]


# Days ago -> what the month's history says that day (every other day succeeded on schedule).
MONTH = {2: "failed", 4: "missed", 7: "moved", 9: "retried", 12: "failed", 15: "skipped", 18: "blocked",
         20: "cancelled", 24: "paused", 25: "paused"}
ERRORS = {"failed": "The job exited with code 1 (out of GPU memory).", "retried": "The job exited with code 1.",
          "cancelled": "Cancelled by the operator."}


def seed(home: Path, month: bool = True) -> str:
    """Config, 30 days of history (runs and occurrence outcomes) and saved logs; returns the run whose log
    to show. Without `month`, only the config: the first day's Dashboard."""
    from core.store.occurrences import OccurrenceStore, Outcome
    from core.store.runs import Run, RunState, RunStore, utcnow

    (home / "config.toml").write_text(CONFIG, encoding="utf-8")
    if not month:
        return ""
    store = RunStore(home / "history.sqlite3")
    occurrences = OccurrenceStore(home / "history.sqlite3")
    now = utcnow().replace(second=0, microsecond=0)
    shown = ""

    def add(run_id: str, fire: datetime, state: RunState, trigger: str, error: str | None, minutes: int) -> None:
        run_dir = home / "runs" / run_id
        run_dir.mkdir(parents=True)
        log = run_dir / "job.log"
        start = fire + timedelta(minutes=2)
        log.write_text("".join(f"{(start + timedelta(seconds=10 * i)).isoformat()}\t{s}\t{t}\n"
                               for i, (s, t) in enumerate(LOG)), encoding="utf-8")
        store.insert(Run(
            id=run_id, backend="vertex", state=state, created=fire, occurrence=fire if trigger == "schedule" else None,
            trigger=trigger, job_name=f"projects/123/locations/asia-northeast3/customJobs/{run_id[1:9]}",
            display_name="t4-predict", started=start, ended=start + timedelta(minutes=minutes),
            exit_code=None if error else 0, error=error, cost_usd=round(0.621 * minutes / 60, 2), log_path=str(log),
            # the T4 mostly idle (as the run's page reads it from Monitoring): the Cost page's advice
            detail={} if error else {"rows_written": 1204, "gpu_busy_percent": 9, "cpu_busy_percent": 31,
                                     "gpu_memory_percent": 22},
        ))

    for day in range(30, 0, -1):
        fire = (now - timedelta(days=day)).replace(hour=16, minute=0)  # 01:00 in Seoul
        what = MONTH.get(day, "ok")
        label = f"{fire:%Y%m%dT%H%MZ}".lower()
        if what == "paused":
            continue
        if what in ("missed", "skipped", "blocked"):
            occurrences.record(label, fire, Outcome(what), reason="seeded for the screenshots")
            continue
        minutes = 34 + (day * 7) % 19
        state = {"failed": RunState.FAILED, "retried": RunState.FAILED, "cancelled": RunState.CANCELLED}.get(
            what, RunState.SUCCEEDED)
        run_id = f"r{fire:%Y%m%d}a1b2c3d4e5f6"
        add(run_id, fire, state, "schedule", ERRORS.get(what), minutes if state == RunState.SUCCEEDED else 6)
        occurrences.record(label, fire, Outcome.LAUNCHED, run_id=run_id)
        if what == "moved":  # no T4 in Seoul at 01:00: the second attempt ran in the fallback region
            run = store.get(run_id)
            at = fire + timedelta(minutes=1)
            store.update(run, job_name="projects/123/locations/us-central1/customJobs/4242", detail={
                **run.detail, "spec": {"backend": "vertex", "region": "us-central1", "spot": False,
                                       "machine_type": "n1-standard-4", "accelerator_count": 1, "replicas": 1},
                "attempt_at": at.isoformat(),
                "attempts": [{"region": "asia-northeast3", "spot": False, "reason": "capacity", "cost_usd": None,
                              "job": "", "at": fire.isoformat(), "started": None, "ended": fire.isoformat(),
                              "error": "Vertex AI has no T4 GPU free in asia-northeast3 just now."}]})
        if what == "retried":  # the operator pressed Run Now that morning, and it worked
            add(f"r{fire:%Y%m%d}f00dcafe0001", fire + timedelta(hours=9), RunState.SUCCEEDED, "manual", None, minutes)
        shown = run_id
    occurrences.close()
    store.close()
    return shown


def pump(ms: int) -> None:
    """Let the Qt event loop run for `ms` milliseconds (workers' answers arrive, pages paint)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    end = QTimer()
    end.setSingleShot(True)
    end.start(ms)
    while end.isActive():
        app.processEvents()


def pump_until(test: Any, what: str | Callable[[], str], ms: int = 30_000) -> None:
    """Run the event loop until `test()` holds; a shot that never gets there stops the script, saying why
    (`what`, or what it returns then: the state that was seen)."""
    for _ in range(ms // 50):
        if test():
            return
        pump(50)
    raise SystemExit(f"timed out waiting for {what() if callable(what) else what}")


def leave(panel: Any) -> NoReturn:
    """End a one-language screenshot process: the app's workers stop, the fakes' threads need no orderly stop."""
    panel.window.quitting = True
    panel.core.shutdown()
    if panel.tray is not None:
        panel.tray.icon.hide()
    os._exit(0)


def shoot(lang: str, out: Path, idle: bool = False) -> int:
    """One language in this process: build the window, visit every page, save PNGs. With `idle`, only the
    Dashboard of a first day (no history yet): dashboard-idle-<lang>.png."""
    from PySide6.QtWidgets import QApplication

    home = Path(tempfile.mkdtemp(prefix="t4shots-"))
    os.environ["T4PANEL_HOME"] = str(home)
    shown = seed(home, month=not idle)
    app = QApplication.instance() or QApplication(sys.argv)
    from gui.i18n import install_translators

    install_translators(app, lang)
    from gui.app import PanelApp, app_icon

    app.setWindowIcon(app_icon())
    panel = PanelApp()
    panel.window.resize(1100, 760)
    done: list[str] = []

    ready: list[bool] = []
    panel.core.ready.connect(lambda: ready.append(True))
    panel.start()
    for _ in range(200):
        if ready:
            break
        pump(50)
    pump(800)  # history, costs and the next-run label arrive from workers
    from core.store.runs import RunStore

    store = RunStore(home / "history.sqlite3")
    run = store.get(shown)
    store.close()
    out.mkdir(parents=True, exist_ok=True)
    if idle:
        panel.window.show_page("dashboard")
        pump(600)
        panel.window.grab().save(str(out / f"dashboard-idle-{lang}.png"))
        print(lang, f"dashboard-idle-{lang}.png")
        panel.window.quitting = True
        panel.core.shutdown()
        panel.tray.icon.hide()
        return 0
    for key in list(panel.window.pages):
        if key == "logs" and run is not None:
            panel._open_saved_log(run)
        panel.window.show_page(key)
        pump(600)
        path = out / f"{key}-{lang}.png"
        panel.window.grab().save(str(path))
        done.append(path.name)
    panel.window.show_page("cost")
    pump(300)
    panel.cost_panel.advice.grab().save(str(out / f"cost-advice-{lang}.png"))  # the advice alone, full width
    done.append(f"cost-advice-{lang}.png")
    panel.window.show_page("dashboard")
    pump(300)
    panel.window.grab().save(str(out / f"dashboard-month-{lang}.png"))
    done.append(f"dashboard-month-{lang}.png")
    show_running(panel)
    pump(600)
    panel.window.grab().save(str(out / f"dashboard-running-{lang}.png"))
    done.append(f"dashboard-running-{lang}.png")
    done.append(shoot_check(panel, lang, out))
    done.append(shoot_fallbacks(panel, lang, out))
    from gui.first_run import PAGE_JOB, PAGE_WHERE, FirstRunWizard

    wizard = FirstRunWizard(panel.core)
    wizard.resize(720, 520)
    wizard.show()
    for page_id, name in ((PAGE_WHERE, "first-run"), (PAGE_JOB, "first-run-job")):
        while wizard.currentId() != page_id:
            wizard.next()
        pump(400)
        path = out / f"{name}-{lang}.png"
        wizard.grab().save(str(path))
        done.append(path.name)
    wizard.close()
    print(lang, ", ".join(done))
    panel.window.quitting = True
    panel.core.shutdown()
    panel.tray.icon.hide()
    return 0


def show_running(panel: Any) -> None:
    """Today's run, 23 minutes in, on the Dashboard only (nothing is launched: no cloud is contacted)."""
    from core.store.runs import Run, RunState, utcnow
    from gui.month_days import DayState

    now = utcnow()
    start = now - timedelta(minutes=23, seconds=12)
    run = Run(id=f"r{now:%Y%m%d}0c0ffee0042", backend="vertex", state=RunState.RUNNING, created=start - timedelta(
        minutes=3), occurrence=start - timedelta(minutes=3), trigger="schedule", display_name="t4-predict",
        job_name="projects/123/locations/asia-northeast3/customJobs/777", started=start, cost_usd=0.24)
    dash = panel.dashboard
    dash.set_run(run)
    dash.set_timeline([(RunState.QUEUED, run.created), (RunState.PENDING, run.created + timedelta(seconds=20)),
                       (RunState.RUNNING, start)])
    dash.set_console_url("https://console.cloud.google.com/vertex-ai/training/custom-jobs")
    days = dash.day_strip.days
    if days:
        days[-1].runs.append(run)
        days[-1].state = DayState.RUNNING
        dash.set_days(days)
def shoot_check(panel: object, lang: str, out: Path) -> str:
    """The Job page after Check my setup, with one failure and one warning. Nothing is contacted: the
    Google answers come from canned values in place of core.google.setup_apis' calls; the sentences,
    statuses and fixes are the real check's."""
    from datetime import UTC, datetime

    from core.app import setup_check, setup_check_google
    from core.app.check_items import CheckReport
    from core.google import setup_apis
    from core.store import config as config_mod

    canned = {"disabled_services": lambda *a: [], "regional_quota": lambda *a: 0, "image_exists": lambda *a: True,
              "repository_policy_roles": lambda *a: {"roles/artifactregistry.reader"},
              "missing_project_permissions": lambda *a: []}
    for name, fn in canned.items():
        setattr(setup_apis, name, fn)
    job = config_mod.load().config.job
    job.service_account = "runner@my-team-predict.iam.gserviceaccount.com"
    items = [setup_check_google.check_apis(job, None), setup_check_google.check_quota(job, None),
             setup_check_google.check_image(job, None), setup_check_google.check_pull(job, None),
             setup_check_google.check_permissions(job, None)]
    cfg = config_mod.load().config
    items += [setup_check.check_schedule(cfg), setup_check.check_autostart()]
    page = panel.job_page  # type: ignore[attr-defined]
    panel.window.show_page("job")  # type: ignore[attr-defined]
    page.check_panel._done(CheckReport(datetime.now(UTC), items))
    pump(600)
    path = out / f"job-check-{lang}.png"
    panel.window.grab().save(str(path))  # type: ignore[attr-defined]
    return path.name


def shoot_fallbacks(panel: Any, lang: str, out: Path) -> str:
    """The Job page's fallbacks as an operator fills them in: Spot, two fallback regions (one far from the Seoul
    image, so the warning shows) and "run on demand" with its cost difference. Nothing is saved."""
    from PySide6.QtWidgets import QScrollArea

    page = panel.job_page
    panel.window.show_page("job")
    page.check_panel.hide()  # the check's answer has its own screenshot
    page.spot.setChecked(True)
    page.fallbacks.set_values(["asia-northeast1", "us-central1"], True, page.region.currentData())
    page.revalidate()
    scroll = page.findChild(QScrollArea)
    pump(200)
    scroll.ensureWidgetVisible(page.fallbacks, 0, 160)
    pump(600)
    path = out / f"job-fallbacks-{lang}.png"
    panel.window.grab().save(str(path))
    page.load()
    page.check_panel.show()
    return path.name


def main_per_language(script: str, doc: str | None, shoot_one: Callable[[str, Path], object]) -> int:
    """A screenshot script's main: with --lang, shoot that language here; without, each language in a process
    of its own (the app is built once per process)."""
    parser = argparse.ArgumentParser(description=doc)
    parser.add_argument("--lang", choices=("en", "ko"))
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args()
    if args.lang:
        shoot_one(args.lang, Path(args.out))  # a shot leaves the process itself (leave)
        return 0
    for lang in ("en", "ko"):
        subprocess.run([sys.executable, script, "--lang", lang, "--out", args.out], check=True)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--lang", choices=["en", "ko"], help="one language in this process (used internally)")
    parser.add_argument("--idle", action="store_true", help="only the first day's Dashboard (used internally)")
    args = parser.parse_args()
    if args.lang:
        return shoot(args.lang, args.out, args.idle)
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.setdefault("NO_GCE_CHECK", "true")
    env["TZ"] = "Asia/Seoul"  # the operators' clock, so times on the pages read like theirs
    for lang in ("en", "ko"):
        for idle in ([], ["--idle"]):
            subprocess.run([sys.executable, __file__, "--lang", lang, "--out", str(args.out), *idle], env=env,
                           check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
