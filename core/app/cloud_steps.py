"""The cloud schedule's own resources: the APIs it needs, its service account and its secrets.

Every `ensure_*` is idempotent (a second call reads and writes nothing new), every `remove_*` deletes only
what carries our name and our mark (label `t4panel`, or for service accounts, which have no labels, our
description) and treats "already gone" as done. Google's errors pass through for cloud_checklist to word.
Context (the clients of one pass) is shared with cloud_access.py and cloud_jobs.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from core.app import cloud_spec as spec
from core.errors import Message, msg
from core.google import cloud_clients
from core.store.config import AppConfig

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
