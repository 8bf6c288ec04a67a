"""Clients of the cloud schedule's APIs: Cloud Scheduler, Cloud Run, Secret Manager (REST), IAM (gRPC).

Same rules as endpoints.py: the operator's credentials everywhere (loopback test servers included),
plain http only to this computer, anonymous only under T4PANEL_DEV_ANONYMOUS, one token refresh per
call. Each API has its `T4PANEL_<API>_ENDPOINT` override. The IAM admin library ships only a gRPC
transport (google-cloud-iam 2.27 has no REST one), so its client is built like the Logging client.
The client libraries are imported inside the functions (heavy).
"""

from __future__ import annotations

import os
from typing import Any

from core.google import endpoints
from core.google.hosts import is_loopback, refuse_plain_http
from core.google.libraries import importing

SCHEDULER_ENV = "T4PANEL_SCHEDULER_ENDPOINT"
RUN_ENV = "T4PANEL_RUN_ENDPOINT"
SECRETMANAGER_ENV = "T4PANEL_SECRETMANAGER_ENDPOINT"
IAM_ENV = "T4PANEL_IAM_ENDPOINT"
HOSTS = {SCHEDULER_ENV: "cloudscheduler.googleapis.com", RUN_ENV: "run.googleapis.com",
         SECRETMANAGER_ENV: "secretmanager.googleapis.com", IAM_ENV: "iam.googleapis.com:443"}


def endpoint(env: str) -> str:
    """The override in `env`, else Google's host."""
    return os.environ.get(env, "").strip() or HOSTS[env]


def _credentials(credentials: Any) -> Any:
    if endpoints.dev_anonymous():
        from google.auth.credentials import AnonymousCredentials

        return AnonymousCredentials()
    return credentials if credentials is not None else endpoints.google_credentials()


def _rest(client_class: Any, env: str, credentials: Any) -> Any:
    where = endpoint(env)
    refuse_plain_http(where, env)
    client = client_class(credentials=_credentials(credentials), transport="rest",
                          client_options={"api_endpoint": where})
    session = getattr(client._transport, "_session", None)
    if hasattr(session, "_max_refresh_attempts"):
        session._max_refresh_attempts = 1  # type: ignore[union-attr]  # a refused fresh token is a sign-in problem
    return client


def scheduler_client(credentials: Any = None) -> Any:
    """A `CloudSchedulerClient` (REST)."""
    with importing():
        from google.cloud.scheduler_v1 import CloudSchedulerClient
    return _rest(CloudSchedulerClient, SCHEDULER_ENV, credentials)


def run_jobs_client(credentials: Any = None) -> Any:
    """A Cloud Run `JobsClient` (REST, API v2)."""
    with importing():
        from google.cloud.run_v2 import JobsClient
    return _rest(JobsClient, RUN_ENV, credentials)


def run_executions_client(credentials: Any = None) -> Any:
    """A Cloud Run `ExecutionsClient` (REST, API v2): the job's runs."""
    with importing():
        from google.cloud.run_v2 import ExecutionsClient
    return _rest(ExecutionsClient, RUN_ENV, credentials)


def secret_manager_client(credentials: Any = None) -> Any:
    """A `SecretManagerServiceClient` (REST)."""
    with importing():
        from google.cloud.secretmanager_v1 import SecretManagerServiceClient
    return _rest(SecretManagerServiceClient, SECRETMANAGER_ENV, credentials)


def service_usage_client(credentials: Any = None) -> Any:
    """Service Usage (REST), the client the setup check also uses."""
    with importing():
        from google.cloud import service_usage_v1
    return endpoints.rest_client(service_usage_v1.ServiceUsageClient, endpoints.SERVICEUSAGE_ENV, credentials)


def projects_client(credentials: Any = None) -> Any:
    """Resource Manager's `ProjectsClient` (REST): the project's IAM policy."""
    with importing():
        from google.cloud import resourcemanager_v3
    return endpoints.rest_client(resourcemanager_v3.ProjectsClient, endpoints.RESOURCEMANAGER_ENV, credentials)


def iam_client(credentials: Any = None) -> Any:
    """An IAM admin `IAMClient` (gRPC: the library has no REST transport). Service accounts live here.

    A loopback endpoint gets gRPC's local channel credentials with the token as call credentials (no
    TLS, which a local test server lacks); Google's gets TLS. A refused token is refreshed once.
    """
    import grpc

    with importing():
        from google.cloud.iam_admin_v1 import IAMClient
        from google.cloud.iam_admin_v1.services.iam.transports import IAMGrpcTransport

    where = endpoint(IAM_ENV)
    refuse_plain_http(where, IAM_ENV)
    target = where.split("://", 1)[-1]
    loopback = is_loopback(where)
    if loopback and endpoints.dev_anonymous():
        return IAMClient(transport=IAMGrpcTransport(channel=grpc.insecure_channel(target)))
    creds = credentials if credentials is not None else endpoints.google_credentials()
    if loopback:
        import google.auth.transport.grpc
        import google.auth.transport.requests

        plugin = google.auth.transport.grpc.AuthMetadataPlugin(creds, google.auth.transport.requests.Request())
        channel = grpc.secure_channel(target, grpc.composite_channel_credentials(
            grpc.local_channel_credentials(grpc.LocalConnectionType.LOCAL_TCP), grpc.metadata_call_credentials(plugin)))
    else:
        channel = IAMGrpcTransport.create_channel(target, credentials=creds)
    channel = grpc.intercept_channel(channel, endpoints._refresh_on_unauthenticated(creds))
    return IAMClient(transport=IAMGrpcTransport(channel=channel))
