"""Screenshots of a Vertex run's page with its GPU chart (Cloud Monitoring), in English and Korean:
docs/screenshots/run-usage-<lang>.png.

    xvfb-run -a -s "-screen 0 1280x1024x24" sh -c 'openbox & exec bash tests/keyring_session.sh \\
        env QT_QPA_PLATFORM=xcb python3 scripts/screenshots_usage.py'

The window is the real app; the run's figures come through Google's real MetricServiceClient from the strict
fake Cloud Monitoring of tests/integration (signed in through the fake OAuth server): nothing leaves this
computer. Each language runs in its own process.
"""

from __future__ import annotations

import math
import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NoReturn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.screenshots import CONFIG, leave, main_per_language, pump, pump_until  # noqa: E402  (after the path is set)
from scripts.screenshots_cloud import _Env, _sign_in  # noqa: E402

JOB = "4567890123"


def _series(minutes: int) -> dict[str, list[float]]:
    """A believable hour: the model loads (CPU busy, GPU idle), then predicts in batches (GPU busy)."""
    gpu, cpu, memory = [], [], []
    for m in range(minutes):
        loading = m < 9
        wave = 0.08 * math.sin(m / 2.0)
        gpu.append(0.02 if loading else min(1.0, 0.78 + wave))
        cpu.append(0.85 if loading else 0.28 + wave / 2)
        memory.append(0.05 + 0.04 * m if loading else 0.62)
    return {"ml.googleapis.com/training/accelerator/utilization": gpu,
            "ml.googleapis.com/training/cpu/utilization": cpu,
            "ml.googleapis.com/training/accelerator/memory/utilization": memory}


def shoot(lang: str, out: Path) -> NoReturn:
    from PySide6.QtWidgets import QApplication

    home = Path(tempfile.mkdtemp(prefix="t4usageshots-"))
    os.environ["T4PANEL_HOME"] = str(home)
    (home / "config.toml").write_text(CONFIG, encoding="utf-8")
    from tests.integration.fakes.vertex_server import FakeCloud

    _sign_in()
    cloud = FakeCloud(_Env()).__enter__()  # Vertex, Logging, Billing and Monitoring fakes, their env set
    ended = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(hours=2)
    started = ended - timedelta(minutes=58)
    for metric, values in _series(58).items():
        cloud.monitoring.seed(JOB, metric, started, values)

    from core import paths
    from core.store.runs import Run, RunState, RunStore, iso

    run_id = "r20261130a1b2c3d4e5f6"
    log_dir = paths.runs_dir() / run_id
    log_dir.mkdir(parents=True, exist_ok=True)
    lines = ["starting prediction job on 1 x NVIDIA T4", "loaded model v3 (412 MB) in 8.6 min"]
    lines += [f"batch {i}/10 done ({10 * i}%)" for i in range(1, 11)] + ["wrote 1,204 predictions", "finished"]
    stamp = lambda i: iso(started + timedelta(minutes=5 * i))  # noqa: E731
    (log_dir / "job.log").write_text("".join(f"{stamp(i)}\tO\tpredict: {text}\n" for i, text in enumerate(lines)),
                                     encoding="utf-8")
    store = RunStore(paths.history_path())
    run = Run(id=run_id, backend="vertex", state=RunState.SUCCEEDED, created=started, started=started, ended=ended,
              job_name=f"projects/my-team-predict/locations/asia-northeast3/customJobs/{JOB}",
              display_name="t4-predict", log_path=str(log_dir / "job.log"), trigger="schedule")
    store.insert(run)
    store.close()

    app = QApplication.instance() or QApplication(sys.argv)
    from gui.i18n import install_translators

    install_translators(app, lang)
    from gui.app import PanelApp, app_icon

    app.setWindowIcon(app_icon())
    panel = PanelApp(run_scheduler=False)
    panel.window.resize(1100, 820)

    ready: list[bool] = []
    panel.core.ready.connect(lambda: ready.append(True))
    panel.start()
    pump_until(lambda: bool(ready), f"{lang}: the core")
    panel.window.show_page("logs")
    page = panel.logs_page
    page.open_run(panel.core.controller.store.get(run_id))
    pump_until(lambda: page.usage.view is not None and page.usage.series["gpu"].count() > 0, f"{lang}: the chart")
    pump(800)
    out.mkdir(parents=True, exist_ok=True)
    name = f"run-usage-{lang}.png"
    panel.window.grab().save(str(out / name))
    print(lang, name, "|", page.usage.summary.text())
    leave(panel)


if __name__ == "__main__":
    raise SystemExit(main_per_language(__file__, __doc__, shoot))
