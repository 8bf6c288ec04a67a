"""Who may do what: the runner's IAM bindings on the project, the claim bucket, its secrets and its job.

Each policy is read, changed by one binding, and written back with the etag it was read with; a change by
someone else in between (409 ABORTED, or 412 from Cloud Storage) is read again. Only our member is ever
added or removed: every other binding in a policy stays exactly as it was.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from core.app import cloud_spec as spec
from core.app.cloud_steps import Context, _api_exc
from core.errors import Message, msg

log = logging.getLogger(__name__)
POLICY_TRIES = 4


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
        # Over REST a 409 ABORTED arrives as its HTTP class (Conflict); Cloud Storage answers 412 instead.
        except (exc.Conflict, exc.PreconditionFailed):
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




def _project_policy(ctx: Context) -> tuple[Callable[[], Any], Callable[[Any], Any]]:
    return _resource_policy(ctx.client("projects"), f"projects/{ctx.project}")


def project_roles_present(ctx: Context) -> bool:
    policy = _project_policy(ctx)[0]()
    present = all(_has_member(policy, r, spec.member(ctx.project)) for r in spec.PROJECT_ROLES)
    if present and ctx.cfg.job.service_account:
        try:
            present = _has_member(_job_account_policy(ctx)[0](), spec.ACT_AS_ROLE, spec.member(ctx.project))
        except _api_exc().NotFound:
            present = False
    return present


def edit_project_roles(ctx: Context, add: bool) -> None:
    get, put = _project_policy(ctx)
    for role in spec.PROJECT_ROLES:
        _edit_policy(get, put, role, spec.member(ctx.project), add)
    if ctx.cfg.job.service_account:
        _edit_act_as(ctx, add)


def _job_account_policy(ctx: Context) -> tuple[Callable[[], Any], Callable[[Any], Any]]:
    name = f"projects/{ctx.project}/serviceAccounts/{ctx.cfg.job.service_account}"
    return _resource_policy(ctx.client("iam"), name)


def _edit_act_as(ctx: Context, add: bool) -> None:
    """A Vertex AI job that runs as the job's own service account may be started only by someone who may act as
    that account (iam.serviceAccounts.actAs): the runner gets Service Account User on that one account."""
    get, put = _job_account_policy(ctx)
    try:
        _edit_policy(get, put, spec.ACT_AS_ROLE, spec.member(ctx.project), add)
    except _api_exc().NotFound:
        if add:
            raise


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


def edit_invoker(ctx: Context, add: bool) -> None:
    get, put = _resource_policy(ctx.client("run"), spec.run_job_name(ctx.project, ctx.region))
    _edit_policy(get, put, spec.INVOKER_ROLE, spec.member(ctx.project), add)


def invoker_present(ctx: Context) -> bool:
    try:
        policy = _resource_policy(ctx.client("run"), spec.run_job_name(ctx.project, ctx.region))[0]()
    except _api_exc().NotFound:
        return False
    return _has_member(policy, spec.INVOKER_ROLE, spec.member(ctx.project))
