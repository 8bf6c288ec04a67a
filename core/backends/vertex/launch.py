"""Launching a Vertex AI job exactly once, and finding jobs by their T4 Panel labels.

CreateCustomJob has no idempotency key, so a create whose answer was lost is never simply sent
again: the run's `t4panel-run` label is looked up first, and the job adopted if it exists.
"""

from __future__ import annotations

import logging
import random
import time
from typing import Any, Protocol

from core.backends.base import LaunchRequest
from core.backends.vertex import errors as verr
from core.backends.vertex.policy import PollPolicy
from core.backends.vertex.spec import RUN_LABEL, build_custom_job, label_filter, parent_of
from core.errors import BackendError, T4Error, TransientBackendError, msg
from core.store.config import JobConfig

log = logging.getLogger(__name__)


class JobApi(Protocol):
    """What a launch needs of the Vertex AI backend: its clients, call counter, timeouts and pacing.

    A protocol, not the backend class, so that this module and the backend do not import each other.
    """

    calls: int
    rpc_timeout: float
    max_attempts: int
    policy: PollPolicy

    def _client(self, region: str) -> Any: ...

    def _call(self, region: str, method: str, **kwargs: Any) -> Any: ...


def launch_once(b: JobApi, request: LaunchRequest) -> str:
    """Create the job once: look it up by its run label before the first create and before any retry.

    Raises:
        BackendError: nothing was started; the message says what to fix.
        TransientBackendError: Vertex AI kept failing and it is unknown whether the job exists;
            `find_by_run_id` answers that later.
    """
    job = request.job
    custom_job = build_custom_job(request)
    parent = parent_of(job.project_id, job.region)
    # A job of this run may exist already (a launcher that died after its create was accepted).
    existing, known = lookup(b, job, RUN_LABEL, request.run_id)
    if existing:
        return existing
    last: BaseException | None = None
    for attempt in range(b.max_attempts):
        if attempt:
            sleep_backoff(b, attempt)
            existing, known = lookup(b, job, RUN_LABEL, request.run_id)
            if existing:
                log.info("adopting job %s created by an earlier attempt of run %s", existing, request.run_id)
                return existing
        if not known:
            continue  # never create while the lookup cannot say the job is absent
        try:
            created = b._call(job.region, "create_custom_job", parent=parent, custom_job=custom_job)
            return str(created.name)
        except T4Error:  # already a sentence for the operator (e.g. sign in first)
            raise
        except Exception as exc:
            last = exc
            if verr.classify(exc) is verr.Failure.PERMANENT:
                raise verr.operator_error(exc, project=job.project_id, region=job.region, spot=job.spot,
                                          service_account=job.service_account) from exc
            log.info("create of run %s failed (%s); looking it up before any retry", request.run_id,
                     verr.describe(exc))
    existing, known = lookup(b, job, RUN_LABEL, request.run_id, attempts=b.max_attempts)
    if existing:
        return existing
    if known:
        raise BackendError(msg("vertex.create_failed", "Vertex AI kept failing to start the job (it is busy or "
                               "unreachable), and nothing was started. Try again in a few minutes.")) from last
    raise TransientBackendError(msg("vertex.create_unknown", "Vertex AI did not answer, so T4 Panel cannot tell yet "
                                    "whether the job started. It will look again; do not start another run "
                                    "meanwhile.")) from last


def sleep_backoff(b: JobApi, attempt: int) -> None:
    """Full jitter: a random wait up to 1, 2, 4 ... 30 s (scaled with the polling policy)."""
    cap = b.policy.scaled(min(30.0, 2.0 ** (attempt - 1)))
    time.sleep(random.uniform(cap / 4, cap))


def lookup(b: JobApi, job: JobConfig, key: str, value: str, attempts: int = 3) -> tuple[str | None, bool]:
    """(name of the job labelled key=value, whether the answer is certain)."""
    for attempt in range(attempts):
        if attempt:
            sleep_backoff(b, attempt)
        try:
            jobs = list_jobs(b, job, label_filter(key, value))
        except T4Error:  # already a sentence for the operator (e.g. sign in first)
            raise
        except Exception as exc:
            if verr.classify(exc) is verr.Failure.PERMANENT:
                raise verr.operator_error(exc, project=job.project_id, region=job.region, spot=job.spot,
                                          service_account=job.service_account) from exc
            continue
        if len(jobs) > 1:
            log.warning("%d jobs carry %s=%s; following the oldest", len(jobs), key, value)
        jobs.sort(key=lambda j: (j.create_time.timestamp() if j.create_time else 0, j.name))
        return (str(jobs[0].name) if jobs else None), True
    return None, False


def list_jobs(b: JobApi, job: JobConfig, filter_text: str) -> list[Any]:
    """Every CustomJob of the job's project and region matching a list filter (all pages)."""
    b.calls += 1
    pager = b._client(job.region).list_custom_jobs(
        request={"parent": parent_of(job.project_id, job.region), "filter": filter_text, "page_size": 100},
        timeout=b.rpc_timeout)
    out = list(pager.custom_jobs)
    while pager.next_page_token:  # pages fetched one by one so each call is counted
        b.calls += 1
        pager = b._client(job.region).list_custom_jobs(
            request={"parent": parent_of(job.project_id, job.region), "filter": filter_text,
                     "page_size": 100, "page_token": pager.next_page_token}, timeout=b.rpc_timeout)
        out.extend(pager.custom_jobs)
    return out
