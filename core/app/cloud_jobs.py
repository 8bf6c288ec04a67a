"""The Cloud Run job that runs `t4panel fire` and the Cloud Scheduler job that starts it: make, bring in line
with the settings, delete (only ours: the Run job by its label, the Scheduler job, which has no labels, by its
name)."""

from __future__ import annotations

from typing import Any

from core.app import cloud_spec as spec
from core.app.cloud_steps import OPERATION_TIMEOUT, Context, NotOurs, _api_exc
from core.errors import Message, msg


def run_job(ctx: Context) -> Any | None:
    try:
        return ctx.client("run").get_job(request={"name": spec.run_job_name(ctx.project, ctx.region)})
    except _api_exc().NotFound:
        return None


def ensure_run_job(ctx: Context) -> Message | None:
    found = run_job(ctx)
    if found is not None:
        if found.labels.get(spec.LABEL_KEY) is None:
            raise NotOurs(spec.RUN_JOB_ID)
        return None
    ctx.client("run").create_job(request={
        "parent": spec.location(ctx.project, ctx.region), "job_id": spec.RUN_JOB_ID,
        "job": spec.run_job(ctx.cfg, ctx.project)}).result(timeout=OPERATION_TIMEOUT)
    return None


def update_run_job(ctx: Context) -> bool:
    """Make the Cloud Run job what `cfg` says; True when it had to change."""
    found = run_job(ctx)
    if found is None:
        return False
    wanted = spec.run_job(ctx.cfg, ctx.project)
    if spec.run_job_shape(found) == spec.run_job_shape(wanted):
        return False
    wanted.name = found.name
    wanted.etag = found.etag
    ctx.client("run").update_job(request={"job": wanted}).result(timeout=OPERATION_TIMEOUT)
    return True


def remove_run_job(ctx: Context) -> None:
    found = run_job(ctx)
    if found is None or found.labels.get(spec.LABEL_KEY) is None:
        return
    try:
        ctx.client("run").delete_job(request={"name": found.name}).result(timeout=OPERATION_TIMEOUT)
    except _api_exc().NotFound:
        pass


def scheduler_job(ctx: Context) -> Any | None:
    try:
        return ctx.client("scheduler").get_job(request={"name": spec.scheduler_job_name(ctx.project, ctx.region)})
    except _api_exc().NotFound:
        return None


def ensure_scheduler_job(ctx: Context) -> Message | None:
    if scheduler_job(ctx) is not None:
        return None
    ctx.client("scheduler").create_job(request={"parent": spec.location(ctx.project, ctx.region),
                                                "job": spec.scheduler_job(ctx.cfg, ctx.project, ctx.region)})
    return msg("cloud.detail.scheduled", "Fires at {cron} ({zone}).", cron=spec.cron(ctx.cfg),
               zone=ctx.cfg.schedule.timezone)


def update_scheduler_job(ctx: Context) -> bool:
    found = scheduler_job(ctx)
    if found is None:
        return False
    wanted = spec.scheduler_job(ctx.cfg, ctx.project, ctx.region)
    if spec.scheduler_shape(found) == spec.scheduler_shape(wanted):
        return False
    ctx.client("scheduler").update_job(request={
        "job": wanted, "update_mask": {"paths": ["schedule", "time_zone", "http_target"]}})
    return True


def remove_scheduler_job(ctx: Context) -> None:
    try:
        ctx.client("scheduler").delete_job(request={"name": spec.scheduler_job_name(ctx.project, ctx.region)})
    except _api_exc().NotFound:
        pass
