"""The Google calls of each cloud-schedule step: look, then make what is missing; or take away what is ours.

Every `ensure_*` is idempotent (a second call reads and writes nothing new), every `remove_*` deletes only
what carries our name and our mark (label `t4panel`, or for service accounts, which have no labels, our
description) and treats "already gone" as done. IAM policies are read-modify-written with their etag;
a concurrent change (409 ABORTED) is read again. Google's errors pass through for cloud_setup to word.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from core.app import cloud_spec as spec
from core.errors import Message, msg
from core.google import cloud_clients
from core.store.config import AppConfig

log = logging.getLogger(__name__)
POLICY_TRIES = 4
OPERATION_TIMEOUT = 300.0


class NotOurs(Exception):
    """A resource with our name exists but T4 Panel did not make it: leave it alone."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


@dataclass
class Context:
    """One setup/status/remove pass: where, what, and the clients (made on first use)."""

    cfg: AppConfig
    secrets: Mapping[str, str] | None = None
    _clients: dict[str, Any] = field(default_factory=dict)

    @property
    def project(self) -> str:
        return self.cfg.job.project_id

    @property
    def region(self) -> str:
        return self.cfg.job.region

    def client(self, kind: str) -> Any:
        if kind not in self._clients:
            makers: dict[str, Callable[[], Any]] = {
                "usage": cloud_clients.service_usage_client, "iam": cloud_clients.iam_client,
                "projects": cloud_clients.projects_client, "secrets": cloud_clients.secret_manager_client,
                "run": cloud_clients.run_jobs_client, "scheduler": cloud_clients.scheduler_client,
                "storage": lambda: _storage(self.project)}
            self._clients[kind] = makers[kind]()
        return self._clients[kind]


def _storage(project: str) -> Any:
    from core.google.storage import storage_client

    return storage_client(project)


def _api_exc() -> Any:
    from google.api_core import exceptions

    return exceptions


# ---------------------------------------------------------------- IAM policies (read, change, write with etag)


def _edit_policy(get: Callable[[], Any], put: Callable[[Any], Any], role: str, member: str, add: bool) -> bool:
    """Add (or remove) `member` in `role`'s binding; True when the policy was written."""
    exc = _api_exc()
    for attempt in range(POLICY_TRIES):
        policy = get()
        binding = next((b for b in policy.bindings if b.role == role and not b.condition.expression), None)
        present = binding is not None and member in binding.members
        if present == add:
            return False
        if add:
            if binding is None:
                binding = policy.bindings.add(role=role)
            binding.members.append(member)
        else:
            assert binding is not None
            binding.members.remove(member)
            if not binding.members:
                policy.bindings.remove(binding)
        try:
            put(policy)  # carries the etag read above: a change in between answers 409 ABORTED
            return True
        except exc.Aborted:
            log.info("IAM policy changed while we edited it (try %d); reading it again", attempt + 1)
    raise exc.Aborted("The IAM policy kept changing while T4 Panel edited it.")


def _has_member(policy: Any, role: str, member: str) -> bool:
    return any(b.role == role and member in b.members for b in policy.bindings)


def _resource_policy(client: Any, resource: str) -> tuple[Callable[[], Any], Callable[[Any], Any]]:
    def get() -> Any:
        return client.get_iam_policy(request={"resource": resource, "options": {"requested_policy_version": 3}})

    def put(policy: Any) -> Any:
        return client.set_iam_policy(request={"resource": resource, "policy": policy})

    return get, put


# ---------------------------------------------------------------- the steps


def apis_missing(ctx: Context) -> list[str]:
    from google.cloud import service_usage_v1

    reply = ctx.client("usage").batch_get_services(request={
        "parent": f"projects/{ctx.project}", "names": [f"projects/{ctx.project}/services/{s}" for s in spec.APIS]})
    on = {s.config.name or s.name.rpartition("/")[2] for s in reply.services
          if s.state == service_usage_v1.State.ENABLED}
    return [s for s in spec.APIS if s not in on]


def ensure_apis(ctx: Context) -> Message | None:
    missing = apis_missing(ctx)
    if not missing:
        return None
    ctx.client("usage").batch_enable_services(request={
        "parent": f"projects/{ctx.project}", "service_ids": missing}).result(timeout=OPERATION_TIMEOUT)
    return msg("cloud.detail.apis_enabled", "Turned on: {apis}.", apis=", ".join(missing))


def _sa_name(ctx: Context) -> str:
    return f"projects/{ctx.project}/serviceAccounts/{spec.service_account_email(ctx.project)}"


def service_account(ctx: Context) -> Any | None:
    try:
        return ctx.client("iam").get_service_account(request={"name": _sa_name(ctx)})
    except _api_exc().NotFound:
        return None


def ensure_service_account(ctx: Context) -> Message | None:
    found = service_account(ctx)
    if found is not None:
        if found.description != spec.SA_DESCRIPTION:
            raise NotOurs(spec.service_account_email(ctx.project))
        return None
    ctx.client("iam").create_service_account(request={
        "name": f"projects/{ctx.project}", "account_id": spec.SERVICE_ACCOUNT_ID,
        "service_account": {"display_name": "T4 Panel runner", "description": spec.SA_DESCRIPTION}})
    return None


def remove_service_account(ctx: Context) -> None:
    found = service_account(ctx)
    if found is None or found.description != spec.SA_DESCRIPTION:
        return
    try:
        ctx.client("iam").delete_service_account(request={"name": _sa_name(ctx)})
    except _api_exc().NotFound:
        pass


def _project_policy(ctx: Context) -> tuple[Callable[[], Any], Callable[[Any], Any]]:
    return _resource_policy(ctx.client("projects"), f"projects/{ctx.project}")


def project_roles_present(ctx: Context) -> bool:
    policy = _project_policy(ctx)[0]()
    return all(_has_member(policy, r, spec.member(ctx.project)) for r in spec.PROJECT_ROLES)


def edit_project_roles(ctx: Context, add: bool) -> None:
    get, put = _project_policy(ctx)
    for role in spec.PROJECT_ROLES:
        _edit_policy(get, put, role, spec.member(ctx.project), add)


def _bucket(ctx: Context) -> Any:
    from core.google.storage import bucket_name

    return ctx.client("storage").bucket(bucket_name(ctx.project))


def _bucket_policy(ctx: Context) -> tuple[Callable[[], Any], Callable[[Any], Any]]:
    """The claim bucket's policy in the protobuf shape the other APIs use, so one editor serves all."""
    from google.iam.v1 import policy_pb2

    bucket = _bucket(ctx)
    held: dict[str, Any] = {}

    def get() -> Any:
        policy = bucket.get_iam_policy(requested_policy_version=3)
        held["policy"] = policy
        pb = policy_pb2.Policy(etag=(policy.etag or "").encode(), version=policy.version or 1)
        for b in policy.bindings:
            pb.bindings.add(role=b["role"], members=sorted(b["members"]))
        return pb

    def put(pb: Any) -> Any:
        policy = held["policy"]
        policy.bindings = [{"role": b.role, "members": set(b.members)} for b in pb.bindings]
        return bucket.set_iam_policy(policy)

    return get, put


def bucket_role_present(ctx: Context) -> bool:
    try:
        return _has_member(_bucket_policy(ctx)[0](), spec.BUCKET_ROLE, spec.member(ctx.project))
    except _api_exc().NotFound:
        return False


def ensure_bucket_role(ctx: Context) -> Message | None:
    exc = _api_exc()
    bucket, made = _bucket(ctx), None
    if not bucket.exists():
        bucket.iam_configuration.uniform_bucket_level_access_enabled = True
        bucket.iam_configuration.public_access_prevention = "enforced"
        bucket.labels = {spec.LABEL_KEY: "claims"}
        try:
            ctx.client("storage").create_bucket(bucket, project=ctx.project, location=ctx.region)
            made = msg("cloud.detail.bucket_made", "Created the private bucket {bucket}.", bucket=bucket.name)
        except exc.Conflict:
            pass  # a desktop claimed an occurrence a moment ago and made it
    get, put = _bucket_policy(ctx)
    _edit_policy(get, put, spec.BUCKET_ROLE, spec.member(ctx.project), True)
    return made


def remove_bucket_role(ctx: Context) -> None:
    # The bucket stays: it holds the claims of every computer's runs, which History reads.
    try:
        get, put = _bucket_policy(ctx)
        _edit_policy(get, put, spec.BUCKET_ROLE, spec.member(ctx.project), False)
    except _api_exc().NotFound:
        pass


def secret(ctx: Context, key: str) -> Any | None:
    try:
        return ctx.client("secrets").get_secret(request={"name": spec.secret_name(ctx.project, key)})
    except _api_exc().NotFound:
        return None


def _latest_value(ctx: Context, key: str) -> bytes | None:
    exc = _api_exc()
    try:
        reply = ctx.client("secrets").access_secret_version(
            request={"name": spec.secret_name(ctx.project, key) + "/versions/latest"})
    except (exc.NotFound, exc.FailedPrecondition):  # no version yet, or the latest one disabled
        return None
    return bytes(reply.payload.data)


def ensure_secrets(ctx: Context) -> Message | None:
    copied = []
    for key in spec.SECRET_IDS:
        found = secret(ctx, key)
        if found is not None and found.labels.get(spec.LABEL_KEY) is None:
            raise NotOurs(spec.SECRET_IDS[key])
        if found is None:
            ctx.client("secrets").create_secret(request={
                "parent": f"projects/{ctx.project}", "secret_id": spec.SECRET_IDS[key],
                "secret": {"replication": {"automatic": {}}, "labels": dict(spec.LABELS)}})
        value = (ctx.secrets or {}).get(key)
        current = _latest_value(ctx, key)
        if value is None:
            if current is None:
                raise MissingSecret(key)
            continue
        if current != value.encode():
            ctx.client("secrets").add_secret_version(request={
                "parent": spec.secret_name(ctx.project, key), "payload": {"data": value.encode()}})
            copied.append(spec.SECRET_IDS[key])
    return msg("cloud.detail.secrets_copied", "Copied: {names}.", names=", ".join(copied)) if copied else None


class MissingSecret(Exception):
    """Secret Manager has no value for `key` and none was given to copy."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def secrets_present(ctx: Context) -> bool:
    return all(secret(ctx, k) is not None for k in spec.SECRET_IDS)


def remove_secrets(ctx: Context) -> None:
    for key in spec.SECRET_IDS:
        found = secret(ctx, key)
        if found is None or found.labels.get(spec.LABEL_KEY) is None:
            continue
        try:
            ctx.client("secrets").delete_secret(request={"name": spec.secret_name(ctx.project, key)})
        except _api_exc().NotFound:
            pass


def edit_secret_access(ctx: Context, add: bool) -> None:
    for key in spec.SECRET_IDS:
        get, put = _resource_policy(ctx.client("secrets"), spec.secret_name(ctx.project, key))
        _edit_policy(get, put, spec.SECRET_ROLE, spec.member(ctx.project), add)


def secret_access_present(ctx: Context) -> bool:
    try:
        return all(_has_member(_resource_policy(ctx.client("secrets"), spec.secret_name(ctx.project, k))[0](),
                               spec.SECRET_ROLE, spec.member(ctx.project)) for k in spec.SECRET_IDS)
    except _api_exc().NotFound:
        return False


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


def edit_invoker(ctx: Context, add: bool) -> None:
    get, put = _resource_policy(ctx.client("run"), spec.run_job_name(ctx.project, ctx.region))
    _edit_policy(get, put, spec.INVOKER_ROLE, spec.member(ctx.project), add)


def invoker_present(ctx: Context) -> bool:
    try:
        policy = _resource_policy(ctx.client("run"), spec.run_job_name(ctx.project, ctx.region))[0]()
    except _api_exc().NotFound:
        return False
    return _has_member(policy, spec.INVOKER_ROLE, spec.member(ctx.project))


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
