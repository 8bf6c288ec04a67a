"""Cloud runs on the desktop: jobs that `t4panel fire` launched in the cloud become runs of this history.

With the cloud schedule on, the computer is its monitor: a job labelled t4panel-trigger=cloud whose run is not
in History is written there as a run with trigger "cloud" (its id is the job's t4panel-run label, so it is
adopted once and the orphan check knows it), then the controller watches it like any other run: state, log,
cost and the tray note at its end. The webhook is not posted here: the cloud execution posts it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from core import paths
from core.store.config import AppConfig
from core.store.runs import Run, RunState, RunStore, utcnow

log = logging.getLogger(__name__)

CLOUD_TRIGGER = "cloud"
RECENT = timedelta(days=7)  # older cloud jobs are not brought into a history that never saw them


def wanted(cfg: AppConfig) -> bool:
    """Whether this computer follows the cloud schedule's runs (the cloud schedule is on, on Vertex AI)."""
    return cfg.cloud.enabled is True and cfg.job.backend == "vertex" and bool(cfg.job.project_id)


def adopt(store: RunStore, backend: Any, cfg: AppConfig, profile: str,
          spec_of: Callable[[AppConfig], dict[str, Any]]) -> list[Run]:
    """Write the cloud schedule's jobs that History does not know as runs (QUEUED, with their job); the caller
    watches them. At most one run per occurrence: the newest job (the latest attempt) of each.

    Raises:
        T4Error: the project's jobs could not be listed (the caller tries again later).
    """
    lister = getattr(backend, "list_cloud_jobs", None)
    if lister is None or not wanted(cfg):
        return []
    since = utcnow() - RECENT
    adopted: list[Run] = []
    seen_occurrences: set[str] = set()
    for job in lister(cfg.job):  # newest first
        if job.create_time is not None and job.create_time < since:
            continue
        if job.occurrence_label:
            if job.occurrence_label in seen_occurrences:
                continue  # an earlier attempt of an occurrence whose newest job is followed
            seen_occurrences.add(job.occurrence_label)
        occurrence = _occurrence(job.occurrence_label)
        with store.transaction() as tx:
            if tx.get(job.run_label) is not None or _follows(tx, job, occurrence, profile):
                continue
            spec = {**spec_of(cfg), **_where(job.name)}
            run = Run(id=job.run_label, backend="vertex", state=RunState.QUEUED, created=job.create_time or utcnow(),
                      profile=profile, occurrence=occurrence, trigger=CLOUD_TRIGGER, job_name=job.name,
                      display_name=job.display_name, log_path=str(paths.runs_dir() / job.run_label / "job.log"),
                      detail={"spec": spec, "cloud": True})
            tx.insert(run)
        log.info("following cloud run %s (job %s)", run.id, job.name)
        adopted.append(run)
    return adopted


def _follows(store: RunStore, job: Any, occurrence: datetime | None, profile: str) -> bool:
    """History already has this occurrence (this computer launched or adopted it) or this job."""
    if occurrence is not None and store.by_occurrence(occurrence, profile) is not None:
        return True
    return any(r.job_name == job.name for r in store.active(profile))


def _occurrence(label: str) -> datetime | None:
    """The fire time back from a t4panel-occurrence label (yyyymmddThhmmz), or None."""
    try:
        return datetime.strptime(label.upper(), "%Y%m%dT%H%MZ").replace(tzinfo=UTC) if label else None
    except ValueError:
        return None


def _where(job_name: str) -> dict[str, str]:
    """The region the job ran in (from its resource name, which names the project by number), for its cost."""
    parts = job_name.split("/")
    return {"region": parts[3]} if len(parts) >= 4 and parts[2] == "locations" else {}
