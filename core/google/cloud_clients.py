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


def _rest(client_class: Any, env: str, credentials: Any) -> Any:
    return endpoints.rest_client_at(client_class, endpoint(env), env, credentials)


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
    with importing():
        from google.cloud.iam_admin_v1 import IAMClient
        from google.cloud.iam_admin_v1.services.iam.transports import IAMGrpcTransport

    return endpoints.grpc_client(IAMClient, IAMGrpcTransport, endpoint(IAM_ENV), IAM_ENV, credentials)
