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
from datetime import timedelta
from pathlib import Path

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
max_runtime_minutes = 60

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


def seed(home: Path) -> str:
    """Config, 30 days of history and one saved log; returns the id of the run whose log to show."""
    from core.store.runs import Run, RunState, RunStore, utcnow

    (home / "config.toml").write_text(CONFIG, encoding="utf-8")
    store = RunStore(home / "history.sqlite3")
    now = utcnow().replace(second=0, microsecond=0)
    shown = ""
    for day in range(30, 0, -1):
        fire = (now - timedelta(days=day)).replace(hour=16, minute=0)  # 01:00 in Seoul
        minutes = 34 + (day * 7) % 19
        state = RunState.SUCCEEDED
        error = None
        if day == 12:
            state, error = RunState.FAILED, "The job exited with code 1 (out of GPU memory)."
        elif day == 20:
            state, error = RunState.CANCELLED, "Cancelled by the operator."
        run_id = f"r{fire:%Y%m%d}a1b2c3d4e5f6"
        run_dir = home / "runs" / run_id
        run_dir.mkdir(parents=True)
        log = run_dir / "job.log"
        start = fire + timedelta(minutes=2)
        log.write_text("".join(f"{(start + timedelta(seconds=10 * i)).isoformat()}\t{s}\t{t}\n"
                               for i, (s, t) in enumerate(LOG)), encoding="utf-8")
        store.insert(Run(
            id=run_id, backend="vertex", state=state, created=fire, occurrence=fire, trigger="schedule",
            job_name=f"projects/123/locations/asia-northeast3/customJobs/{9000 + day}", display_name="t4-predict",
            started=start, ended=start + timedelta(minutes=minutes), exit_code=None if error else 0, error=error,
            cost_usd=round(0.621 * minutes / 60, 2), log_path=str(log), detail={"rows_written": 1204},
        ))
        shown = run_id
    store.close()
    return shown


def shoot(lang: str, out: Path) -> int:
    """One language in this process: build the window, visit every page, save PNGs."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    home = Path(tempfile.mkdtemp(prefix="t4shots-"))
    os.environ["T4PANEL_HOME"] = str(home)
    shown = seed(home)
    app = QApplication.instance() or QApplication(sys.argv)
    from gui.i18n import install_translators

    install_translators(app, lang)
    from gui.app import PanelApp, app_icon

    app.setWindowIcon(app_icon())
    panel = PanelApp()
    panel.window.resize(1100, 760)
    done: list[str] = []

    def wait(ms: int) -> None:
        end = QTimer()
        end.setSingleShot(True)
        end.start(ms)
        while end.isActive():
            app.processEvents()

    ready: list[bool] = []
    panel.core.ready.connect(lambda: ready.append(True))
    panel.start()
    for _ in range(200):
        if ready:
            break
        wait(50)
    wait(800)  # history, costs and the next-run label arrive from workers
    from core.store.runs import RunStore

    store = RunStore(home / "history.sqlite3")
    run = store.get(shown)
    store.close()
    out.mkdir(parents=True, exist_ok=True)
    for key in list(panel.window.pages):
        if key == "logs" and run is not None:
            panel._open_saved_log(run)
        panel.window.show_page(key)
        wait(600)
        path = out / f"{key}-{lang}.png"
        panel.window.grab().save(str(path))
        done.append(path.name)
    done.append(shoot_check(panel, lang, out, wait))
    from gui.first_run import PAGE_JOB, PAGE_WHERE, FirstRunWizard

    wizard = FirstRunWizard(panel.core)
    wizard.resize(720, 520)
    wizard.show()
    for page_id, name in ((PAGE_WHERE, "first-run"), (PAGE_JOB, "first-run-job")):
        while wizard.currentId() != page_id:
            wizard.next()
        wait(400)
        path = out / f"{name}-{lang}.png"
        wizard.grab().save(str(path))
        done.append(path.name)
    wizard.close()
    print(lang, ", ".join(done))
    panel.window.quitting = True
    panel.core.shutdown()
    panel.tray.icon.hide()
    return 0


def shoot_check(panel: object, lang: str, out: Path, wait: object) -> str:
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
    wait(600)  # type: ignore[operator]
    path = out / f"job-check-{lang}.png"
    panel.window.grab().save(str(path))  # type: ignore[attr-defined]
    return path.name


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--lang", choices=["en", "ko"], help="one language in this process (used internally)")
    args = parser.parse_args()
    if args.lang:
        return shoot(args.lang, args.out)
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.setdefault("NO_GCE_CHECK", "true")
    env["TZ"] = "Asia/Seoul"  # the operators' clock, so times on the pages read like theirs
    for lang in ("en", "ko"):
        subprocess.run([sys.executable, __file__, "--lang", lang, "--out", str(args.out)], env=env, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
