"""Google's rules for the cloud schedule's resources, beyond the discovery schemas, in one place.

Each rule cites the page it comes from. A rule returns None when the request passes, else
(HTTP code, canonical status, Google's message).
"""

from __future__ import annotations

import re
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

Refusal = tuple[int, str, str] | None

# IAM projects.serviceAccounts.create: "accountId ... must be 6-30 characters long, and match the regular
# expression `[a-z]([-a-z0-9]*[a-z0-9])`" (https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts/create).
SERVICE_ACCOUNT_ID = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])$")
# Secret Manager secrets.create: "A secret ID is a string with a maximum length of 255 characters and can contain
# uppercase and lowercase letters, numerals, and the hyphen (-) and underscore (_) characters"
# (https://cloud.google.com/secret-manager/docs/reference/rest/v1/projects.secrets/create).
SECRET_ID = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
# A secret version's payload: at most 64 KiB (https://cloud.google.com/secret-manager/quotas).
SECRET_PAYLOAD_MAX = 64 * 1024
# Cloud Run resource names: lower-case letters, digits and hyphens, start with a letter, not end with a hyphen,
# at most 63 characters (https://cloud.google.com/run/docs/reference/rest/v2/projects.locations.jobs/create, jobId).
RUN_JOB_ID = re.compile(r"^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$")
# Cloud Run jobs: task timeout up to 168 hours (https://cloud.google.com/run/docs/configuring/task-timeout);
# maxRetries 0-10 (https://cloud.google.com/run/docs/configuring/max-retries).
RUN_MAX_TIMEOUT_S = 168 * 3600
RUN_MAX_RETRIES = 10
# Cloud Scheduler job names: "JOB_ID can contain only letters ([A-Za-z]), numbers ([0-9]), hyphens (-), or
# underscores (_). The maximum length is 500 characters"
# (https://cloud.google.com/scheduler/docs/reference/rest/v1/projects.locations.jobs#Job.FIELDS.name).
SCHEDULER_JOB_NAME = re.compile(r"^projects/[^/]+/locations/[^/]+/jobs/[A-Za-z0-9_-]{1,500}$")
# Cloud Scheduler: retryCount 0-5, attemptDeadline for HTTP targets 15 s to 30 min
# (https://cloud.google.com/scheduler/docs/reference/rest/v1/projects.locations.jobs#RetryConfig).
SCHEDULER_MAX_RETRIES = 5
# Labels (Cloud Run, Secret Manager): keys start with a lower-case letter, keys and values at most 63 characters
# of lower-case letters, digits, _ and - (https://cloud.google.com/resource-manager/docs/labels-overview).
LABEL_KEY = re.compile(r"^[a-z][a-z0-9_-]{0,62}$")
LABEL_VALUE = re.compile(r"^[a-z0-9_-]{0,63}$")
_CRON_FIELD = re.compile(r"^(\*|\d+(-\d+)?)(/\d+)?(,(\*|\d+(-\d+)?)(/\d+)?)*$")
_CRON_RANGES = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))


def invalid(message: str) -> Refusal:
    return 400, "INVALID_ARGUMENT", message


def labels(values: dict[str, str] | None) -> Refusal:
    for key, value in (values or {}).items():
        if not LABEL_KEY.match(key) or not LABEL_VALUE.match(str(value)):
            return invalid(f"Label '{key}: {value}' is not a valid label.")
    return None


def duration_seconds(text: str | None) -> float | None:
    """google.protobuf.Duration's JSON form ("600s", "1.5s")."""
    if not text:
        return None
    m = re.fullmatch(r"(-?\d+(?:\.\d+)?)s", text)
    return float(m.group(1)) if m else None


def unix_cron(schedule: str) -> Refusal:
    """unix-cron, five fields (https://cloud.google.com/scheduler/docs/configuring/cron-job-schedules)."""
    fields = schedule.split()
    if len(fields) != 5:
        return invalid(f"Schedule has {len(fields)} fields; unix-cron has 5.")
    for text, (low, high) in zip(fields, _CRON_RANGES, strict=True):
        if not _CRON_FIELD.match(text):
            return invalid(f"Schedule field '{text}' is not unix-cron.")
        for n in re.findall(r"\d+", text.split("/")[0]):
            if not low <= int(n) <= high:
                return invalid(f"Schedule value {n} is out of range {low}-{high}.")
    return None


def time_zone(name: str) -> Refusal:
    """An IANA time zone name (the Scheduler's timeZone)."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return invalid(f"Invalid time zone: {name}")
    return None


def scheduler_job(job: dict[str, Any]) -> Refusal:
    if not SCHEDULER_JOB_NAME.match(job.get("name", "")):
        return invalid(f"Job name {job.get('name')} is not projects/P/locations/L/jobs/JOB_ID.")
    for check in (unix_cron(job.get("schedule", "")), time_zone(job.get("timeZone", "UTC"))):
        if check:
            return check
    target = job.get("httpTarget")
    if not target or not target.get("uri", "").startswith(("https://", "http://")):
        return invalid("An HTTP target needs a uri.")
    # "oauthToken ... should generally only be used when calling Google APIs hosted on *.googleapis.com";
    # an OIDC token is what a Cloud Run *service* takes, and jobs.run refuses it.
    host = target["uri"].split("/")[2]
    if host.endswith(".googleapis.com") and "oauthToken" not in target:
        return invalid("Calling a *.googleapis.com API needs an oauthToken, not an oidcToken or no token.")
    retry = job.get("retryConfig", {})
    if not 0 <= int(retry.get("retryCount", 0)) <= SCHEDULER_MAX_RETRIES:
        return invalid("retry_count must be between 0 and 5.")
    deadline = duration_seconds(job.get("attemptDeadline"))
    if deadline is not None and not 15 <= deadline <= 1800:
        return invalid("attempt_deadline for HTTP targets must be between 15s and 30m.")
    return None


def run_job(job: dict[str, Any]) -> Refusal:
    if refused := labels(job.get("labels")):
        return refused
    template = job.get("template") or {}
    task = template.get("template") or {}
    containers = task.get("containers") or []
    if len(containers) != 1 or not containers[0].get("image"):
        return invalid("template.template.containers: a job needs one container with an image.")
    timeout = duration_seconds(task.get("timeout"))
    if timeout is not None and not 0 < timeout <= RUN_MAX_TIMEOUT_S:
        return invalid("Task timeout must be at most 168 hours.")
    if not 0 <= int(task.get("maxRetries", 3)) <= RUN_MAX_RETRIES:
        return invalid("max_retries must be between 0 and 10.")
    for env in containers[0].get("env", []):
        if "value" in env and "valueSource" in env:
            return invalid(f"Env var {env.get('name')} has both value and value_source.")
    return None
