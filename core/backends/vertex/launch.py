"""Launching a Vertex AI job exactly once, and finding jobs by their T4 Panel labels.

CreateCustomJob has no idempotency key, so a create whose answer was lost is never simply sent
again: the run's `t4panel-run` label is looked up first, and the job adopted if it exists. A create that
got no answer may still be committed by Google well after the client gave up, so before any new create
the label is looked up until `late_commit_seconds` after the lost one was sent. Whatever still slips
through (two jobs with one run label) is cancelled at once, all but the oldest, with a warning.
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
    late_commit_seconds: float
    policy: PollPolicy
    warnings: dict[str, list[str]]  # run id -> sentences for the operator (duplicates cancelled)

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
        return settle_duplicates(b, job, request.run_id, existing)
    last: BaseException | None = None
    unanswered_at: float | None = None  # when the last create that got no answer was sent
    for attempt in range(b.max_attempts):
        if attempt:
            sleep_backoff(b, attempt)
            if unanswered_at is not None:
                existing, known = await_late_commit(b, job, request.run_id, unanswered_at)
            else:
                existing, known = lookup(b, job, RUN_LABEL, request.run_id)
            if existing:
                log.info("adopting job %s created by an earlier attempt of run %s", existing, request.run_id)
                return settle_duplicates(b, job, request.run_id, existing)
        if not known:
            continue  # never create while the lookup cannot say the job is absent
        sent = time.monotonic()
        try:
            created = b._call(job.region, "create_custom_job", parent=parent, custom_job=custom_job)
            return settle_duplicates(b, job, request.run_id, str(created.name))
        except T4Error:  # already a sentence for the operator (e.g. sign in first)
            raise
        except Exception as exc:
            last = exc
            if verr.classify(exc) is verr.Failure.PERMANENT:
                raise verr.operator_error(exc, project=job.project_id, region=job.region, spot=job.spot,
                                          service_account=job.service_account) from exc
            unanswered_at = sent if may_have_committed(exc) else None
            log.info("create of run %s failed (%s); looking it up before any retry", request.run_id,
                     verr.describe(exc))
            if verr.is_capacity(exc) and unanswered_at is None:
                break  # no T4 free here: asking again within seconds only spends calls; the next attempt moves on
    if unanswered_at is not None:
        existing, known = await_late_commit(b, job, request.run_id, unanswered_at)
    else:
        existing, known = lookup(b, job, RUN_LABEL, request.run_id, attempts=b.max_attempts)
    if existing:
        return settle_duplicates(b, job, request.run_id, existing)
    if known:
        if last is not None and verr.is_capacity(last):
            raise BackendError(msg("vertex.no_capacity", "Vertex AI has no T4 GPU free in {region} just now, and "
                                   "nothing was started. A scheduled run tries again later.", region=job.region),
                               title=msg("vertex.no_capacity.title", "No GPU free"), retryable=True) from last
        raise BackendError(msg("vertex.create_failed", "Vertex AI kept failing to start the job (it is busy or "
                               "unreachable), and nothing was started. Try again in a few minutes."),
                           retryable=True) from last
    unknown = TransientBackendError(msg("vertex.create_unknown", "Vertex AI did not answer, so T4 Panel cannot tell "
                                        "yet whether the job started. It will look again; do not start another run "
                                        "meanwhile."))
    unknown.may_exist = unanswered_at is not None or last is not None  # False: no create was ever sent
    raise unknown from last


def may_have_committed(exc: BaseException) -> bool:
    """True when the create may exist although it failed: no answer at all, or a 5xx other than 503.

    503 UNAVAILABLE and 429 mean the request was turned away before any work; a timeout, a dropped
    connection, INTERNAL or DEADLINE_EXCEEDED leave it open whether Google committed the job.
    """
    from google.api_core import exceptions as gexc

    if isinstance(exc, (gexc.ServiceUnavailable, gexc.TooManyRequests)):
        return False
    if isinstance(exc, gexc.GoogleAPICallError):
        code = getattr(exc, "code", None)
        return isinstance(code, int) and code >= 500
    return True  # network trouble: the request may have reached Google


def await_late_commit(b: JobApi, job: JobConfig, run_id: str, sent: float) -> tuple[str | None, bool]:
    """Look the run's label up until `late_commit_seconds` after an unanswered create was sent.

    Returns (the job, True) as soon as it shows up; (None, True) only when a look-up that started after
    the window said it is absent; (None, False) when no such look-up answered.
    """
    deadline = sent + b.late_commit_seconds
    attempt = 0
    while True:
        began = time.monotonic()
        try:
            jobs = list_jobs(b, job, label_filter(RUN_LABEL, run_id))
        except T4Error:
            raise
        except Exception as exc:
            if verr.classify(exc) is verr.Failure.PERMANENT:
                raise verr.operator_error(exc, project=job.project_id, region=job.region, spot=job.spot,
                                          service_account=job.service_account) from exc
            jobs = None
        if jobs:
            return _oldest(jobs), True
        if jobs is not None and began >= deadline:
            return None, True
        if time.monotonic() > deadline + b.late_commit_seconds:  # Vertex AI stopped answering
            return None, False
        attempt += 1
        wait = b.policy.scaled(min(30.0, 2.0 ** min(attempt, 5)))
        time.sleep(max(0.0, min(wait, deadline - time.monotonic())) or wait / 4)


def settle_duplicates(b: JobApi, job: JobConfig, run_id: str, name: str) -> str:
    """After a create: list the run's label and cancel every job but the oldest at once (with a warning).

    Returns the job history follows (the oldest). A failed look-up keeps `name`: the orphan check and
    the next look-up still see any duplicate.
    """
    try:
        jobs = list_jobs(b, job, label_filter(RUN_LABEL, run_id))
    except T4Error:
        return name
    except Exception as exc:  # noqa: BLE001 - a failed check must not undo a created job
        log.info("could not check run %s for duplicate jobs (%s)", run_id, verr.describe(exc))
        return name
    if len(jobs) <= 1:
        return str(jobs[0].name) if jobs else name
    keep = _oldest(jobs)
    extra = [str(j.name) for j in jobs if str(j.name) != keep]
    for other in extra:
        try:
            b._call(parse_region(other), "cancel_custom_job", name=other)
        except Exception as exc:  # noqa: BLE001 - the warning below still names it; the orphan check follows
            log.warning("could not cancel duplicate job %s: %s", other, verr.describe(exc))
    ids = ", ".join(n.rsplit("/", 1)[-1] for n in extra)
    message = (f"Vertex AI started this run {len(jobs)} times (a create it answered late). T4 Panel cancelled "
               f"the extra job{'s' if len(extra) > 1 else ''} at once ({ids}) "
               "and follows the first. Check the Vertex AI console if more "
               "than one job is still running.")
    log.warning("run %s: %s", run_id, message)
    b.warnings.setdefault(run_id, []).append(message)
    return keep


def parse_region(name: str) -> str:
    return name.split("/locations/", 1)[1].split("/", 1)[0]


def _oldest(jobs: list[Any]) -> str:
    jobs = sorted(jobs, key=lambda j: (j.create_time.timestamp() if j.create_time else 0, j.name))
    return str(jobs[0].name)


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
